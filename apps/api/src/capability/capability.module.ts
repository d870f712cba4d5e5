import { Module } from '@nestjs/common';
import { CapabilityController } from './capability-commands.controller';
import { CapabilityQueriesController } from './capability-queries.controller';
import { capabilityHandlers } from './capability.handlers';

/**
 * The capability procedure: reviews, appeals and support recorded by HR, and the read side —
 * counters, timelines, "why" and the dashboard by region.
 */
@Module({
  controllers: [CapabilityController, CapabilityQueriesController],
  providers: [...capabilityHandlers],
})
export class CapabilityModule {}
