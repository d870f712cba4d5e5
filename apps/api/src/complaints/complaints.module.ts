import { Module } from '@nestjs/common';
import { ComplaintsQueriesController } from './complaints-queries.controller';
import { ComplaintsReader } from './complaints-reader.service';

/** The complaints read side (read model `complaints`): the KPI and the council's report. */
@Module({ controllers: [ComplaintsQueriesController], providers: [ComplaintsReader] })
export class ComplaintsModule {}
