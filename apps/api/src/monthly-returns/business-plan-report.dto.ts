import { parseFinancialYear } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsEntityId, ParsedBy } from '../http/query-params';

/** The business-plan report's parameters: a plan year, optionally one region or one service. */
export class BusinessPlanReportQuery {
  @ApiProperty({
    example: '2025/26',
    description:
      'The plan year, written like 2025/26 (in a URL: `2025%2F26`): its financial year (April 2025 – March 2026) for quarterly and financial annual indicators, its academic year (September 2025 – August 2026) for termly and academic annual ones.',
  })
  @ParsedBy('isFinancialYear', (value) => parseFinancialYear(value))
  year!: string;

  @ApiPropertyOptional({ example: 'east', description: "Only this region's services." })
  @IsOptional()
  @IsEntityId()
  regionId?: string;

  @ApiPropertyOptional({ example: 'day-01', description: 'Only this service.' })
  @IsOptional()
  @IsEntityId()
  serviceId?: string;
}

/** What one line of the JSON answer looks like (the OpenAPI example). */
export const BUSINESS_PLAN_REPORT_EXAMPLE = {
  year: '2025/26',
  financialYear: { first: '2025-04', last: '2026-03' },
  academicYear: { first: '2025-09', last: '2026-08' },
  services: [{ serviceId: 'day-01', name: 'Day service 1', regionId: 'east' }],
  indicators: [
    {
      frameworkId: 'business-plan',
      frameworkVersion: 1,
      code: 'PQ_REVIEWS',
      name: 'Reviews completed within timescale (%)',
      group: 'Performance indicators – quarterly by financial year',
      unit: 'ratio',
      direction: 'higher-is-better',
      periodicity: 'quarterly',
      yearBasis: 'financial',
      aggregation: 'ratio-of-sums',
      floor: 70,
      previousOutturn: { value: 76, period: '2024/25' },
      comparativeBenchmark: { value: 78, source: 'England average 2024/25' },
      periods: [
        {
          period: '2025-26 Q1',
          firstMonth: '2025-04',
          lastMonth: '2025-06',
          target: 80,
          expectedRange: null,
          value: { numerator: 81, denominator: 100 },
          judgedValue: 81,
          judgement: {
            outcome: 'met',
            rag: 'green',
            target: 80,
            floor: 70,
            tolerance: null,
            expectedRange: null,
          },
          rag: 'green',
          travel: {
            previousPeriod: '2024-25 Q4',
            previousValue: 77,
            againstPreviousPeriod: 'better',
            againstOutturn: 'better',
          },
        },
      ],
    },
  ],
};
