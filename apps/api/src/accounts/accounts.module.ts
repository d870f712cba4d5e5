import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { accountsHandlers } from './accounts.handlers';
import { SessionsController } from './sessions.controller';

/** Accounts and sign-in: invitations, access removal, sessions (browser cookies). */
@Module({
  controllers: [AccountsController, SessionsController],
  providers: [...accountsHandlers],
})
export class AccountsModule {}
