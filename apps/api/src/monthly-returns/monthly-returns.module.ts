import { Module } from '@nestjs/common';
import { BonusComplianceController } from './bonus-compliance.controller';
import { KpiGridController } from './kpi-grid.controller';
import { MonthlyReturnsController } from './monthly-returns.controller';
import { monthlyReturnsHandlers } from './monthly-returns.handlers';
import { QuarterlyReportController } from './quarterly-report.controller';
import { ReturnHistoryController } from './return-history.controller';
import { ReturnsDueController } from './returns-due.controller';

/**
 * The monthly KPI return: submitting and amending it, and what readers ask of the KPI data: the status grid (JSON, CSV, Excel), bonus compliance,
 * returns due and a return's history. Every query is scoped to the caller's tenant.
 */
@Module({
  controllers: [
    MonthlyReturnsController,
    KpiGridController,
    BonusComplianceController,
    ReturnsDueController,
    ReturnHistoryController,
    QuarterlyReportController,
  ],
  providers: [...monthlyReturnsHandlers],
})
export class MonthlyReturnsModule {}
