import { Module } from '@nestjs/common';
import { ProviderReturnsCommandsController } from './provider-returns-commands.controller';
import { providerReturnsHandlers } from './provider-returns.handlers';
import { ProviderReturnsQueriesController } from './provider-returns-queries.controller';

/**
 * A provider's monthly capacity return and quarterly return to the council that commissions
 * it: the commands (written to the council's streams) and the council's tables (read models
 * provider-capacity-returns and provider-quarterly-returns), and the draft of a quarterly return
 * worked out from the provider's own records. docs/provider-returns.md.
 */
@Module({
  controllers: [ProviderReturnsCommandsController, ProviderReturnsQueriesController],
  providers: [...providerReturnsHandlers],
})
export class ProviderReturnsModule {}
