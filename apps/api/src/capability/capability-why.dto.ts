import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import {
  AppealDto,
  HistoryItemDto,
  ReviewDto,
  SupervisionSessionDto,
  TimelineEntryDto,
} from './capability-timeline.dto';

/** The response of "why": each fact with the stored event it rests on. */
export class ReturnEventDto {
  @ApiProperty({ enum: ['submission', 'amendment'], example: 'submission' })
  kind!: string;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 10431 })
  globalPosition!: number;

  @ApiProperty({ example: 1 })
  streamVersion!: number;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({ example: 'user:rm-gwen', description: 'Who submitted or amended it.' })
  by!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-12T10:00:00.000Z' })
  at!: string;

  @ApiProperty({ example: 0 })
  amendmentNumber!: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
    nullable: true,
    example: null,
    description:
      "An amendment's reason: the text, or { erasedOn } once its data subject was erased; null for a submission.",
  })
  reason!: string | ErasedTextDto | null;

  @ApiProperty({
    nullable: true,
    type: Boolean,
    example: false,
    description: 'Submissions: after the 20th of the next month.',
  })
  late!: boolean | null;

  @ApiProperty({ description: "This KPI's value as given.", example: 70 })
  value!: unknown;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: { outcome: 'missed', rag: 'red', value: 70, target: 90, floor: 75 },
  })
  judgement!: object | null;

  @ApiProperty({ example: '9a0c…', description: 'The stored hash (chained to previousHash).' })
  hash!: string;

  @ApiProperty({ example: '41f2…' })
  previousHash!: string;
}

export class WhyReturnDto {
  @ApiProperty({ example: 'acme:monthly-return:plas-newydd:2026-10' })
  streamId!: string;

  @ApiProperty({ type: [ReturnEventDto], description: 'The submission and every amendment.' })
  history!: ReturnEventDto[];
}

export class WhyMonthDto {
  @ApiProperty({ example: '2026-10' })
  period!: string;

  @ApiProperty({ example: 'missed' })
  outcome!: string;

  @ApiProperty({ example: 'red' })
  rag!: string;

  @ApiProperty({ nullable: true, type: Number, example: 70 })
  value!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 90 })
  target!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 75 })
  floor!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: null })
  tolerance!: number | null;

  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({
    example: 1,
    description: 'The framework version in force for the month, which judged it.',
  })
  frameworkVersion!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The return event the count used.',
  })
  countedFrom!: object;

  @ApiProperty({ type: WhyReturnDto })
  return!: WhyReturnDto;
}

export class VerificationDto {
  @ApiProperty({ format: 'date-time' })
  verifiedAt!: string;

  @ApiProperty({ example: 5 })
  streamsChecked!: number;

  @ApiProperty({ example: 9 })
  eventsChecked!: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [],
    description: 'Empty when nothing was changed.',
  })
  brokenLinks!: object[];
}

export class StageChangeDto extends HistoryItemDto {
  @ApiProperty({ example: 'plas-newydd.EDU.2026-07.s2' })
  entryId!: string;
}

export class WhyDto {
  @ApiProperty({
    example: 'Why is mgr-siwan at Stage 3 — final stage before dismissal for EDU at plas-newydd?',
  })
  question!: string;

  @ApiProperty({
    example:
      'EDU was missed 4 consecutive months at plas-newydd while mgr-siwan managed it (2026-07 to 2026-10; 2026-07: 70 (target 90), …), which is Stage 3 — final stage before dismissal in the capability procedure. A review is due.',
  })
  answer!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  asOf!: string | null;

  @ApiProperty({ type: TimelineEntryDto })
  entry!: TimelineEntryDto;

  @ApiProperty({
    type: [WhyMonthDto],
    description:
      'The months, with values, benchmarks and the returns (and amendments) they came from.',
  })
  months!: WhyMonthDto[];

  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [
      {
        frameworkId: 'childrens-homes',
        frameworkVersion: 1,
        target: 90,
        floor: 75,
        tolerance: null,
        months: ['2026-07', '2026-08', '2026-09', '2026-10'],
      },
    ],
    description: 'Each framework version that judged a month, with its thresholds.',
  })
  benchmarks!: object[];

  @ApiProperty({ type: [StageChangeDto], description: 'Every stage change of the run, in order.' })
  stageChanges!: StageChangeDto[];

  @ApiProperty({ type: [SupervisionSessionDto] })
  supervisions!: SupervisionSessionDto[];

  @ApiProperty({ type: [ReviewDto] })
  reviews!: ReviewDto[];

  @ApiProperty({ type: [AppealDto] })
  appeals!: AppealDto[];

  @ApiProperty({ type: [String], description: 'The streams this answer rests on.' })
  citedStreams!: string[];

  @ApiPropertyOptional({ nullable: true, type: VerificationDto, description: 'With verify=true.' })
  verification!: VerificationDto | null;
}
