import type { EntityId } from '@kpi/command-handling';
import { ENTITY_ID, InvalidCommandError, parseCalendarDate, PLATFORM_TENANT_ID } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { NestedObject } from '../http/nested-members';
import { ParsedBy } from '../http/query-params';

const DATE_TIME_WITH_OFFSET =
  'must be an ISO 8601 date-time with a time zone, e.g. 2026-07-31T17:00:00Z';
/** Without an offset a time means different instants on different servers. */
const ENDS_WITH_TIME_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_SERVICES = 200;

/**
 * A tenant id as stream ids carry it: 1 to 200 characters without `:` or spaces, and never the
 * platform's own.
 */
function tenantId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[^:\s]{1,200}$/.test(value)) {
    throw InvalidCommandError.of(
      field,
      'must be an organisation’s tenant id: 1 to 200 characters without : or spaces',
    );
  }
  if (value === PLATFORM_TENANT_ID) {
    throw InvalidCommandError.of(field, `may not be "${PLATFORM_TENANT_ID}"`);
  }
  return value;
}

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class GrantPeriodBody {
  @ApiProperty({ example: '2025-04-01', description: 'The first day (YYYY-MM-DD, London).' })
  @ParsedBy('isCalendarDate', (value) => parseCalendarDate(value, 'from'))
  from!: string;

  @ApiProperty({
    example: '2026-03-31',
    description: 'The last day (YYYY-MM-DD, London), not before `from`; may be in the future.',
  })
  @ParsedBy('isCalendarDate', (value) => parseCalendarDate(value, 'to'))
  to!: string;
}

export class GrantRegulatorAccessBody {
  @ApiProperty({
    example: 'ofsted',
    description:
      'The regulator organisation (its tenant id): its people with role `regulator` may read under the grant.',
  })
  @ParsedBy('isTenantId', (value) => tenantId(value, 'regulatorTenantId'))
  regulatorTenantId!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['ty-gwyn'],
    description: `Only these services (1 to ${MAX_SERVICES}; each must be one of yours: 404 naming the first that is not). Left out: the whole organisation.`,
  })
  @IsOptional()
  @IsArray({ message: 'must be a list of service ids' })
  @ArrayNotEmpty({
    message: 'name at least one service, or leave it out to grant the whole organisation',
  })
  @ArrayMaxSize(MAX_SERVICES, { message: `must name at most ${MAX_SERVICES} services` })
  @Matches(ENTITY_ID, {
    each: true,
    message:
      'each must be a service id: 1 to 63 lowercase letters, digits or -, starting with a letter or digit',
  })
  serviceIds?: EntityId[];

  @ApiProperty({
    type: GrantPeriodBody,
    description:
      'The days whose events the regulator sees: those recorded from the start of `from` to the end of `to` (Europe/London).',
  })
  @NestedObject(() => GrantPeriodBody)
  period!: GrantPeriodBody;

  @ApiProperty({
    format: 'date-time',
    example: '2026-07-31T17:00:00Z',
    description: 'When the grant stops opening anything: required, after now.',
  })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: DATE_TIME_WITH_OFFSET })
  @Matches(ENDS_WITH_TIME_ZONE, { message: DATE_TIME_WITH_OFFSET })
  expiresAt!: string;

  @ApiProperty({
    example: 'Ofsted inspection SC123456/2026-05',
    description: 'What the grant is for (an inspection or audit reference): 1 to 200 characters.',
  })
  @Transform(trimmed)
  @IsString({ message: 'must be text' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  reference!: string;
}

export class GrantScopeDto {
  @ApiProperty({ enum: ['organisation', 'services'], example: 'services' })
  kind!: 'organisation' | 'services';

  @ApiPropertyOptional({ type: [String], example: ['ty-gwyn'], description: 'Services only.' })
  serviceIds?: string[];
}

export class GrantPeriodDto {
  @ApiProperty({ example: '2025-04-01' })
  from!: string;

  @ApiProperty({ example: '2026-03-31' })
  to!: string;
}

export class RegulatorGrantDto {
  @ApiProperty({ example: 'grant-3f9a1c0e7b2d4a61' })
  grantId!: string;

  @ApiProperty({
    example: 'acme:regulator-grant:grant-3f9a1c0e7b2d4a61',
    description: 'The stream that records the granting and any revocation.',
  })
  streamId!: string;

  @ApiProperty({ example: 'acme', description: 'The organisation whose trail it opens.' })
  grantorTenantId!: string;

  @ApiProperty({ example: 'ofsted' })
  regulatorTenantId!: string;

  @ApiProperty({ type: GrantScopeDto })
  scope!: GrantScopeDto;

  @ApiProperty({ type: GrantPeriodDto })
  period!: GrantPeriodDto;

  @ApiProperty({ format: 'date-time', example: '2026-07-31T17:00:00.000Z' })
  expiresAt!: string;

  @ApiProperty({ example: 'Ofsted inspection SC123456/2026-05' })
  reference!: string;

  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  grantedBy!: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-11T08:30:00.000Z' })
  grantedAt!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  revokedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  revokedBy!: string | null;

  @ApiProperty({
    enum: ['active', 'expired', 'revoked'],
    example: 'active',
    description: 'At the time of asking.',
  })
  status!: 'active' | 'expired' | 'revoked';
}

export class GrantAnswerDto extends RegulatorGrantDto {
  @ApiProperty({
    example: false,
    description: 'True when this was a retry (same Idempotency-Key): nothing new was written.',
  })
  replayed!: boolean;
}

export class RegulatorGrantListDto {
  @ApiProperty({ type: [RegulatorGrantDto] })
  grants!: RegulatorGrantDto[];
}
