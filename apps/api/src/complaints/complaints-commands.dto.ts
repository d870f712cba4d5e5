import { entityId, type EntityId } from '@kpi/command-handling';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_FINDINGS,
  parseCalendarDate,
  type ComplaintCategory,
  type ComplaintFinding,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ParsedBy } from '../http/query-params';

/**
 * Bodies of the complaint and compliment commands. Types are checked and ids (and the day a
 * complaint was received, which its due dates count from) parsed here; the rules (dates not in
 * the future nor before the complaint was received, one response per complaint) by the
 * complaint decider, which names the field.
 */
/**
 * Who complained. Their name and contact are personal data: kept apart from the event log,
 * encrypted under the complainant's key, so they can be erased
 * (docs/audit-trail.md#personal-data-and-erasure); so are the summary and the response.
 */
export class ComplainantBody {
  @ApiPropertyOptional({
    example: '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51',
    description:
      "A data subject already known — the dataSubjectId of this person's earlier complaint — so one erasure covers both. Left out, the complainant is a new data subject.",
  })
  @IsOptional()
  @IsString()
  subjectId?: string;

  @ApiPropertyOptional({
    example: 'parent',
    nullable: true,
    type: String,
    description: 'To the person cared for: parent, social worker, the young person…',
  })
  @IsOptional()
  @IsString()
  relationship?: string | null;

  @ApiPropertyOptional({
    example: 'Ann Jones',
    nullable: true,
    type: String,
    description: 'Their name, up to 200 characters (encrypted, erasable).',
  })
  @IsOptional()
  @IsString()
  name?: string | null;

  @ApiPropertyOptional({
    example: 'ann.jones@example.org, 07700 900123',
    nullable: true,
    type: String,
    description: 'How to reach them, up to 500 characters (encrypted, erasable).',
  })
  @IsOptional()
  @IsString()
  contact?: string | null;
}

export class LogComplaintBody {
  @ApiPropertyOptional({
    example: 'cmp-2026-0042',
    description:
      "The complaint's id (1 to 63 lowercase letters, digits or -). Left out, one is made from the request (the same on a retry with the same Idempotency-Key).",
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'complaintId'))
  complaintId?: EntityId;

  @ApiProperty({ example: 'ty-gwyn', description: 'The service (home) complained about.' })
  @ParsedBy('isEntityId', (value) => entityId(value, 'serviceId'))
  serviceId!: EntityId;

  @ApiProperty({
    example: '2026-04-02',
    description:
      'When the service received it (YYYY-MM-DD; not in the future). Deadlines count from here.',
  })
  @ParsedBy('isCalendarDate', (value) => parseCalendarDate(value, 'receivedOn'))
  receivedOn!: string;

  @ApiProperty({ enum: COMPLAINT_CATEGORIES, example: 'communication' })
  @IsIn(COMPLAINT_CATEGORIES, { message: `must be one of ${COMPLAINT_CATEGORIES.join(', ')}` })
  category!: ComplaintCategory;

  @ApiProperty({
    example: 'Not told that the placement plan had changed.',
    description: '1 to 4000 characters (encrypted under the complainant’s key, erasable).',
  })
  @IsString()
  summary!: string;

  @ApiPropertyOptional({
    type: ComplainantBody,
    description: 'Who complained, as far as they said; left out for an anonymous complaint.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ComplainantBody)
  complainant?: ComplainantBody;
}

export class AcknowledgeComplaintBody {
  @ApiProperty({
    example: '2026-04-07',
    description: 'When the complainant was told it was received (YYYY-MM-DD).',
  })
  @IsString()
  acknowledgedOn!: string;
}

export class RespondToComplaintBody {
  @ApiProperty({
    example: '2026-04-24',
    description: 'When the full response was sent (YYYY-MM-DD).',
  })
  @IsString()
  respondedOn!: string;

  @ApiProperty({
    example: 'We apologised; the plan is now shared with parents within a day of any change.',
    description: '1 to 4000 characters (encrypted under the complainant’s key, erasable).',
  })
  @IsString()
  summary!: string;

  @ApiProperty({
    example:
      'If you are not satisfied you can ask the Local Government and Social Care Ombudsman to look at your complaint: www.lgo.org.uk, 0300 061 0614.',
    description: 'How the complainant can escalate if not satisfied: required, never empty.',
  })
  @IsString({
    message: 'is required: the response must tell the complainant how to escalate if not satisfied',
  })
  @IsNotEmpty({
    message: 'is required: the response must tell the complainant how to escalate if not satisfied',
  })
  escalationRoute!: string;

  @ApiProperty({ enum: COMPLAINT_FINDINGS, example: 'partly-upheld' })
  @IsIn(COMPLAINT_FINDINGS, { message: `must be one of ${COMPLAINT_FINDINGS.join(', ')}` })
  upheld!: ComplaintFinding;
}

export class LogComplimentBody {
  @ApiPropertyOptional({ example: 'cpl-2026-0007' })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'complimentId'))
  complimentId?: EntityId;

