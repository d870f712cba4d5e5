import { Module } from '@nestjs/common';
import { CommandContexts } from './command-contexts';
import { KpiFrameworksController } from './kpi-frameworks.controller';
import { MonthlyReturnsController } from './monthly-returns.controller';
import { OrganisationController } from './organisation.controller';

@Module({
  controllers: [OrganisationController, KpiFrameworksController, MonthlyReturnsController],
  providers: [CommandContexts],
})
export class CommandsModule {}
