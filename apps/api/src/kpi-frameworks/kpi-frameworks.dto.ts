import {
  AGGREGATION_RULES,
  DIRECTIONS,
  INDICATOR_UNITS,
  parsePeriod,
  PERIODICITIES,
  type Period,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsOptional, IsString } from 'class-validator';
import { NestedList, NestedObject } from '../http/nested-members';
import { ParsedBy } from '../http/query-params';

/** The first month a version judges, parsed into a {@link Period} at the edge. */
const IsEffectiveFrom = () => ParsedBy('isPeriod', (value) => parsePeriod(value, 'effectiveFrom'));

/**
 * The members of an indicator definition. Only declared (`@Allow`): the framework decider checks
 * each one (and names it, `indicators[0].target`); declaring them here refuses any other.
 */
export class ExpectedRangeBody {
  @ApiProperty({ example: 0 })
  @Allow()
  lower!: number;

  @ApiProperty({ example: 3 })
  @Allow()
  upper!: number;
}

export class IndicatorBody {
  @ApiProperty({ example: 'EDU', description: 'A letter, then up to 39 letters, digits, _ or -.' })
  @Allow()
  code!: string;

  @ApiProperty({ example: 'Children in full-time education (%)' })
  @Allow()
  name!: string;

  @ApiProperty({ enum: INDICATOR_UNITS, example: 'percentage' })
  @Allow()
  unit!: string;

  @ApiProperty({ enum: DIRECTIONS, example: 'higher-is-better' })
  @Allow()
  direction!: string;

  @ApiPropertyOptional({ example: 95 })
  @Allow()
  target?: number;

  @ApiPropertyOptional({ type: [Number], example: [95, 96, 97] })
  @Allow()
  targetsByContractYear?: number[];

  @ApiPropertyOptional({ example: 80, description: 'The floor standard: amber down to here.' })
  @Allow()
  floor?: number;

  @ApiPropertyOptional({ example: 5, description: 'Or an amber band this wide.' })
  @Allow()
  tolerance?: number;

  @ApiPropertyOptional({ type: ExpectedRangeBody, description: 'For within-range indicators.' })
  @IsOptional()
  @NestedObject(() => ExpectedRangeBody)
  expectedRange?: ExpectedRangeBody;

  @ApiProperty({ enum: PERIODICITIES, example: 'monthly' })
  @Allow()
  periodicity!: string;

  @ApiProperty({ enum: AGGREGATION_RULES, example: 'average' })
  @Allow()
  aggregation!: string;
}

export class BonusRuleBody {
  @ApiProperty({ example: 8 })
  @Allow()
  required!: number;

  @ApiProperty({ example: 9 })
  @Allow()
  of!: number;
}

export class PublishFrameworkVersionBody {
  @ApiProperty({ example: "Children's homes — operational KPIs" })
  @IsString()
  name!: string;

  @ApiProperty({
    example: '2027-04',
    description: 'The first month judged by this version (YYYY-MM).',
  })
  @IsEffectiveFrom()
  effectiveFrom!: Period;

  @ApiProperty({
    type: [IndicatorBody],
    example: [
      {
        code: 'EDU',
        name: 'Children in full-time education (%)',
        unit: 'percentage',
        direction: 'higher-is-better',
        target: 95,
        floor: 80,
        periodicity: 'monthly',
        aggregation: 'average',
      },
    ],
    description:
      'Indicator definitions (docs/kpi-frameworks.md): code, name, unit, direction, target or targetsByContractYear, floor or tolerance, expectedRange, periodicity, aggregation.',
  })
  @NestedList(() => IndicatorBody, 'must be an indicator definition')
  indicators!: IndicatorBody[];

  @ApiPropertyOptional({
    type: BonusRuleBody,
    example: { required: 8, of: 9 },
    description: 'k of n met for bonus compliance; null for none.',
    nullable: true,
  })
  @IsOptional()
  @NestedObject(() => BonusRuleBody)
  bonusRule?: BonusRuleBody | null;
}

export class PublishPresetBody {
  @ApiProperty({ example: '2026-04', description: 'The first month the preset judges (YYYY-MM).' })
  @IsEffectiveFrom()
  effectiveFrom!: Period;
}
