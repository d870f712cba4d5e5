import type { EntityId } from '@kpi/command-handling';
import { ENTITY_ID, parseCalendarDate } from '@kpi/domain';
import { AUDIT_EXPORT_STATUSES, type AuditExportStatus } from '@kpi/features/audit-exports';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsOptional, Matches } from 'class-validator';
import { ParsedBy } from '../http/query-params';

const MAX_SERVICES = 200;
export const EXPORT_ID_EXAMPLE = 'export-5b0c3e9d41a27f68';

const ServiceIdsMember = (description: string) => (target: object, key: string) => {
  ApiPropertyOptional({ type: [String], example: ['ty-gwyn'], description })(target, key);
  IsOptional()(target, key);
  IsArray({ message: 'must be a list of service ids' })(target, key);
  ArrayNotEmpty({
    message: 'name at least one service, or leave it out for all',
  })(target, key);
  ArrayMaxSize(MAX_SERVICES, { message: `must name at most ${MAX_SERVICES} services` })(
    target,
    key,
  );
  Matches(ENTITY_ID, {
    each: true,
    message:
      'each must be a service id: 1 to 63 lowercase letters, digits or -, starting with a letter or digit',
  })(target, key);
};

const IsDay = (field: string) =>
  ParsedBy('isCalendarDate', (value) => parseCalendarDate(value, field));

export class RequestAuditExportBody {
  @ServiceIdsMember(
    `Only these services' streams (1 to ${MAX_SERVICES}; each must be one of yours: 404 naming the first that is not). Left out: the whole organisation.`,
  )
  serviceIds?: EntityId[];

  @ApiProperty({
    example: '2025-04-01',
    description: 'The first day (YYYY-MM-DD, London) whose recorded events are exported.',
  })
  @IsDay('from')
  from!: string;

  @ApiProperty({
    example: '2026-03-31',
    description:
      'The last day (YYYY-MM-DD, London), included; not before `from`, and a day that has ended (yesterday at the latest): an event is visible only once its transaction commits.',
  })
  @IsDay('to')
  to!: string;
}

export class RequestGrantedExportBody {
  @ServiceIdsMember(
    "Only these services (each among those the grant opens, or one of the grantor's for a whole-organisation grant). Left out: all the grant opens.",
  )
  serviceIds?: EntityId[];

  @ApiPropertyOptional({
    example: '2025-04-01',
    description:
      "The first day (YYYY-MM-DD, London), within the grant's period. Left out: its first.",
  })
  @IsOptional()
  @IsDay('from')
  from?: string;

  @ApiPropertyOptional({
    example: '2026-03-31',
    description:
      "The last day (YYYY-MM-DD, London), within the grant's period and ended (yesterday at the latest). Left out: the grant's last day, or yesterday if that has not ended.",
  })
  @IsOptional()
  @IsDay('to')
  to?: string;
}

export class ExportPeriodDto {
  @ApiProperty({ example: '2025-04-01' })
  from!: string;

  @ApiProperty({ example: '2026-03-31' })
  to!: string;
}

export class ExportProgressDto {
  @ApiProperty({ example: 412_000, description: 'Events written to the bundle so far.' })
  eventsDone!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 1_000_000,
    description: 'Events the export holds: null until the job has counted them.',
  })
  eventsTotal!: number | null;
}

export class ExportBundleDto {
  @ApiProperty({ example: `${EXPORT_ID_EXAMPLE}.tar.gz` })
  fileName!: string;

  @ApiProperty({ example: 143_654_912 })
  sizeBytes!: number;

  @ApiProperty({
    example: '9f2c6a0d1e4b7c3a5f8e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a',
    description: 'SHA-256 of the .tar.gz file, lowercase hex.',
  })
  sha256!: string;

  @ApiProperty({
    example: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2',
    description: "The manifest's Merkle root over the streams (docs/audit-trail.md).",
  })
  streamsMerkleRoot!: string;

  @ApiProperty({ example: 1_000_000 })
  events!: number;

  @ApiProperty({ example: 10_000 })
  streams!: number;
}

export class AuditExportDto {
  @ApiProperty({ example: EXPORT_ID_EXAMPLE })
  exportId!: string;

  @ApiProperty({ example: 'acme', description: 'The organisation whose trail it holds.' })
  tenantId!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'The grant it was asked under; null for an export of your own trail.',
  })
  grantId!: string | null;

  @ApiProperty({
    nullable: true,
    type: [String],
    example: null,
    description: 'null: the whole organisation.',
  })
  serviceIds!: string[] | null;

  @ApiProperty({ type: ExportPeriodDto })
  period!: ExportPeriodDto;

  @ApiProperty({ example: 'user:acc-3f9a1c0e7b2d4a61' })
  requestedBy!: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-11T08:30:00.000Z' })
  requestedAt!: string;

  @ApiProperty({
    enum: AUDIT_EXPORT_STATUSES,
    example: 'done',
    description:
      '`expired`: done, and its bundle deleted EXPORT_RETENTION_DAYS (30 by default) after it was made; `bundle` still says what it was.',
  })
  status!: AuditExportStatus;

  @ApiProperty({ type: ExportProgressDto })
  progress!: ExportProgressDto;

  @ApiProperty({ example: 1, description: 'Attempts started (a failed attempt is retried).' })
  attempts!: number;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  finishedAt!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Why the last attempt failed.',
  })
  failure!: string | null;

  @ApiProperty({
    type: ExportBundleDto,
    nullable: true,
    description: 'Once done: the bundle; download it from …/bundle.',
  })
  bundle!: ExportBundleDto | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: null,
    description: 'When the bundle was deleted, its retention over; null while it is kept.',
  })
  expiredAt!: string | null;
}

export class AuditExportAcceptedDto extends AuditExportDto {
  @ApiProperty({
    example: false,
    description: 'True when this was a retry (same Idempotency-Key): nothing new was asked for.',
  })
  replayed!: boolean;
}
