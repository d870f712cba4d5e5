import { Module } from '@nestjs/common';
import { ComplaintsController } from './complaints-commands.controller';
import { ComplaintsQueriesController } from './complaints-queries.controller';
import { complaintsHandlers } from './complaints.handlers';

/** Complaints and compliments: logging and answering them, the KPI and the council's report. */
@Module({
  controllers: [ComplaintsController, ComplaintsQueriesController],
  providers: [...complaintsHandlers],
})
export class ComplaintsModule {}