  @ApiProperty({ example: 'ty-gwyn' })
  @ParsedBy('isEntityId', (value) => entityId(value, 'serviceId'))
  serviceId!: EntityId;

  @ApiProperty({ example: '2026-04-03', description: 'YYYY-MM-DD; not in the future.' })
  @IsString()
  receivedOn!: string;

  @ApiProperty({
    example: 'A card from a family thanking the night staff.',
    description: 'Up to 4000 characters (encrypted, erasable).',
  })
  @IsString()
  summary!: string;

  @ApiPropertyOptional({
    example: '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51',
    description:
      'A data subject already known — the dataSubjectId of an earlier complaint or compliment of the same person — so one erasure covers both. Left out, the compliment is a new data subject.',
  })
  @IsOptional()
  @IsString()
  subjectId?: string;
}

export class ComplaintLoggedDto {
  @ApiProperty({ example: 'acme:complaint:cmp-2026-0042' })
  streamId!: string;

  @ApiProperty({ example: 'cmp-2026-0042' })
  complaintId!: string;

  @ApiProperty({
    example: '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51',
    description:
      'The complainant as a data subject: what POST /data-subjects/{subjectId}/erasure erases (the summary, their name and contact, the response).',
  })
  dataSubjectId!: string;

  @ApiProperty({ example: '2026-04-02' })
  receivedOn!: string;

  @ApiProperty({
    example: '2026-04-07',
    description: 'The next working day after receipt (acknowledged on receipt).',
  })
  acknowledgementDueOn!: string;

  @ApiProperty({
    example: '2026-04-27',
    description:
      'The 15th working day after receipt, England & Wales bank holidays skipped (here Good Friday and Easter Monday).',
  })
  responseDueOn!: string;

  @ApiProperty({
    description: 'True when this request had been carried out before (same Idempotency-Key).',
  })
  replayed!: boolean;
}

export class ComplaintAcknowledgedDto {
  @ApiProperty({ example: 'acme:complaint:cmp-2026-0042' })
  streamId!: string;

  @ApiProperty({ example: 'cmp-2026-0042' })
  complaintId!: string;

  @ApiProperty({ example: '2026-04-07' })
  acknowledgedOn!: string;

  @ApiProperty()
  replayed!: boolean;
}

export class ComplaintRespondedDto {
  @ApiProperty({ example: 'acme:complaint:cmp-2026-0042' })
  streamId!: string;

  @ApiProperty({ example: 'cmp-2026-0042' })
  complaintId!: string;

  @ApiProperty({ example: '2026-04-24' })
  respondedOn!: string;

  @ApiProperty({ enum: COMPLAINT_FINDINGS, example: 'partly-upheld' })
  upheld!: string;

  @ApiProperty()
  replayed!: boolean;
}

export class ComplimentLoggedDto {
  @ApiProperty({ example: 'acme:compliment:cpl-2026-0007' })
  streamId!: string;

  @ApiProperty({ example: 'cpl-2026-0007' })
  complimentId!: string;

  @ApiProperty({
    example: '5d0c2b7e-8a41-4f2b-9e67-3c1d2a9f4b10',
    description:
      'The data subject its summary is kept under: what POST /data-subjects/{subjectId}/erasure erases.',
  })
  dataSubjectId!: string;

  @ApiProperty()
  replayed!: boolean;
}
