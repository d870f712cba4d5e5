import { Module } from '@nestjs/common';
import { CapabilityController } from './capability.controller';
import { CommandContexts } from './command-contexts';
import { KpiFrameworksController } from './kpi-frameworks.controller';
import { MonthlyReturnsController } from './monthly-returns.controller';
import { OrganisationController } from './organisation.controller';

@Module({
  controllers: [
    OrganisationController,
    KpiFrameworksController,
    MonthlyReturnsController,
    CapabilityController,
  ],
  providers: [CommandContexts],
})
export class CommandsModule {}
