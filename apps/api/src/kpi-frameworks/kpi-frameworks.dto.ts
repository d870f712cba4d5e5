import {
  AGGREGATION_RULES,
  DIRECTIONS,
  FORMULA_OPERATIONS,
  INDICATOR_KINDS,
  INDICATOR_UNITS,
  parsePeriod,
  PERIODICITIES,
  YEAR_BASES,
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

/** A financial quarter's own expected range, by quarter (Q1 = Apr–Jun … Q4 = Jan–Mar). */
export class ExpectedRangesByQuarterBody {
  @ApiPropertyOptional({ type: ExpectedRangeBody, example: { lower: 90, upper: 120 } })
  @IsOptional()
  @NestedObject(() => ExpectedRangeBody)
  Q1?: ExpectedRangeBody;

  @ApiPropertyOptional({ type: ExpectedRangeBody, example: { lower: 80, upper: 110 } })
  @IsOptional()
  @NestedObject(() => ExpectedRangeBody)
  Q2?: ExpectedRangeBody;

  @ApiPropertyOptional({ type: ExpectedRangeBody, example: { lower: 90, upper: 120 } })
  @IsOptional()
  @NestedObject(() => ExpectedRangeBody)
  Q3?: ExpectedRangeBody;

  @ApiPropertyOptional({ type: ExpectedRangeBody, example: { lower: 100, upper: 130 } })
  @IsOptional()
  @NestedObject(() => ExpectedRangeBody)
  Q4?: ExpectedRangeBody;
}

export class FormulaBody {
  @ApiProperty({ enum: FORMULA_OPERATIONS, example: 'difference' })
  @Allow()
  operation!: string;

  @ApiProperty({
    type: [String],
    example: ['BEDS_AVAILABLE', 'BEDS_DELIVERED'],
    description: 'Codes of typed indicators of the same version: [a, b] for a − b and 100 × a / b.',
  })
  @Allow()
  of!: string[];
}

export class BreakdownBody {
  @ApiProperty({ example: 'lead need' })
  @Allow()
  name!: string;

  @ApiProperty({ type: [String], example: ['MH', 'LD', 'PSD', 'OP'] })
  @Allow()
  categories!: string[];
}

export class TargetsByPeriodBody {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { Q1: 70, Q2: 75, Q3: 80, Q4: 85 },
    description:
      'By quarter of the financial year (Q1 = Apr–Jun … Q4 = Jan–Mar), for indicators on the financial year.',
  })
  @Allow()
  quarters?: Record<string, number>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { autumn: 90, spring: 92, summer: 94 },
    description:
      'By academic term (autumn Sep–Dec, spring Jan–Mar, summer Apr–Aug), for termly indicators and others on the academic year.',
  })
  @Allow()
  terms?: Record<string, number>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { '2026/27': 80 },
    description:
      "By year of the indicator's year basis (financial, or academic for termly ones), where no quarter or term target is set.",
  })
  @Allow()
  years?: Record<string, number>;
}

export class PreviousOutturnBody {
  @ApiProperty({ example: 64 })
  @Allow()
  value!: number;

  @ApiProperty({ example: '2012/13' })
  @Allow()
  period!: string;
}

export class ComparativeBenchmarkBody {
  @ApiProperty({ example: 71 })
  @Allow()
  value!: number;

  @ApiProperty({ example: 'England average 2012/13' })
  @Allow()
  source!: string;
}

export class IndicatorBody {
  @ApiProperty({ example: 'EDU', description: 'A letter, then up to 39 letters, digits, _ or -.' })
  @Allow()
  code!: string;

  @ApiProperty({ example: 'Children in full-time education (%)' })
  @Allow()
  name!: string;

  @ApiPropertyOptional({
    example: 'Staffing',
    description: 'The heading it is listed under (1 to 100 characters); not judged.',
  })
  @Allow()
  group?: string;

  @ApiPropertyOptional({
    enum: INDICATOR_KINDS,
    example: 'target',
    description:
      'target (judged: RAG; the default), data-only (collected, never judged), derived (computed by formula, never typed), activity (flagged outside expectedRange).',
  })
  @Allow()
  kind?: string;

  @ApiProperty({ enum: INDICATOR_UNITS, example: 'percentage' })
  @Allow()
  unit!: string;

