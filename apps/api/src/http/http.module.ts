import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { BodilessRoutesGuard } from './bodiless-routes.guard';
import { Commands, Queries } from './buses';

/**
 * What every feature module's controllers share, provided once for the whole app: the command
 * and query buses (@nestjs/cqrs) with the dispatchers that issue commands for a caller, and
 * the refusal of a body sent where none is taken (a global guard: after AuthModule's, as this
 * module is imported after it).
 */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [Commands, Queries, { provide: APP_GUARD, useClass: BodilessRoutesGuard }],
  exports: [Commands, Queries],
})
export class HttpModule {}
