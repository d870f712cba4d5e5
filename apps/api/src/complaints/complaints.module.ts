import { Module } from '@nestjs/common';
import { ComplaintDetailsController } from './complaint-details.controller';
import { ComplaintsController } from './complaints-commands.controller';
import { ComplaintsQueriesController } from './complaints-queries.controller';
import { complaintsHandlers } from './complaints.handlers';

/**
 * Complaints and compliments: logging and answering them, reading them with their texts, the
 * KPI and the council's report.
 */
@Module({
  controllers: [ComplaintsController, ComplaintsQueriesController, ComplaintDetailsController],
  providers: [...complaintsHandlers],
})
export class ComplaintsModule {}
