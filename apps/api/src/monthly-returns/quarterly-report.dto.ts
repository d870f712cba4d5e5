import { AGGREGATION_RULES, DIRECTIONS, INDICATOR_KINDS, INDICATOR_UNITS } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEntityId, IsFinancialQuarter } from '../http/query-params';
import { CommentaryDto } from './commentary.dto';

/** Services listed in one answer unless `limit` says otherwise, and the most it may say. */
export const DEFAULT_REPORT_SERVICES = 100;
export const MAX_REPORT_SERVICES = 1000;

/** The quarterly report's parameters: a financial quarter, optionally one region or one service. */
export class QuarterlyReportQuery {
  @ApiProperty({
    example: '2026-27 Q1',
    description:
      'A UK financial-year quarter: `2026-27 Q1` is April–June 2026, Q2 July–September, Q3 October–December, Q4 January–March 2027 (in a URL: `2026-27%20Q1`).',
  })
  @IsFinancialQuarter()
  quarter!: string;

  @ApiPropertyOptional({ example: 'north-wales', description: "Only this region's services." })
  @IsOptional()
  @IsEntityId()
  regionId?: string;

  @ApiPropertyOptional({ example: 'ty-gwyn', description: 'Only this service.' })
  @IsOptional()
  @IsEntityId()
  serviceId?: string;

  @ApiPropertyOptional({
    enum: ['months'],
    example: 'months',
    description:
      "`months`: each service's lines carry their three months, each judged, as the total's do. Without it a service's line has its quarter only (the total always has its months): for a council of a thousand services the months make the answer ten times larger.",
  })
  @IsOptional()
  @IsIn(['months'], { message: 'must be months, or left out' })
  detail?: 'months';

  @ApiPropertyOptional({
    example: 100,
    minimum: 1,
    maximum: MAX_REPORT_SERVICES,
    description: `Most services to list (default ${DEFAULT_REPORT_SERVICES}), by name; \`nextOffset\` pages on. The total is always of every service of the report.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `must be a whole number from 1 to ${MAX_REPORT_SERVICES}` })
  @Min(1, { message: `must be a whole number from 1 to ${MAX_REPORT_SERVICES}` })
  @Max(MAX_REPORT_SERVICES, { message: `must be a whole number from 1 to ${MAX_REPORT_SERVICES}` })
  limit?: number;

  @ApiPropertyOptional({
    example: 0,
    minimum: 0,
    description: 'Skip this many services (from nextOffset).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number from 0' })
  @Min(0, { message: 'must be a whole number from 0' })
  offset?: number;
}

const NOT_ROLLED_UP_DESCRIPTION =
  'Only on a span whose months were judged under different units or aggregation rules (a framework version changed them within the span), which are not mixed: why the span has no value; its value, judgedValue and judgement are then null.';

const VALUE_DESCRIPTION =
  'A number, true/false (yes-no), { numerator, denominator } (ratio), { parts: { MH: 3, … }, total } (a breakdown: each part rolled up as the total is) or { notApplicable: true, reason }; null without a return.';

export class QuarterJudgementDto {
  @ApiProperty({
    enum: ['met', 'missed', 'not-applicable', 'not-judged', 'in-range', 'flagged'],
    example: 'met',
    description:
      '`in-range`/`flagged`: an activity indicator inside or outside its expected range.',
  })
  outcome!: string;

  @ApiProperty({ enum: ['green', 'amber', 'red', 'grey'], example: 'green' })
  rag!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 90,
    description:
      "A month's target; for the quarter, the quarter's (targetsByPeriod.quarters), else the financial year's, else the indicator's target.",
  })
  target!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 75 })
  floor!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: null })
  tolerance!: number | null;

  @ApiProperty({ nullable: true, type: Object, example: null })
  expectedRange!: { lower: number; upper: number } | null;
}

const JUDGEMENT_DESCRIPTION =
  'Null for an indicator not judged (data-only, derived without a target, or without a target or range) and without a value.';

const TRAVELS = ['better', 'same', 'worse'];

export class QuarterTravelDto {
  @ApiProperty({ example: '2026-27 Q4' })
  previousQuarter!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 30,
    description:
      'The previous quarter rolled up the same way (the number judged); null without a value.',
  })
  previousQuarterValue!: number | null;

  @ApiProperty({
    nullable: true,
    enum: TRAVELS,
    example: 'better',
    description: "In the indicator's direction (within-range: closer to the range is better).",
  })
  againstPreviousQuarter!: string | null;

  @ApiProperty({ nullable: true, type: Object, example: { value: 30, period: '2025/26' } })
  previousOutturn!: { value: number; period: string } | null;

  @ApiProperty({ nullable: true, enum: TRAVELS, example: 'better' })
  againstOutturn!: string | null;
}

export class QuarterlyMonthDto {
  @ApiProperty({ example: '2026-04' })
  period!: string;

  @ApiProperty({
    description: VALUE_DESCRIPTION,
    nullable: true,
    oneOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'object' }],
    example: 12,
  })
  value!: unknown;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 12,
    description: "The number judged: a ratio as a percentage, yes/no as 1/0, a breakdown's total.",
  })
  judgedValue!: number | null;

  @ApiProperty({
    type: QuarterJudgementDto,
    nullable: true,
    description: `The month judged against its own target. ${JUDGEMENT_DESCRIPTION}`,
  })
  judgement!: QuarterJudgementDto | null;

  @ApiPropertyOptional({
    example: 'the unit changed from count to ratio in 2026-05',
    description: `In the total only: ${NOT_ROLLED_UP_DESCRIPTION}`,
  })
  notRolledUp?: string;

  @ApiPropertyOptional({
    type: CommentaryDto,
    description:
      "The commentary on the indicator's month (docs/decisions/0038), where there is one.",
  })
  commentary?: CommentaryDto;
}

export class QuarterFigureDto {
  @ApiProperty({
    description: `The quarter rolled up by the indicator's aggregation rule. ${VALUE_DESCRIPTION}`,
    nullable: true,
    oneOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'object' }],
    example: 36,
  })
  value!: unknown;

  @ApiProperty({ nullable: true, type: Number, example: 36 })
  judgedValue!: number | null;

  @ApiPropertyOptional({
    example: 'the unit changed from count to ratio in 2026-05',
    description: NOT_ROLLED_UP_DESCRIPTION,
  })
  notRolledUp?: string;

  @ApiProperty({ example: 3, description: 'Months (service-months in the total) with a value.' })
  monthsWithValue!: number;

  @ApiProperty({ example: 0, description: 'Months (service-months) not applicable.' })
  monthsNotApplicable!: number;

  @ApiProperty({
    type: QuarterJudgementDto,
    nullable: true,
    description: `The rolled-up value judged against the quarter's target (or expected range). ${JUDGEMENT_DESCRIPTION}`,
  })
  judgement!: QuarterJudgementDto | null;

  @ApiProperty({ type: QuarterTravelDto })
  travel!: QuarterTravelDto;
}

