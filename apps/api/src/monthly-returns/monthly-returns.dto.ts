import { AGGREGATION_RULES, DIRECTIONS, INDICATOR_UNITS, PERIODICITIES } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsNotEmpty, IsObject, IsOptional, IsString } from 'class-validator';
import { MapOfObjectsShaped, NestedList, NestedObject } from '../http/nested-members';

const VALUES_EXAMPLE = {
  SUP: 100,
  TRN: 96,
  EDU: 85,
  PLN: 100,
  RTI: { notApplicable: true, reason: 'No missing episodes' },
  NTF: 100,
  R44: true,
  RPI: 1,
  AGY: 8,
};

/**
 * The values of a return are keyed by indicator code, so only the framework knows which may be
 * given and of what type (the monthly-return decider checks that); an object value is a ratio
 * or "not applicable", and has those members only.
 */
const INDICATOR_VALUE_SHAPES = [
  ['numerator', 'denominator'],
  ['notApplicable', 'reason'],
] as const;

export class SubmitMonthlyReturnBody {
  @ApiProperty({
    example: '2026-09',
    description: 'The month reported: YYYY-MM, a month that has ended.',
  })
  @IsString()
  period!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: VALUES_EXAMPLE,
    description:
      'Indicator code → value for every indicator of the framework version in force: a number (count, percentage 0–100, hours, days), true/false (yes-no), { numerator, denominator } (ratio), or { notApplicable: true, reason }.',
  })
  @IsObject()
  @MapOfObjectsShaped(...INDICATOR_VALUE_SHAPES)
  values!: Record<string, unknown>;
}

export class AmendMonthlyReturnBody {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { EDU: 70 },
    description: 'The indicators that change, with their new values.',
  })
  @IsObject()
  @MapOfObjectsShaped(...INDICATOR_VALUE_SHAPES)
  values!: Record<string, unknown>;

  @ApiProperty({ example: 'Two children were recorded as in education while excluded' })
  @IsString({ message: 'is required: why the values change' })
  @IsNotEmpty({ message: 'is required: why the values change' })
  reason!: string;
}

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
  @IsString()
  effectiveFrom!: string;

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
  @IsString()
  effectiveFrom!: string;
}

export class JudgementDto {
  @ApiProperty({ enum: ['met', 'missed', 'not-applicable'] })
  outcome!: string;
  @ApiProperty({ enum: ['green', 'amber', 'red', 'grey'] })
  rag!: string;
  @ApiProperty({ nullable: true, type: Number, example: 85 })
  value!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 90 })
  target!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 75 })
  floor!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: null })
  tolerance!: number | null;
  @ApiProperty({ nullable: true, type: Object, example: null })
  expectedRange!: { lower: number; upper: number } | null;
}

export class JudgedReturnDto {
  @ApiProperty({ example: 'acme:monthly-return:ty-gwyn:2026-09' })
  streamId!: string;
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;
  @ApiProperty({ example: '2026-09' })
  period!: string;
  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;
  @ApiProperty({ example: 1 })
  frameworkVersion!: number;
  @ApiProperty({ example: '2026-10-20' })
  dueDate!: string;
  @ApiProperty({
    example: false,
    nullable: true,
    type: Boolean,
    description: 'Whether the submission was late; null on an amendment.',
  })
  late!: boolean | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/JudgementDto' },
    example: {
      EDU: {
        outcome: 'missed',
        rag: 'amber',
        value: 85,
        target: 90,
        floor: 75,
        tolerance: null,
        expectedRange: null,
      },
    },
  })
  results!: Record<string, JudgementDto>;
  @ApiProperty({ nullable: true, example: { met: 8, required: 8, of: 9, compliant: true } })
  bonus!: { met: number; required: number; of: number; compliant: boolean } | null;
  @ApiProperty({ example: 0, description: 'Amendments so far.' })
  amendments!: number;
  @ApiProperty({
    example: false,
    description: 'True when this was a retry (same Idempotency-Key): nothing new was written.',
  })
  replayed!: boolean;
}
