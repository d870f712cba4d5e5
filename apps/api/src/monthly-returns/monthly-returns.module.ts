import { Module } from '@nestjs/common';
import { AnnualReportController } from './annual-report.controller';
import { BonusComplianceController } from './bonus-compliance.controller';
import { BusinessPlanReportController } from './business-plan-report.controller';
import { KpiGridController } from './kpi-grid.controller';
import { MonthlyReturnsController } from './monthly-returns.controller';
import { monthlyReturnsHandlers } from './monthly-returns.handlers';
import { QuarterlyReportController } from './quarterly-report.controller';
import { ReturnHistoryController } from './return-history.controller';
import { ReturnsDueController } from './returns-due.controller';
import { ReturnsImportController } from './returns-import.controller';
import { SignOffController } from './sign-off.controller';
import { DataQualityAuditsController } from './data-quality-audits.controller';
import { CommentaryController } from './commentary.controller';

/**
 * The monthly KPI return: submitting and amending it, and what readers ask of the KPI data: the status grid (JSON, CSV, Excel), bonus compliance,
 * returns due, a return's history, and the quarterly, annual and business-plan reports. Every query is scoped to the caller's tenant.
 */
@Module({
  controllers: [
    MonthlyReturnsController,
    KpiGridController,
    BonusComplianceController,
    ReturnsDueController,
    ReturnHistoryController,
    QuarterlyReportController,
    AnnualReportController,
    ReturnsImportController,
    BusinessPlanReportController,
    SignOffController,
    DataQualityAuditsController,
    CommentaryController,
  ],
  providers: [...monthlyReturnsHandlers],
})
export class MonthlyReturnsModule {}
