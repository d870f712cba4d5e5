import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Commands, Queries } from './buses';

/**
 * What every feature module's controllers share, provided once for the whole app: the command
 * and query buses (@nestjs/cqrs) with the dispatchers that issue commands for a caller.
 */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [Commands, Queries],
  exports: [Commands, Queries],
})
export class HttpModule {}
