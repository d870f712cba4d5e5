import {
  MAX_CAPACITY_COUNT,
  MAX_CAPACITY_HOURS,
  parsePeriod,
  QUARTERLY_RETURN_KPI_CODES,
  type Period,
} from '@kpi/domain';
import { ApiHideProperty, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { Allow } from 'class-validator';
import { MapOfObjectsShaped } from '../http/nested-members';
import { IsFinancialQuarter, IsMonth, ParsedBy } from '../http/query-params';

/**
 * Requests and answers of the provider returns (docs/provider-returns.md). The council and
 * framework, the month and the quarter are parsed here, at the edge (the path by `@IdInPath`,
 * `@MonthInPath`, `@QuarterInPath`); the figures and the reason only declare their fields
 * (`@Allow`): their rules — types, ranges, the figures of each KPI — are the deciders', which
 * name every wrong field in one 400. Only the members of each KPI's figures are checked here
 * too, so that a stray one is refused before anything is read (the decider refuses it as well,
 * in the same words).
 */

const COUNT = { minimum: 0, maximum: MAX_CAPACITY_COUNT } as const;
const HOURS = { minimum: 0, maximum: MAX_CAPACITY_HOURS, multipleOf: 0.01 } as const;

export class CapacityFiguresBody {
  @ApiProperty({
    ...COUNT,
    example: 40,
    description: 'Care workers employed: a whole number, 0 or more.',
  })
  @Allow()
  careWorkers!: number;

  @ApiProperty({
    ...COUNT,
    example: 55,
    description: 'Current packages of care: a whole number, 0 or more.',
  })
  @Allow()
  packages!: number;

  @ApiProperty({
    ...HOURS,
    example: 812.5,
    description: 'Current total hours a week across those packages: 0 or more, at most 2 decimals.',
  })
  @Allow()
  totalHours!: number;

  @ApiProperty({
    ...HOURS,
    example: 120,
    description:
      'Hours the provider estimates it can take on in the month ahead: 0 or more, at most 2 decimals.',
  })
  @Allow()
  estimatedHoursAvailableNextMonth!: number;

  /** Worked out (totalHours ÷ careWorkers); declared only so that sending it is refused by name. */
  @ApiHideProperty()
  @Allow()
  averageHoursPerCareWorker?: unknown;
}

export class SubmitCapacityReturnBody extends CapacityFiguresBody {
  @ApiProperty({
    example: '2026-05',
    description: 'The month the figures are for (YYYY-MM): this month or an earlier one (London).',
  })
  @ParsedBy('isPeriod', (value) => parsePeriod(value))
  period!: Period;
}

export class AmendCapacityReturnBody extends CapacityFiguresBody {
  @ApiProperty({
    example: 'Two care workers who started on 28 May were left out',
    description: 'Why the figures change: 1 to 2000 characters.',
  })
  @Allow()
  reason!: string;
}

const FIGURES_EXAMPLE = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
  'diploma-level-1': { numerator: 12, denominator: 40 },
  'diploma-level-2': { numerator: 9, denominator: 40 },
};

/** A KPI's figures have these members and no other (refused by name before anything is read). */
const FIGURE_MEMBERS = ['numerator', 'denominator'] as const;

const FIGURES_DESCRIPTION = `KPI code → { numerator, denominator } for every one of ${QUARTERLY_RETURN_KPI_CODES.join(', ')}: whole numbers, 0 or more, the numerator at most the denominator — except staff-turnover (leavers ÷ average headcount), whose leavers may exceed the headcount and whose denominator may end in .5.`;

export class SubmitQuarterlyReturnBody {
  @ApiProperty({
    example: '2026-27 Q1',
    description:
      'A UK financial-year quarter (`2026-27 Q1` is April–June 2026): from its last month (June) onwards.',
  })
  @IsFinancialQuarter()
  quarter!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: FIGURES_EXAMPLE,
    description: FIGURES_DESCRIPTION,
  })
  @Allow()
  @MapOfObjectsShaped(FIGURE_MEMBERS)
  figures!: Record<string, unknown>;
}

export class AmendQuarterlyReturnBody {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { ...FIGURES_EXAMPLE, 'staff-turnover': { numerator: 3, denominator: 39.5 } },
    description: `The figures of every KPI again, not only those that change. ${FIGURES_DESCRIPTION}`,
  })
  @Allow()
  @MapOfObjectsShaped(FIGURE_MEMBERS)
  figures!: Record<string, unknown>;

  @ApiProperty({
    example: 'A leaver on 30 June was recorded in July',
    description: 'Why the figures change: 1 to 2000 characters.',
  })
  @Allow()
  reason!: string;
}

export class CapacityReturnAcceptedDto {
  @ApiProperty({
    example: 'southwark:provider-capacity-return:care-at-home-2026:bryn-care:2026-05',
  })
  streamId!: string;

  @ApiProperty({ example: 'bryn-care' })
  providerId!: string;

  @ApiProperty({ example: '2026-05' })
  period!: string;

  @ApiProperty({ example: 40 })
  careWorkers!: number;

  @ApiProperty({ example: 55 })
  packages!: number;

  @ApiProperty({ example: 812.5 })
  totalHours!: number;

  @ApiProperty({
    example: 20.3,
    nullable: true,
    type: Number,
    description: 'Worked out: totalHours ÷ careWorkers to one decimal; null with no care workers.',
  })
  averageHoursPerCareWorker!: number | null;

  @ApiProperty({ example: 120 })
  estimatedHoursAvailableNextMonth!: number;

