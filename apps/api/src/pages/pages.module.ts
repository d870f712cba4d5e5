import { Module } from '@nestjs/common';
import { CsrfGuard } from './csrf.guard';
import { HomePagesController } from './home/home.controller';
import { PageErrorsFilter } from './page-errors.filter';
import { PageRenderer } from './page-renderer';
import { KpiPagesController } from './provider/kpi-pages.controller';
import { ReturnFormsController } from './provider/return-forms.controller';
import { InvitationPagesController } from './sign-in/invitation-pages.controller';
import { SignInPagesController } from './sign-in/sign-in-pages.controller';

/**
 * The web pages (GOV.UK Frontend, server-rendered) under /app: thin controllers over the
 * API's own query and command handlers (docs/decisions/0028).
 */
@Module({
  controllers: [
    HomePagesController,
    KpiPagesController,
    ReturnFormsController,
    SignInPagesController,
    InvitationPagesController,
  ],
  providers: [PageRenderer, PageErrorsFilter, CsrfGuard],
})
export class PagesModule {}
