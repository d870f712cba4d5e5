import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { BonusDto } from './kpi-grid.dto';

const VALUES_EXAMPLE = {
  SUP: 100,
  EDU: 70,
  RTI: { notApplicable: true, reason: 'No missing episodes' },
};
const RESULTS_EXAMPLE = {
  EDU: {
    outcome: 'missed',
    rag: 'red',
    value: 70,
    target: 90,
    floor: 75,
    tolerance: null,
    expectedRange: null,
  },
};

/** One event of the return's stream: the submission or an amendment. */
export class ReturnHistoryEntryDto {
  @ApiProperty({ enum: ['submission', 'amendment'], example: 'amendment' })
  kind!: 'submission' | 'amendment';

  @ApiProperty({ example: 'MonthlyReturnAmended' })
  type!: string;

  @ApiProperty({ format: 'uuid', example: '9d8a6c1e-1b8e-4a53-8c1f-5f2d3e4a7b90' })
  eventId!: string;

  @ApiProperty({ example: 2 })
  streamVersion!: number;

  @ApiProperty({ example: 10431, description: 'Position in the global log.' })
  globalPosition!: number;

  @ApiProperty({ format: 'date-time', example: '2026-10-15T10:02:11.512Z' })
  recordedAt!: string;

  @ApiProperty({ example: 'user:rm-gwen', description: 'Who submitted or amended it.' })
  by!: string;

  @ApiProperty({ format: 'date-time', example: '2026-10-15T10:02:11.500Z' })
  at!: string;

  @ApiProperty({ example: 1, description: '0 for the submission, 1 for the first amendment, …' })
  amendmentNumber!: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
    nullable: true,
    example: 'Exclusions were counted as attendance',
    description:
      'Why it was amended: the text, or { erasedOn } once its data subject was erased; null for the submission.',
  })
  reason!: string | ErasedTextDto | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '8c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
    description:
      'The data subject the reason is kept under, one per amendment: what POST /data-subjects/{subjectId}/erasure erases. Null for the submission, and for an amendment stored before reasons were kept apart (its reason stays in the log).',
  })
  dataSubjectId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { EDU: 70 },
    description:
      'The values this event set: all of them on submission, the changed ones on an amendment.',
  })
  changes!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: VALUES_EXAMPLE,
    description: 'The whole return after this event.',
  })
  values!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: RESULTS_EXAMPLE,
    description: 'How each indicator was judged after this event.',
  })
  results!: Record<string, unknown>;

  @ApiProperty({ type: BonusDto, nullable: true })
  bonus!: BonusDto | null;

  @ApiProperty({ example: 1 })
  frameworkVersion!: number;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
    description: 'The request that recorded it.',
  })
  correlationId!: string | null;
}

const SIGN_OFF_STAGES = ['submitted', 'verified', 'sent-back', 'published'];

/** A step of a return's sign-off: verified, sent back (with its reason) or published. */
export class SignOffStepDto {
  @ApiProperty({ enum: ['verified', 'sent-back', 'published'], example: 'sent-back' })
  kind!: 'verified' | 'sent-back' | 'published';

  @ApiProperty({ format: 'uuid', example: '2b8a6c1e-1b8e-4a53-8c1f-5f2d3e4a7b90' })
  eventId!: string;

  @ApiProperty({ example: 2 })
  streamVersion!: number;

  @ApiProperty({ format: 'date-time', example: '2026-10-16T08:30:00.000Z' })
  recordedAt!: string;

  @ApiProperty({ example: 'user:po-sian', description: 'Who verified, sent back or published.' })
  by!: string;

  @ApiProperty({ format: 'date-time', example: '2026-10-16T08:30:00.000Z' })
  at!: string;

  @ApiProperty({
    example: 0,
    description: 'Which figures: 0 as submitted, n after the n-th amendment.',
  })
  amendmentNumber!: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
    nullable: true,
    example: 'Education figure does not match the school attendance records',
    description:
      'Why it was sent back: the text, or { erasedOn } once its data subject was erased; null for the other steps.',
  })
  reason!: string | ErasedTextDto | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '1c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
    description: 'The data subject the reason is kept under; null without a reason.',
  })
  dataSubjectId!: string | null;
}

/** Where a return is in sign-off (docs/decisions/0037), and every step it took. */
export class ReturnSignOffDto {
  @ApiProperty({
    enum: SIGN_OFF_STAGES,
    example: 'submitted',
    description:
      'Where its latest figures are: submitted (waiting to be verified), verified (waiting to be published), sent-back (to be amended) or published.',
  })
  stage!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 0,
    description:
      'The figures published (0 as submitted, n after the n-th amendment): what the KPI grid, reports, councils and the bonus use. Null while none are.',
  })
  publishedAmendment!: number | null;

  @ApiProperty({ type: [SignOffStepDto], description: 'Every step, oldest first.' })
  steps!: SignOffStepDto[];
}

export class ReturnWithHistoryDto {
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

  @ApiProperty({ format: 'date-time', example: '2026-10-12T09:00:00.000Z' })
  submittedAt!: string;

  @ApiProperty({ example: 'user:rm-gwen' })
  submittedBy!: string;

  @ApiProperty({ example: false })
  late!: boolean;

  @ApiProperty({ example: 1 })
  amendments!: number;

  @ApiProperty({ type: 'object', additionalProperties: true, example: VALUES_EXAMPLE })
  values!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, example: RESULTS_EXAMPLE })
  results!: Record<string, unknown>;

  @ApiProperty({ type: BonusDto, nullable: true })
  bonus!: BonusDto | null;

  @ApiProperty({ type: [ReturnHistoryEntryDto], description: 'Every event, oldest first.' })
  history!: ReturnHistoryEntryDto[];

  @ApiProperty({
    type: ReturnSignOffDto,
    nullable: true,
    description:
      'Its sign-off, when the organisation had it on: null for a return published as given.',
  })
  signOff!: ReturnSignOffDto | null;
}
