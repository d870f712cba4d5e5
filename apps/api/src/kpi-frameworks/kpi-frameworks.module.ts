import { Module } from '@nestjs/common';
import { KpiFrameworksController } from './kpi-frameworks.controller';
import { kpiFrameworksHandlers } from './kpi-frameworks.handlers';

/** KPI frameworks: the versions of the indicators, targets and bonus rule a tenant's returns are judged by. */
@Module({ controllers: [KpiFrameworksController], providers: [...kpiFrameworksHandlers] })
export class KpiFrameworksModule {}
