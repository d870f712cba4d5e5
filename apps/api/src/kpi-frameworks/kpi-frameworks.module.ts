import { Module } from '@nestjs/common';
import { KpiFrameworksController } from './kpi-frameworks.controller';

/** KPI frameworks: the versions of the indicators, targets and bonus rule a tenant's returns are judged by. */
@Module({ controllers: [KpiFrameworksController] })
export class KpiFrameworksModule {}
