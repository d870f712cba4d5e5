import { Module } from '@nestjs/common';
import { StaffController } from './staff.controller';
import { WorkforceController } from './workforce.controller';
import { WorkforceReader } from './workforce.service';

/** The workforce: the staff register and supervisions, supervision compliance and turnover per service. */
@Module({ controllers: [StaffController, WorkforceController], providers: [WorkforceReader] })
export class WorkforceModule {}