  @ApiProperty({ enum: DIRECTIONS, example: 'higher-is-better' })
  @Allow()
  direction!: string;

  @ApiPropertyOptional({ type: FormulaBody, description: 'For derived indicators.' })
  @IsOptional()
  @NestedObject(() => FormulaBody)
  formula?: FormulaBody;

  @ApiPropertyOptional({
    type: BreakdownBody,
    description: 'A value is then given as its parts: { "parts": { "MH": 3, … } }.',
  })
  @IsOptional()
  @NestedObject(() => BreakdownBody)
  breakdown?: BreakdownBody;

  @ApiPropertyOptional({ example: 95 })
  @Allow()
  target?: number;

  @ApiPropertyOptional({
    type: TargetsByPeriodBody,
    description:
      "A month (or a quarter or term judged whole) takes its quarter's or term's target, else its year's, else target.",
  })
  @IsOptional()
  @NestedObject(() => TargetsByPeriodBody)
  targetsByPeriod?: TargetsByPeriodBody;

  @ApiPropertyOptional({
    type: [Number],
    example: [95, 96, 97, 99],
    description:
      'Targets of contract years 1, 2, … (the last holds after), counted from contractStart; not with targetsByPeriod.',
  })
  @Allow()
  targetsByContractYear?: number[];

  @ApiPropertyOptional({
    example: '2026-04',
    description: 'The month contract year 1 begins (YYYY-MM); required with targetsByContractYear.',
  })
  @Allow()
  contractStart?: string;

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

  @ApiPropertyOptional({
    type: ExpectedRangesByQuarterBody,
    description:
      "A financial quarter's own expected range (activity and within-range indicators); other quarters take expectedRange.",
  })
  @IsOptional()
  @NestedObject(() => ExpectedRangesByQuarterBody)
  expectedRangesByQuarter?: ExpectedRangesByQuarterBody;

  @ApiPropertyOptional({ type: PreviousOutturnBody, description: 'Context: not judged.' })
  @IsOptional()
  @NestedObject(() => PreviousOutturnBody)
  previousOutturn?: PreviousOutturnBody;

  @ApiPropertyOptional({ type: ComparativeBenchmarkBody, description: 'Context: not judged.' })
  @IsOptional()
  @NestedObject(() => ComparativeBenchmarkBody)
  comparativeBenchmark?: ComparativeBenchmarkBody;

  @ApiProperty({
    enum: PERIODICITIES,
    example: 'monthly',
    description:
      'How often it is reported: every month, at the financial quarters’ ends (Jun, Sep, Dec, Mar), at the academic terms’ ends (Dec, Mar, Aug) or at the end of its year.',
  })
  @Allow()
  periodicity!: string;

  @ApiPropertyOptional({
    enum: YEAR_BASES,
    example: 'financial',
    description:
      'Financial (April–March; the default) or academic (September–August; always for termly). An annual indicator on the academic year is reported in August.',
  })
  @Allow()
  yearBasis?: string;

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
      {
        code: 'PEOPLE',
        name: 'People supported',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        breakdown: { name: 'lead need', categories: ['MH', 'LD', 'PSD', 'OP'] },
        periodicity: 'monthly',
        aggregation: 'last',
      },
      {
        code: 'OCCUPANCY',
        name: 'Respite occupancy (%)',
        kind: 'derived',
        formula: { operation: 'percentage', of: ['BEDS_DELIVERED', 'BEDS_AVAILABLE'] },
        unit: 'percentage',
        direction: 'higher-is-better',
        targetsByPeriod: { quarters: { Q1: 70, Q2: 75, Q3: 80, Q4: 85 } },
        floor: 60,
        previousOutturn: { value: 64, period: '2025/26' },
        comparativeBenchmark: { value: 71, source: 'England average 2025/26' },
        periodicity: 'monthly',
        aggregation: 'average',
      },
    ],
    description:
      'Indicator definitions (docs/kpi-frameworks.md): code, name, kind, unit, direction, formula, breakdown, target, targetsByPeriod or targetsByContractYear with contractStart, floor or tolerance, expectedRange, expectedRangesByQuarter, previousOutturn, comparativeBenchmark, periodicity, yearBasis, aggregation.',
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
