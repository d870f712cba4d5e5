import type { Period } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsEntityId, IsMonth, IsSpanEnd, MAX_SPAN_MONTHS } from '../http/query-params';

/** A span of months (both ends included), optionally one region's services only. */
export class PeriodRangeQuery {
  @ApiProperty({ example: '2026-04', description: 'The first month (YYYY-MM), included.' })
  @IsMonth()
  from!: Period;

  @ApiProperty({
    example: '2026-09',
    description: `The last month (YYYY-MM), included: not before \`from\`, and at most ${MAX_SPAN_MONTHS} months in all.`,
  })
  @IsMonth()
  @IsSpanEnd('from', MAX_SPAN_MONTHS)
  to!: Period;

  @ApiPropertyOptional({ example: 'north-wales', description: "Only this region's services." })
  @IsOptional()
  @IsEntityId()
  regionId?: string;
}

/** The KPI grid's parameters: a span of months, optionally one region or one service. */
export class KpiGridQuery extends PeriodRangeQuery {
  @ApiPropertyOptional({ example: 'ty-gwyn', description: 'Only this service.' })
  @IsOptional()
  @IsEntityId()
  serviceId?: string;
}

export class BonusComplianceQuery extends PeriodRangeQuery {}
