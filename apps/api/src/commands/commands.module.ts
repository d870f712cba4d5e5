import { Module } from '@nestjs/common';
import { CapabilityController } from './capability.controller';
import { CommandContexts } from './command-contexts';
import { ComplaintsController } from './complaints.controller';
import { KpiFrameworksController } from './kpi-frameworks.controller';
import { MonthlyReturnsController } from './monthly-returns.controller';
import { OrganisationController } from './organisation.controller';
import { StaffController } from './staff.controller';

@Module({
  controllers: [
    OrganisationController,
    KpiFrameworksController,
    MonthlyReturnsController,
    CapabilityController,
    ComplaintsController,
    StaffController,
  ],
  providers: [CommandContexts],
})
export class CommandsModule {}
