import { MAX_REASON_LENGTH, parsePeriod, type Period } from '@kpi/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { MapOfObjectsShaped } from '../http/nested-members';
import { ParsedBy } from '../http/query-params';

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
 * given and of what type (the monthly-return decider checks that); an object value is a ratio,
 * a breakdown's parts (with their total, optionally) or "not applicable", and has those members
 * only.
 */
const INDICATOR_VALUE_SHAPES = [
  ['numerator', 'denominator'],
  ['notApplicable', 'reason'],
  ['parts', 'total'],
] as const;

export class SubmitMonthlyReturnBody {
  @ApiProperty({
    example: '2026-09',
    description: 'The month reported: YYYY-MM, a month that has ended.',
  })
  @ParsedBy('isPeriod', (value) => parsePeriod(value))
  period!: Period;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: VALUES_EXAMPLE,
    description:
      'Indicator code → value for every indicator of the framework version in force: a number (count, percentage 0–100, hours, days), true/false (yes-no), { numerator, denominator } (ratio), { parts: { category: number, … } } (an indicator with a breakdown; a total, if given, must be their sum), or { notApplicable: true, reason }. Derived indicators are computed: never give them.',
  })
  @IsObject()
  @MapOfObjectsShaped(...INDICATOR_VALUE_SHAPES)
  values!: Record<string, unknown>;
}

/** Why an amendment changes the values: checked here, once (the decider takes it as given). */
const REASON_REQUIRED = `is required: why the values change (1 to ${MAX_REASON_LENGTH} characters)`;

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

  @ApiProperty({
    example: 'Two children were recorded as in education while excluded',
    description: `Why the values change: 1 to ${MAX_REASON_LENGTH} characters, not only spaces.`,
    maxLength: MAX_REASON_LENGTH,
  })
  @IsString({ message: REASON_REQUIRED })
  @Matches(/\S/, { message: REASON_REQUIRED })
  @MaxLength(MAX_REASON_LENGTH, { message: REASON_REQUIRED })
  reason!: string;
}

export class JudgementDto {
  @ApiProperty({
    enum: ['met', 'missed', 'not-applicable', 'not-judged', 'in-range', 'flagged'],
    description:
      'not-judged: data-only (or derived without a target), grey; in-range (green) / flagged (amber): activity indicators, never missed.',
  })
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
    enum: ['submitted', 'verified', 'sent-back', 'published'],
    nullable: true,
    example: null,
    description:
      'With sign-off on (docs/decisions/0037): `submitted`, the figures wait to be verified and published before the KPI grid, reports and the bonus use them. Null when sign-off was off: published as given.',
  })
  signOff!: 'submitted' | 'verified' | 'sent-back' | 'published' | null;
  @ApiProperty({
    example: false,
    description: 'True when this was a retry (same Idempotency-Key): nothing new was written.',
  })
  replayed!: boolean;
}
