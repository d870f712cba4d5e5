import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/*
 * Responses of the capability queries. Every fact carries the id and global position of the
 * stored event it rests on, so an auditor can fetch it (`GET /audit/streams/{id}/events`) and
 * check its hash chain (`…/verification`).
 */

const CAUSE_EXAMPLE = {
  eventId: '0e0b7c84-3a47-8f1e-a3c2-6b8d3f1e2a90',
  globalPosition: 10431,
  streamId: 'acme:monthly-return:plas-newydd:2026-10',
  type: 'MonthlyReturnSubmitted',
  by: 'user:rm-gwen',
  at: '2026-11-12T10:00:00.000Z',
  description: 'The 2026-10 return of plas-newydd was submitted by user:rm-gwen',
};

export class EventRefDto {
  @ApiProperty({ format: 'uuid', example: '5f2d3e4a-7b90-8d8a-9c1e-1b8e4a538c1f' })
  eventId!: string;

  @ApiProperty({ example: 10433, description: 'Position in the global log.' })
  globalPosition!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-12T10:00:01.204Z' })
  recordedAt!: string;
}

export class CausedEventDto extends EventRefDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: CAUSE_EXAMPLE,
    description: 'The stored event that made the escalation process write this.',
  })
  cause!: object;
}

export class EntryMonthDto {
  @ApiProperty({ example: '2026-10' })
  period!: string;

  @ApiProperty({ enum: ['met', 'missed', 'not-applicable'], example: 'missed' })
  outcome!: string;

  @ApiProperty({ enum: ['green', 'amber', 'red', 'grey'], example: 'red' })
  rag!: string;

  @ApiProperty({ nullable: true, type: Number, example: 70 })
  value!: number | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 90,
    description: 'The benchmark in force.',
  })
  target!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 75 })
  floor!: number | null;

  @ApiProperty({ example: 1 })
  frameworkVersion!: number;

  @ApiProperty({ format: 'uuid', description: 'The return event the judgement was read from.' })
  returnEventId!: string;

  @ApiProperty({ example: 10431 })
  returnGlobalPosition!: number;
}

export class ResolutionDto extends CausedEventDto {
  @ApiProperty({
    enum: ['met', 'not-applicable', 'manager-changed', 'no-manager', 'review-closed'],
    example: 'met',
  })
  reason!: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-11' })
  period!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  nextManagerId!: string | null;

  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, example: null })
  review!: object | null;
}

export class WithdrawalDto extends CausedEventDto {
  @ApiProperty({
    example:
      'The 2026-09 return of plas-newydd was amended by user:rm-gwen (amendment 1: "Exclusions were counted as absence"). Counted again in month order: 2026-07 missed, 2026-08 missed, 2026-09 met, 2026-10 missed; the counter is at 1 (Stage 1).',
  })
  explanation!: string;
}

export class SupervisionSessionDto extends EventRefDto {
  @ApiProperty({ format: 'uuid' })
  supervisionId!: string;

  @ApiProperty({ example: '2026-11-03' })
  date!: string;

  @ApiProperty({ enum: ['one-to-one', 'ad-hoc', 'group'], example: 'one-to-one' })
  kind!: string;

  @ApiProperty({ example: 'rm-gwen' })
  supervisorId!: string;
}

export class ReviewDto extends EventRefDto {
  @ApiProperty({ format: 'uuid' })
  reviewId!: string;

  @ApiProperty({ example: 'hr-sam' })
  heldBy!: string;

  @ApiProperty({ enum: ['hr', 'regional-manager'], example: 'hr' })
  heldByRole!: string;

  @ApiProperty({ example: '2026-11-28' })
  heldOn!: string;

  @ApiProperty({ example: true })
  companionOffered!: boolean;

  @ApiProperty({
    enum: [
      'mitigating-circumstances',
      'standards-met',
      'alternative-employment-offered',
      'dismissed',
    ],
    example: 'mitigating-circumstances',
  })
  outcome!: string;

  @ApiProperty({ nullable: true, type: Number, example: 3 })
  furtherReviewMonths!: number | null;

  @ApiProperty({ nullable: true, type: String, example: '2027-02-28' })
  nextReviewDue!: string | null;

  @ApiProperty({ example: 'Two children out of education after a placement move.' })
  reasons!: string;

  @ApiProperty({ example: 'user:hr-sam' })
  recordedBy!: string;
}

export class AppealDto extends EventRefDto {
  @ApiProperty({ format: 'uuid' })
  appealId!: string;

  @ApiProperty({ example: { kind: 'stage', entryId: 'plas-newydd.EDU.2026-07.s3', stage: 3 } })
  against!: object;

  @ApiProperty({ example: 'director-ola' })
  heardBy!: string;

  @ApiProperty({ example: '2026-12-02' })
  heardOn!: string;

  @ApiProperty({ enum: ['upheld', 'partly-upheld', 'not-upheld'], example: 'not-upheld' })
  outcome!: string;

  @ApiProperty({ example: 'The four months were missed and support was offered.' })
  reasons!: string;

  @ApiProperty({ example: 'user:hr-sam' })
  recordedBy!: string;
}

export class HistoryItemDto extends EventRefDto {
  @ApiProperty({ example: 'CapabilityStageEntered' })
  type!: string;

  @ApiProperty({ example: 4, description: "Version on the counter's stream." })
  streamVersion!: number;

  @ApiProperty({ example: 'Stage 3 entered for 2026-10 (4 consecutive months missed)' })
  summary!: string;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: CAUSE_EXAMPLE,
  })
  cause!: object | null;
}

/** One stage of one run of misses of one (manager, home, KPI). */
export class TimelineEntryDto {
  @ApiProperty({
    example: 'plas-newydd.EDU.2026-07.s3',
    description: '<home>.<KPI>.<first month of the run>.s<stage>',
  })
  entryId!: string;

