import { entityId, type EntityId } from '@kpi/command-handling';
import {
  APPEAL_OUTCOMES,
  REVIEW_HOLDER_ROLES,
  REVIEW_OUTCOMES,
  SUPERVISION_KINDS,
  type AppealOutcome,
  type AppealTarget,
  type ReviewHolderRole,
  type ReviewOutcome,
  type SupervisionKind,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches } from 'class-validator';
import { NestedList, NestedObject } from '../http/nested-members';
import { ParsedBy } from '../http/query-params';

const INDICATOR_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** An id in a body, parsed into an {@link EntityId} (a 400 naming the field otherwise). */
const IsParsedEntityId = (field: string) =>
  ParsedBy('isEntityId', (value) => entityId(value, field));

/**
 * Bodies of the capability commands, each mapping to one typed command. Types, ids, indicator
 * codes and enums are parsed here; the rules (dates against the case and today, who may hear an
 * appeal, that there is a Stage 3 to review) by the deciders, which name the field. Nested
 * objects declare their members (`@Allow`: their values are the deciders' to check), so any
 * other is refused.
 */
export class CounterBody {
  @ApiProperty({ example: 'mgr-siwan', description: 'The manager whose case it is (person id).' })
  @IsParsedEntityId('managerId')
  managerId!: EntityId;

  @ApiProperty({ example: 'plas-newydd', description: 'The home.' })
  @IsParsedEntityId('serviceId')
  serviceId!: EntityId;

  @ApiProperty({ example: 'EDU', description: 'The KPI missed.' })
  @Matches(INDICATOR_CODE, { message: 'must be an indicator code such as EDU' })
  indicatorCode!: string;
}

export class RecordCapabilityReviewBody extends CounterBody {
  @ApiProperty({ example: 'hr-sam', description: 'Who held the review (person id).' })
  @IsString()
  heldBy!: string;

  @ApiProperty({ enum: REVIEW_HOLDER_ROLES, example: 'hr' })
  @IsIn(REVIEW_HOLDER_ROLES, { message: `must be one of ${REVIEW_HOLDER_ROLES.join(', ')}` })
  heldByRole!: ReviewHolderRole;

  @ApiProperty({ example: '2026-11-28', description: 'When it was held (YYYY-MM-DD).' })
  @IsString()
  heldOn!: string;

  @ApiProperty({
    example: true,
    description: 'Whether the manager was offered the right to be accompanied (Acas Code).',
  })
  @IsBoolean({ message: 'must be true or false' })
  companionOffered!: boolean;

  @ApiProperty({ enum: REVIEW_OUTCOMES, example: 'mitigating-circumstances' })
  @IsIn(REVIEW_OUTCOMES, { message: `must be one of ${REVIEW_OUTCOMES.join(', ')}` })
  outcome!: ReviewOutcome;

  @ApiPropertyOptional({
    example: 3,
    description: 'With mitigating-circumstances: the further review period in months (1–12).',
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number of months' })
  furtherReviewMonths?: number;

  @ApiProperty({
    example:
      'Two children out of education after a placement move; a plan is agreed with the virtual school.',
  })
  @IsString()
  reasons!: string;
}

export class AppealAgainstBody {
  @ApiPropertyOptional({
    example: 'plas-newydd.EDU.2026-07.s3',
    type: String,
    description: 'A Stage 2 or 3 timeline entry.',
  })
  @Allow()
  entryId?: unknown;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Or a review, by its id.' })
  @Allow()
  reviewId?: unknown;
}

export class RecordCapabilityAppealBody extends CounterBody {
  @ApiProperty({
    type: AppealAgainstBody,
    example: { entryId: 'plas-newydd.EDU.2026-07.s3' },
    description: 'What is appealed: `{ "entryId" }` of a formal stage, or `{ "reviewId" }`.',
  })
  @NestedObject(() => AppealAgainstBody)
  against!: AppealAgainstBody;

  @ApiProperty({
    example: 'director-ola',
    description:
      'Who heard it: someone not previously involved in the case (checked; 409 otherwise).',
  })
  @IsString()
  heardBy!: string;

  @ApiProperty({ example: '2026-12-02' })
  @IsString()
  heardOn!: string;

  @ApiProperty({ enum: APPEAL_OUTCOMES, example: 'not-upheld' })
  @IsIn(APPEAL_OUTCOMES, { message: `must be one of ${APPEAL_OUTCOMES.join(', ')}` })
  outcome!: AppealOutcome;

  @ApiProperty({ example: 'The four months were missed and support was offered at each stage.' })
  @IsString()
  reasons!: string;
}

export class CapabilityItemBody {
  @ApiProperty({ example: 'plas-newydd', type: String })
  @Allow()
  serviceId!: unknown;

  @ApiProperty({ example: 'EDU', type: String })
  @Allow()
  indicatorCode!: unknown;
}

export class RecordSupervisionBody {
  @ApiProperty({ example: 'mgr-siwan', description: 'Who was supervised (person id).' })
  @IsParsedEntityId('superviseeId')
  superviseeId!: EntityId;

  @ApiProperty({ example: 'rm-gwen', description: 'Who supervised (person id).' })
  @IsString()
  supervisorId!: string;

  @ApiProperty({ example: '2026-11-03', description: 'When the session was held (YYYY-MM-DD).' })
  @IsString()
  date!: string;

  @ApiProperty({ enum: SUPERVISION_KINDS, example: 'one-to-one' })
  @IsIn(SUPERVISION_KINDS, { message: `must be one of ${SUPERVISION_KINDS.join(', ')}` })
  kind!: SupervisionKind;

  @ApiPropertyOptional({
    type: [CapabilityItemBody],
    example: [{ serviceId: 'plas-newydd', indicatorCode: 'EDU' }],
    description:
      'The capability counters discussed (home and KPI): the timeline shows the stage as addressed.',
  })
  @IsOptional()
  @NestedList(() => CapabilityItemBody, 'must be { serviceId, indicatorCode }')
  capabilityItems?: CapabilityItemBody[];
}

export class ReviewRecordedDto {
  @ApiProperty({ example: 'acme:capability:mgr-siwan:plas-newydd:EDU' })
  streamId!: string;

  @ApiProperty({ format: 'uuid' })
  reviewId!: string;

  @ApiProperty({
    example: 'plas-newydd.EDU.2026-07.s3',
    description: 'The Stage 3 entry reviewed.',
  })
  entryId!: string;

  @ApiProperty({ enum: REVIEW_OUTCOMES })
  outcome!: ReviewOutcome;

  @ApiProperty({ nullable: true, type: String, example: '2027-02-28' })
  nextReviewDue!: string | null;

  @ApiProperty({
    description: 'True when this request had been carried out before (same Idempotency-Key).',
  })
  replayed!: boolean;
}

export class AppealRecordedDto {
  @ApiProperty({ example: 'acme:capability:mgr-siwan:plas-newydd:EDU' })
  streamId!: string;

  @ApiProperty({ format: 'uuid' })
  appealId!: string;

  @ApiProperty({ example: { kind: 'stage', entryId: 'plas-newydd.EDU.2026-07.s3', stage: 3 } })
  against!: AppealTarget;

  @ApiProperty()
  replayed!: boolean;
}

export class SupervisionRecordedDto {
  @ApiProperty({ example: 'acme:supervision:mgr-siwan' })
  streamId!: string;

  @ApiProperty({ format: 'uuid' })
  supervisionId!: string;

  @ApiProperty()
  replayed!: boolean;
}
