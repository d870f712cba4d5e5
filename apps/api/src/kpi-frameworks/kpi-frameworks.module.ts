import { Module } from '@nestjs/common';
import { KpiFrameworksController } from './kpi-frameworks.controller';
import { KpiFrameworksQueriesController } from './kpi-frameworks-queries.controller';
import { kpiFrameworksHandlers } from './kpi-frameworks.handlers';

/** KPI frameworks (published and read back): the versions of the indicators, targets and bonus rule a tenant's returns are judged by. */
@Module({
  controllers: [KpiFrameworksController, KpiFrameworksQueriesController],
  providers: [...kpiFrameworksHandlers],
})
export class KpiFrameworksModule {}
