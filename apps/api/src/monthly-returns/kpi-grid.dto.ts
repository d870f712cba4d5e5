import { DIRECTIONS, INDICATOR_UNITS } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommentaryDto } from './commentary.dto';

/** One indicator of one service-month, as last submitted or amended, with how it was judged. */
export class KpiGridCellDto {
  @ApiProperty({
    description:
      'The value as given: a number, true/false (yes-no), { numerator, denominator } (ratio) or { notApplicable: true, reason }.',
    oneOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'object' }],
    example: 85,
  })
  value!: unknown;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 85,
    description: "The number judged: a ratio's quotient, 1/0 for yes/no; null when not applicable.",
  })
  judgedValue!: number | null;

  @ApiProperty({ enum: ['met', 'missed', 'not-applicable'], example: 'missed' })
  outcome!: string;

  @ApiProperty({ enum: ['green', 'amber', 'red', 'grey'], example: 'amber' })
  rag!: string;

  @ApiProperty({ nullable: true, type: Number, example: 90, description: 'The target used.' })
  target!: number | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 75,
    description: 'The floor standard used.',
  })
  floor!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: null, description: 'The tolerance used.' })
  tolerance!: number | null;

  @ApiProperty({
    nullable: true,
    type: Object,
    example: null,
    description: 'The expected range used (within-range indicators): { lower, upper }.',
  })
  expectedRange!: { lower: number; upper: number } | null;

  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({ example: 1, description: 'The framework version that judged it.' })
  frameworkVersion!: number;

  @ApiProperty({
    format: 'date-time',
    example: '2026-10-12T09:00:00.000Z',
    description: "When this indicator's value was last set (submission or amendment).",
  })
  lastChangedAt!: string;
  @ApiPropertyOptional({
    type: CommentaryDto,
    description:
      "The service's commentary on the indicator's month (docs/decisions/0038), where there is one.",
  })
  commentary?: CommentaryDto;
}

export class BonusDto {
  @ApiProperty({ example: 8, description: 'Indicators met.' })
  met!: number;
  @ApiProperty({ example: 8, description: 'Needed for bonus compliance (k of n).' })
  required!: number;
  @ApiProperty({ example: 9 })
  of!: number;
  @ApiProperty({ example: true })
  compliant!: boolean;
}

export class KpiGridMonthDto {
  @ApiProperty({ example: '2026-09' })
  period!: string;

  @ApiProperty({ example: '2026-10-20', description: 'The 20th of the following month.' })
  dueDate!: string;

  @ApiProperty({ example: true, description: 'False for a month without a return: a gap.' })
  submitted!: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: '2026-10-12T09:00:00.000Z',
  })
  submittedAt!: string | null;

  @ApiProperty({
    nullable: true,
    type: Boolean,
    example: false,
    description: 'Submitted after its due date; null without a return.',
  })
  late!: boolean | null;

  @ApiProperty({ example: false, description: 'Whether any amendment changed the return.' })
  amended!: boolean;

  @ApiProperty({ example: 0 })
  amendments!: number;

  @ApiProperty({ nullable: true, type: String, example: 'childrens-homes' })
  frameworkId!: string | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 1,
    description: 'The framework version in force for the month, which judged every cell.',
  })
  frameworkVersion!: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'mgr-siwan',
    description:
      "The manager in post on the month's last day (the one the capability procedure charges the month to); null when nobody was appointed.",
  })
  managerId!: string | null;

  @ApiProperty({
    type: BonusDto,
    nullable: true,
    description: 'Null without a return, or when the framework has no bonus scheme.',
  })
  bonus!: BonusDto | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/KpiGridCellDto' },
    description: 'Indicator code → cell; {} for a month without a return.',
    example: {
      EDU: {
        value: 85,
        judgedValue: 85,
        outcome: 'missed',
        rag: 'amber',
        target: 90,
        floor: 75,
        tolerance: null,
        expectedRange: null,
        frameworkId: 'childrens-homes',
        frameworkVersion: 1,
        lastChangedAt: '2026-10-12T09:00:00.000Z',
      },
    },
  })
  cells!: Record<string, KpiGridCellDto>;
}

export class KpiGridServiceDto {
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  name!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({
    example: '2024-04-01',
    description: 'Months before the one it opened in are not listed.',
  })
  openedOn!: string;

  @ApiProperty({ type: [KpiGridMonthDto] })
  months!: KpiGridMonthDto[];
}

export class KpiGridIndicatorDto {
  @ApiProperty({ example: 'EDU' })
  code!: string;

  @ApiProperty({ example: 'Education attendance' })
  name!: string;

  @ApiProperty({ enum: INDICATOR_UNITS, example: 'percentage' })
  unit!: string;

  @ApiProperty({ enum: DIRECTIONS, example: 'higher-is-better' })
  direction!: string;
}

export class KpiGridFrameworkDto {
  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ example: "Children's homes — operational KPIs" })
  name!: string;

  @ApiProperty({
    type: [KpiGridIndicatorDto],
    description: 'What each indicator measures, as this version defines it.',
  })
  indicators!: KpiGridIndicatorDto[];
}

export class KpiGridDto {
  @ApiProperty({ example: '2026-04' })
  from!: string;

  @ApiProperty({ example: '2026-09' })
  to!: string;

  @ApiProperty({
    type: [KpiGridFrameworkDto],
    description:
      'Every framework version that judged a month of the grid, with the name, unit and direction of each indicator.',
  })
  frameworks!: KpiGridFrameworkDto[];

  @ApiProperty({ type: [KpiGridServiceDto] })
  services!: KpiGridServiceDto[];
}
