import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { accountsHandlers } from './accounts.handlers';
import { IdentityProviderController } from './identity-provider.controller';
import { SessionsController } from './sessions.controller';

/**
 * Accounts and sign-in: invitations, access removal, sessions (browser cookies), the
 * organisation's identity provider.
 */
@Module({
  controllers: [AccountsController, IdentityProviderController, SessionsController],
  providers: [...accountsHandlers],
})
export class AccountsModule {}
