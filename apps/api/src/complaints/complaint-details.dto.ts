import type { EntityId } from '@kpi/command-handling';
import { COMPLAINT_CATEGORIES, COMPLAINT_FINDINGS } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsEntityId } from '../http/query-params';
import { QuarterQuery } from './complaints-queries.dto';

/*
 * A complaint as its managers, inspectors and data-protection officer read it: the texts that
 * can name people (summary, complainant's name and contact, response) are opened from the
 * personal-data vault — each the text, or `{ erasedOn }` once the complainant was erased.
 */

export class ComplaintsQuery extends QuarterQuery {
  @ApiPropertyOptional({
    example: 'ty-gwyn',
    description: "Only this service's complaints (404 when it is not the organisation's).",
  })
  @IsOptional()
  @IsEntityId()
  serviceId?: EntityId;
}

export class ErasedTextDto {
  @ApiProperty({
    example: '2026-05-11',
    description: 'The day (London) the complainant was erased: the text is gone for good.',
  })
  erasedOn!: string;
}

/** A text that can name people: the text, or when it was erased. */
const personalText = (example: string, description: string, nullable = false) =>
  ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
    nullable,
    example,
    description: `${description} The text, or { erasedOn } once the complainant was erased.`,
  });

export class ComplainantDto {
  @ApiProperty({ nullable: true, type: String, example: 'parent' })
  relationship!: string | null;

  @personalText('Ann Jones', 'Their name; null when not given.', true)
  name!: string | ErasedTextDto | null;

  @personalText('ann.jones@example.org', 'How to reach them; null when not given.', true)
  contact!: string | ErasedTextDto | null;
}

export class ComplaintResponseDto {
  @ApiProperty({ example: '2026-04-24' })
  respondedOn!: string;

  @personalText(
    'We apologised; the plan is now shared within a day of any change.',
    'What it said.',
  )
  summary!: string | ErasedTextDto;

  @ApiProperty({ example: 'The Local Government and Social Care Ombudsman: www.lgo.org.uk' })
  escalationRoute!: string;

  @ApiProperty({ enum: COMPLAINT_FINDINGS, example: 'partly-upheld' })
  finding!: string;
}

export class ComplaintDto {
  @ApiProperty({ example: 'cmp-2026-0042' })
  complaintId!: string;

  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: '2026-04-02' })
  receivedOn!: string;

  @ApiProperty({ enum: COMPLAINT_CATEGORIES, example: 'communication' })
  category!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51',
    description:
      'The complainant as a data subject: POST /data-subjects/{subjectId}/erasure erases the summary, their name and contact and the response. Null for a complaint logged before personal data was kept apart (its summary stays in the event log as text).',
  })
  dataSubjectId!: string | null;

  @personalText('Not told that the placement plan had changed.', 'What the complaint is about.')
  summary!: string | ErasedTextDto;

  @ApiProperty({ type: ComplainantDto })
  complainant!: ComplainantDto;

  @ApiProperty({ example: '2026-04-07' })
  acknowledgementDueOn!: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-04-03' })
  acknowledgedOn!: string | null;

  @ApiProperty({ example: '2026-04-27' })
  responseDueOn!: string;

  @ApiProperty({ type: ComplaintResponseDto, nullable: true })
  response!: ComplaintResponseDto | null;

  @ApiProperty({ example: 'user:mgr-siwan' })
  loggedBy!: string;

  @ApiProperty({ example: '2026-04-02T15:00:00.000Z' })
  loggedAt!: string;
}

export class ComplaintListDto {
  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ type: [ComplaintDto], description: 'Received in the quarter, oldest first.' })
  complaints!: ComplaintDto[];
}