export class QuarterlyLineDto {
  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({ example: 'EDU' })
  code!: string;

  @ApiPropertyOptional({
    type: [QuarterlyMonthDto],
    description:
      "The quarter's three months, in order: always in the total, in a service's line with `detail=months`.",
  })
  months?: QuarterlyMonthDto[];

  @ApiProperty({ type: QuarterFigureDto })
  quarter!: QuarterFigureDto;

  @ApiPropertyOptional({
    type: CommentaryDto,
    description:
      "The commentary on the indicator's quarter (docs/decisions/0038): the service's on its line, the organisation's on the total's; present only where there is one.",
  })
  commentary?: CommentaryDto;
}

/** The audited share of the quarter's returns (docs/decisions/0037). */
export class DataQualityFigureDto {
  @ApiProperty({ example: 36, description: "Returns submitted for the quarter's months." })
  returns!: number;
  @ApiProperty({ example: 6, description: 'Of those, sampled by an audit and given a finding.' })
  audited!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 16.7,
    description: 'audited ÷ returns, %.',
  })
  auditedShare!: number | null;
  @ApiProperty({ example: 4 })
  confirmed!: number;
  @ApiProperty({ example: 1 })
  corrected!: number;
  @ApiProperty({ example: 1 })
  queried!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 66.7,
    description: 'confirmed ÷ audited, %.',
  })
  confirmedShare!: number | null;
}

export class QuarterlyIndicatorDto {
  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({
    example: 1,
    description: 'The latest version that judged a month of the quarter: its definition is used.',
  })
  frameworkVersion!: number;

  @ApiProperty({ example: 'EDU' })
  code!: string;

  @ApiProperty({ example: 'Education attendance' })
  name!: string;

  @ApiProperty({ enum: INDICATOR_UNITS, example: 'percentage' })
  unit!: string;

  @ApiPropertyOptional({
    enum: INDICATOR_KINDS,
    example: 'data-only',
    description: 'As the definition gives it; absent for a target indicator (the default).',
  })
  kind?: string;

  @ApiProperty({ enum: DIRECTIONS, example: 'higher-is-better' })
  direction!: string;

  @ApiProperty({ enum: AGGREGATION_RULES, example: 'average' })
  aggregation!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['MH', 'LD'],
    description: "A breakdown's categories: the parts of its values.",
  })
  breakdown?: string[];
}

export class QuarterlyServiceDto {
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  name!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({
    type: [QuarterlyLineDto],
    description: 'One line per indicator with a return in the quarter.',
  })
  lines!: QuarterlyLineDto[];
}

export class QuarterlyReportDto {
  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ example: '2026-04-01' })
  firstDay!: string;

  @ApiProperty({ example: '2026-06-30' })
  lastDay!: string;

  @ApiProperty({ type: [String], example: ['2026-04', '2026-05', '2026-06'] })
  months!: string[];

  @ApiProperty({ type: [QuarterlyIndicatorDto] })
  indicators!: QuarterlyIndicatorDto[];

  @ApiProperty({
    type: [QuarterlyServiceDto],
    description: 'The page of services asked for (`offset`, `limit`), by name.',
  })
  services!: QuarterlyServiceDto[];

  @ApiProperty({ example: 1000, description: 'Services in the report: the total is theirs.' })
  serviceCount!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 100,
    description: 'The `offset` of the next page of services; null on the last.',
  })
  nextOffset!: number | null;

  @ApiProperty({
    type: [QuarterlyLineDto],
    description: 'All the services of the report together, indicator by indicator.',
  })
  total!: QuarterlyLineDto[];

  @ApiProperty({
    type: DataQualityFigureDto,
    description:
      "The audited share of the quarter's returns, for every service of the report (data-quality audits).",
  })
  dataQuality!: DataQualityFigureDto;
}
