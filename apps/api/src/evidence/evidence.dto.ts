import {
  DATA_SUBJECT_ID,
  DATA_SUBJECT_ID_RULE,
  EVIDENCE_MEDIA_TYPES,
  EVIDENCE_TARGET_KINDS,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ErasedTextDto } from '../complaints/complaint-details.dto';

/*
 * Evidence files (docs/decisions/0040): the upload's query, and what the API answers.
 */

const SHA256 = '9f2c1c0a6d3e4b5f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f';
const EVIDENCE_ID = '3f0b7c2e-5a4d-8e1f-9b6a-2c3d4e5f6a7b';

/** The query of an upload: whether the file holds personal data, and whose. */
export class UploadEvidenceQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    example: 'true',
    description:
      'Whether the file holds personal data (a letter from a parent, notes naming staff): then it is encrypted under a data subject’s key and erased with them. Default false.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  personalData?: 'true' | 'false';

  @ApiPropertyOptional({
    example: '0b8e3c52-7d1f-4a36-9a51-2f6c1e0d9a47',
    description:
      'With personalData=true: the data subject whose file it is (a complainant’s dataSubjectId, a manager’s or staff member’s id). Default: a complaint’s complainant; otherwise a new subject for this file.',
  })
  @IsOptional()
  @Matches(DATA_SUBJECT_ID, { message: DATA_SUBJECT_ID_RULE })
  dataSubjectId?: string;
}

export class EvidenceAttachedDto {
  @ApiProperty({ example: 'acme:evidence:complaint:cmp-2026-0042' })
  streamId!: string;

  @ApiProperty({ example: EVIDENCE_ID })
  evidenceId!: string;

  @ApiProperty({ example: SHA256, description: 'Hex SHA-256 of the bytes: the file’s address.' })
  sha256!: string;

  @ApiProperty({ example: 48213 })
  size!: number;

  @ApiProperty({ enum: EVIDENCE_MEDIA_TYPES, example: 'application/pdf' })
  mediaType!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '0b8e3c52-7d1f-4a36-9a51-2f6c1e0d9a47',
    description: 'The data subject a personal file is encrypted for; null for one naming nobody.',
  })
  dataSubjectId!: string | null;

  @ApiProperty({ example: false })
  replayed!: boolean;
}

export class EvidenceDetachedDto {
  @ApiProperty({ example: 'acme:evidence:complaint:cmp-2026-0042' })
  streamId!: string;

  @ApiProperty({ example: EVIDENCE_ID })
  evidenceId!: string;

  @ApiProperty({ example: '2026-04-24T16:00:00.000Z' })
  detachedAt!: string;

  @ApiProperty({ example: false })
  replayed!: boolean;
}

export class EvidencePersonalDataDto {
  @ApiProperty({ example: '0b8e3c52-7d1f-4a36-9a51-2f6c1e0d9a47' })
  dataSubjectId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The day (London) the subject was erased: the file can no longer be read.',
  })
  erasedOn!: string | null;
}

export class EvidenceItemDto {
  @ApiProperty({ example: EVIDENCE_ID })
  evidenceId!: string;

  @ApiProperty({ example: SHA256 })
  sha256!: string;

  @ApiProperty({ example: 48213 })
  size!: number;

  @ApiProperty({ enum: EVIDENCE_MEDIA_TYPES, example: 'application/pdf' })
  mediaType!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
    nullable: true,
    example: 'fire-drill-log-2026-03.pdf',
    description:
      'As uploaded (X-File-Name); null when none was given; { erasedOn } once the subject of a personal file was erased.',
  })
  fileName!: string | ErasedTextDto | null;

  @ApiProperty({ type: EvidencePersonalDataDto, nullable: true })
  personalData!: EvidencePersonalDataDto | null;

  @ApiProperty({ example: 'user:mgr-siwan' })
  attachedBy!: string;

  @ApiProperty({ example: '2026-04-24T16:00:00.000Z' })
  attachedAt!: string;
}

export class EvidenceListDto {
  @ApiProperty({
    example: { kind: 'complaint', complaintId: 'cmp-2026-0042' },
    description: `What the files are evidence for: kind one of ${EVIDENCE_TARGET_KINDS.join(', ')}, with its ids.`,
  })
  attachedTo!: object;

  @ApiProperty({ type: [EvidenceItemDto] })
  files!: EvidenceItemDto[];
}