  @ApiProperty({ example: 'mgr-siwan' })
  managerId!: string;

  @ApiProperty({ example: 'plas-newydd' })
  serviceId!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'EDU' })
  indicatorCode!: string;

  @ApiProperty({ enum: [1, 2, 3], example: 3 })
  stage!: number;

  @ApiProperty({ example: 'Stage 3 — final stage before dismissal' })
  stageName!: string;

  @ApiProperty({ example: '2026-07', description: 'The first month of the run of misses.' })
  runStart!: string;

  @ApiProperty({ example: '2026-10', description: 'The month whose miss entered the stage.' })
  period!: string;

  @ApiProperty({
    enum: ['open', 'escalated', 'resolved', 'withdrawn'],
    example: 'open',
    description:
      'open: the current stage; escalated: a later stage followed; resolved: the run ended; withdrawn: it should not have happened (an amendment showed it).',
  })
  status!: string;

  @ApiProperty({ example: 4 })
  consecutiveMisses!: number;

  @ApiProperty({
    type: [EntryMonthDto],
    description: 'The months that count in the entry, oldest first.',
  })
  months!: EntryMonthDto[];

  @ApiProperty({ type: CausedEventDto, description: 'The stored event that entered the stage.' })
  entered!: CausedEventDto;

  @ApiProperty({ nullable: true, type: String, example: null })
  escalatedTo!: string | null;

  @ApiProperty({ nullable: true, type: ResolutionDto })
  resolution!: ResolutionDto | null;

  @ApiProperty({ nullable: true, type: WithdrawalDto })
  withdrawal!: WithdrawalDto | null;

  @ApiProperty({ example: true, description: 'Stage 3, open, and no review held yet.' })
  reviewDue!: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'After mitigating circumstances: when the next review is due.',
  })
  nextReviewDue!: string | null;

  @ApiProperty({
    example: true,
    description: "Whether a supervision in the stage's time discussed it.",
  })
  addressed!: boolean;

  @ApiProperty({ type: [SupervisionSessionDto] })
  addressedIn!: SupervisionSessionDto[];

  @ApiProperty({ type: [ReviewDto] })
  reviews!: ReviewDto[];

  @ApiProperty({ type: [AppealDto] })
  appeals!: AppealDto[];

  @ApiProperty({
    type: [HistoryItemDto],
    description: 'Every event of the entry, in order: what was believed when, and why it changed.',
  })
  history!: HistoryItemDto[];
}

export class TimelineDto {
  @ApiProperty({ example: 'mgr-siwan' })
  managerId!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: null,
    description: 'The moment shown; null: now.',
  })
  asOf!: string | null;

  @ApiProperty({ example: 1, description: 'Entries open at that moment.' })
  openStages!: number;

  @ApiProperty({
    type: [TimelineEntryDto],
    description: 'Oldest first, withdrawn entries included.',
  })
  entries!: TimelineEntryDto[];
}

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

  @ApiProperty({ nullable: true, type: String, example: null })
  reason!: string | null;

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

export class CounterDto {
  @ApiProperty({ example: 'mgr-siwan' })
  managerId!: string;

  @ApiProperty({ example: 'plas-newydd' })
  serviceId!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'EDU' })
  indicatorCode!: string;

  @ApiProperty({ example: 4 })
  consecutiveMisses!: number;

  @ApiProperty({ enum: [0, 1, 2, 3], example: 3 })
  stage!: number;

  @ApiProperty({ nullable: true, type: String, example: '2026-07' })
  runStart!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'plas-newydd.EDU.2026-07.s3' })
  openEntryId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2026-10' })
  lastMissedPeriod!: string | null;

  @ApiProperty({
    example: true,
    description: 'Stage 3 with no review yet, or the further review period has ended.',
  })
  reviewDue!: boolean;

  @ApiProperty({ nullable: true, type: String, example: null })
  lastReviewOn!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  nextReviewDue!: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CountersDto {
  @ApiProperty({ type: [CounterDto], description: 'Highest stage first.' })
  counters!: CounterDto[];

  @ApiProperty({
    nullable: true,
    type: Number,
    example: null,
    description: 'Pass as offset for the next page; null on the last.',
  })
  nextOffset!: number | null;
}

export class ManagerStageDto {
  @ApiProperty({ example: 'mgr-siwan' })
  managerId!: string;

  @ApiProperty({ example: 3, description: "The manager's highest open stage in the region." })
  stage!: number;

  @ApiProperty({ example: true })
  reviewDue!: boolean;

  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [
      {
        serviceId: 'plas-newydd',
        indicatorCode: 'EDU',
        stage: 3,
        consecutiveMisses: 4,
        openEntryId: 'plas-newydd.EDU.2026-07.s3',
      },
    ],
  })
  counters!: {
    serviceId: string;
    indicatorCode: string;
    stage: number;
    consecutiveMisses: number;
    openEntryId: string | null;
  }[];
}

export class RegionStagesDto {
  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'North Wales' })
  name!: string;

  @ApiProperty({
    example: { stage1: 2, stage2: 0, stage3: 1 },
    description: 'Managers by their highest open stage.',
  })
  managersAtStage!: { stage1: number; stage2: number; stage3: number };

  @ApiProperty({ example: 1 })
  reviewsDue!: number;

  @ApiProperty({
    type: [ManagerStageDto],
    description: 'Listed when the request names the region (regionId).',
  })
  managers!: ManagerStageDto[];
}

export class StagesByRegionDto {
  @ApiProperty({ type: [RegionStagesDto] })
  regions!: RegionStagesDto[];
}
