import { Module } from '@nestjs/common';
import { CallOffCommandsController } from './call-off-commands.controller';
import { callOffHandlers } from './call-off.handlers';
import { CallOffQueriesController } from './call-off-queries.controller';

/** The care-at-home call-off: framework and package commands, packages, performance, league table. */
@Module({
  controllers: [CallOffCommandsController, CallOffQueriesController],
  providers: [...callOffHandlers],
})
export class CallOffModule {}
