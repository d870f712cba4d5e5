import { Module } from '@nestjs/common';
import { WorkforceController } from './workforce.controller';
import { WorkforceReader } from './workforce.service';

/** The workforce read side: supervision compliance and staff turnover per service. */
@Module({ controllers: [WorkforceController], providers: [WorkforceReader] })
export class WorkforceModule {}
