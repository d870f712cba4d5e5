import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/*
 * The timeline's responses (and the entry "why" shows). Every fact carries the id and global position of the
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
      'The 2026-09 return of plas-newydd was amended by user:rm-gwen (amendment 1). Counted again in month order: 2026-07 missed, 2026-08 missed, 2026-09 met, 2026-10 missed; the counter is at 1 (Stage 1).',
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

export class ErasedReasonsDto {
  @ApiProperty({
    example: '2026-05-11',
    description:
      'The day (London) the manager was erased as a data subject: the reasons are gone for good.',
  })
  erasedOn!: string;
}

/** A review's or an appeal's reasons: the text, or when they were erased; and whose they are. */
const reasons = (example: string) =>
  ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedReasonsDto) }],
    example,
    description:
      "Kept in the personal-data vault under the manager's key: the text, or { erasedOn } once the manager was erased.",
  });

const dataSubjectId = () =>
  ApiProperty({
    nullable: true,
    type: String,
    example: 'mgr-siwan',
    description:
      'Whose key the reasons are kept under: the manager id, which a data-protection officer erases (POST /data-subjects/{subjectId}/erasure). Null when recorded before reasons were kept apart: those stay in the trail as text.',
  });

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

  @reasons('Two children out of education after a placement move.')
  reasons!: string | ErasedReasonsDto;

  @dataSubjectId()
  dataSubjectId!: string | null;

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

  @reasons('The four months were missed and support was offered.')
  reasons!: string | ErasedReasonsDto;

  @dataSubjectId()
  dataSubjectId!: string | null;

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
