import { Module } from '@nestjs/common';
import { CallOffCommandsController } from './call-off-commands.controller';
import { CallOffQueriesController } from './call-off-queries.controller';
import { CareFrameworksService } from './care-frameworks.service';
import { CarePackagesService } from './care-packages.service';
import { ProviderPerformanceService } from './provider-performance.service';

/** The care-at-home call-off: framework and package commands, packages, performance, league table. */
@Module({
  controllers: [CallOffCommandsController, CallOffQueriesController],
  providers: [CareFrameworksService, CarePackagesService, ProviderPerformanceService],
})
export class CallOffModule {}
