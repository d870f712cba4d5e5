import { Module } from '@nestjs/common';
import { ComplaintsController } from './complaints-commands.controller';
import { ComplaintsQueriesController } from './complaints-queries.controller';
import { ComplaintsReader } from './complaints-reader.service';

/** Complaints and compliments: logging and answering them, the KPI and the council's report. */
@Module({
  controllers: [ComplaintsController, ComplaintsQueriesController],
  providers: [ComplaintsReader],
})
export class ComplaintsModule {}
