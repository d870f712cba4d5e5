import { Global, Module } from '@nestjs/common';
import { CommandContexts } from './command-contexts';

/** What every feature module's controllers share, provided once for the whole app. */
@Global()
@Module({ providers: [CommandContexts], exports: [CommandContexts] })
export class HttpModule {}
