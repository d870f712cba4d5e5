import { Module } from '@nestjs/common';
import { DataSubjectsController } from './data-subjects.controller';
import { EraseDataSubjectHandler } from './data-subjects.handlers';

/** Data subjects: erasing a person's personal data (the data-protection officer). */
@Module({
  controllers: [DataSubjectsController],
  providers: [EraseDataSubjectHandler],
})
export class DataSubjectsModule {}
