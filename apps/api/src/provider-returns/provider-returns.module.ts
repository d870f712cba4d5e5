import { Module } from '@nestjs/common';
import { CommandContexts } from '../commands/command-contexts';
import { ProviderReturnsCommandsController } from './provider-returns-commands.controller';
import { ProviderReturnsQueriesController } from './provider-returns-queries.controller';
import { ProviderReturnsReader } from './provider-returns-reader.service';

/**
 * A provider's monthly capacity return and quarterly return to the council that commissions
 * it: the commands (written to the council's streams) and the council's tables (read models
 * provider-capacity-returns and provider-quarterly-returns). docs/provider-returns.md.
 */
@Module({
  controllers: [ProviderReturnsCommandsController, ProviderReturnsQueriesController],
  providers: [CommandContexts, ProviderReturnsReader],
})
export class ProviderReturnsModule {}