  @ApiProperty({
    description: 'True when this request had been carried out before (same Idempotency-Key).',
  })
  replayed!: boolean;
}

export class QuarterlyReturnAcceptedDto {
  @ApiProperty({
    example: 'southwark:provider-quarterly-return:care-at-home-2026:bryn-care:2026-27-q1',
  })
  streamId!: string;

  @ApiProperty({ example: 'bryn-care' })
  providerId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ example: '2026-27-q1', description: 'The quarter in amendment URLs.' })
  quarterKey!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: FIGURES_EXAMPLE })
  figures!: Record<string, { numerator: number; denominator: number }>;

  @ApiProperty()
  replayed!: boolean;
}

export class CapacityReturnsQuery {
  @ApiProperty({ example: '2026-05', description: 'The month (YYYY-MM).' })
  @IsMonth()
  period!: Period;
}

export class QuarterlyReturnsQuery {
  @ApiProperty({
    example: '2026-27 Q1',
    description: 'A UK financial-year quarter (in a URL: `2026-27%20Q1`).',
  })
  @IsFinancialQuarter()
  quarter!: string;
}

const RETURN_STATUSES = ['returned', 'missing'] as const;

/** Who made a return, when, and its amendments: null while it is missing. */
class ReturnedByDto {
  @ApiProperty({ example: 'bryn-care' })
  providerId!: string;

  @ApiProperty({
    enum: RETURN_STATUSES,
    example: 'returned',
    description: '`missing`: no return for the period yet (every figure null).',
  })
  status!: (typeof RETURN_STATUSES)[number];

  @ApiProperty({ example: '2026-06-03T09:00:00.000Z', nullable: true, type: String })
  submittedAt!: string | null;

  @ApiProperty({ example: 'user-ola', nullable: true, type: String })
  submittedBy!: string | null;

  @ApiProperty({ example: 1, description: 'Amendments since it was submitted (0 when missing).' })
  amendments!: number;

  @ApiProperty({ example: '2026-06-05T14:00:00.000Z', nullable: true, type: String })
  lastAmendedAt!: string | null;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
    nullable: true,
    example: 'Two care workers who started on 28 May were left out',
    description:
      'Why it was last amended: the text (kept in the personal-data vault), or { erasedOn } once its data subject was erased; null when never amended.',
  })
  lastAmendmentReason!: string | ErasedTextDto | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '5d0c1f7e-2b9a-4c63-8e41-0f7a9d2b6c35',
    description:
      "The reason's data subject (one per amendment), which a data-protection officer of the council erases; null for an amendment stored before reasons were kept apart, or none.",
  })
  lastAmendmentDataSubjectId!: string | null;
}

export class CapacityReturnRowDto extends ReturnedByDto {
  @ApiProperty({ example: 42, nullable: true, type: Number })
  careWorkers!: number | null;

  @ApiProperty({ example: 55, nullable: true, type: Number })
  packages!: number | null;

  @ApiProperty({ example: 812.5, nullable: true, type: Number })
  totalHours!: number | null;

  @ApiProperty({ example: 19.3, nullable: true, type: Number })
  averageHoursPerCareWorker!: number | null;

  @ApiProperty({ example: 150, nullable: true, type: Number })
  estimatedHoursAvailableNextMonth!: number | null;
}

export class CapacityTotalsDto {
  @ApiProperty({ example: 97 })
  careWorkers!: number;

  @ApiProperty({ example: 130 })
  packages!: number;

  @ApiProperty({ example: 1905.5 })
  totalHours!: number;

  @ApiProperty({
    example: 19.6,
    nullable: true,
    type: Number,
    description: 'Total hours ÷ care workers across the returns in, to one decimal.',
  })
  averageHoursPerCareWorker!: number | null;

  @ApiProperty({ example: 310 })
  estimatedHoursAvailableNextMonth!: number;
}

export class CapacityReturnsDto {
  @ApiProperty({ example: 'southwark' })
  councilId!: string;

  @ApiProperty({ example: 'care-at-home-2026' })
  frameworkId!: string;

  @ApiProperty({ example: '2026-05' })
  period!: string;

  @ApiProperty({
    type: [CapacityReturnRowDto],
    description:
      'The council: every provider on the framework, in rotation order, those without a return listed as missing. A provider: its own row only.',
  })
  providers!: CapacityReturnRowDto[];

  @ApiProperty({ example: 2, description: 'Rows with a return.' })
  returned!: number;

  @ApiProperty({ example: 1, description: 'Rows still missing.' })
  missing!: number;

  @ApiProperty({ type: CapacityTotalsDto, description: 'The returned rows added up.' })
  totals!: CapacityTotalsDto;
}

export class QuarterlyReturnRowDto extends ReturnedByDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: FIGURES_EXAMPLE,
    description: 'KPI code → { numerator, denominator }, as last submitted or amended.',
  })
  figures!: Record<string, { numerator: number; denominator: number }> | null;
}

export class QuarterlyReturnsDto {
  @ApiProperty({ example: 'southwark' })
  councilId!: string;

  @ApiProperty({ example: 'care-at-home-2026' })
  frameworkId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({
    type: [QuarterlyReturnRowDto],
    description:
      'The council: every provider on the framework, in rotation order, those without a return listed as missing. A provider: its own row only.',
  })
  providers!: QuarterlyReturnRowDto[];

  @ApiProperty({ example: 2 })
  returned!: number;

  @ApiProperty({ example: 1 })
  missing!: number;
}
