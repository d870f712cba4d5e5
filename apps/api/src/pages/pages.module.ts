import { Module } from '@nestjs/common';
import { ActionPagesController } from './actions/action-pages.controller';
import { SupportPlanPagesController } from './actions/support-plan-pages.controller';
import { RiskPagesController } from './risks/risk-pages.controller';
import { DataQualityPagesController } from './data-quality/data-quality-pages.controller';
import { CouncilPagesController } from './council/council-pages.controller';
import { CommissionerPagesController } from './commissioner/commissioner-pages.controller';
import { ProviderNoticesPagesController } from './commissioner/provider-notices-pages.controller';
import { CsrfGuard } from './csrf.guard';
import { HomePagesController } from './home/home.controller';
import { HrPagesController } from './hr/hr-pages.controller';
import { PageErrorsFilter } from './page-errors.filter';
import { NotFoundPagesController } from './not-found/not-found-pages.controller';
import { NotificationsPagesController } from './notifications/notifications-pages.controller';
import { PageRenderer } from './page-renderer';
import { PeoplePagesController } from './people/people-pages.controller';
import { KpiPagesController } from './provider/kpi-pages.controller';
import { ReturnFormsController } from './provider/return-forms.controller';
import { SignOffPagesController } from './provider/sign-off-pages.controller';
import { ReturnEvidencePagesController } from './provider/return-evidence-pages.controller';
import { EvidenceModule } from '../evidence/evidence.module';
import { CommentaryPagesController } from './council/commentary-pages.controller';
import { TrendPageController } from './provider/trend-page.controller';
import { InvitationPagesController } from './sign-in/invitation-pages.controller';
import { OrganisationSignInPagesController } from './sign-in/organisation-sign-in-pages.controller';
import { SignInPagesController } from './sign-in/sign-in-pages.controller';

/**
 * The web pages (GOV.UK Frontend, server-rendered) under /app: thin controllers over the
 * API's own query and command handlers (docs/decisions/0028).
 */
@Module({
  imports: [EvidenceModule],
  controllers: [
    HomePagesController,
    KpiPagesController,
    ReturnFormsController,
    SignOffPagesController,
    ReturnEvidencePagesController,
    CommentaryPagesController,
    TrendPageController,
    CouncilPagesController,
    HrPagesController,
    CommissionerPagesController,
    ProviderNoticesPagesController,
    SignInPagesController,
    OrganisationSignInPagesController,
    InvitationPagesController,
    NotFoundPagesController,
    PeoplePagesController,
    ActionPagesController,
    SupportPlanPagesController,
    RiskPagesController,
    DataQualityPagesController,
    NotificationsPagesController,
  ],
  providers: [PageRenderer, PageErrorsFilter, CsrfGuard],
})
export class PagesModule {}
