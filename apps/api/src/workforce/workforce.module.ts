import { Module } from '@nestjs/common';
import { StaffController } from './staff.controller';
import { WorkforceController } from './workforce.controller';
import { workforceHandlers } from './workforce.handlers';

/** The workforce: the staff register and supervisions, supervision compliance and turnover per service. */
@Module({ controllers: [StaffController, WorkforceController], providers: [...workforceHandlers] })
export class WorkforceModule {}
