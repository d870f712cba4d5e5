import { parseCalendarDate } from '@kpi/domain';
import {
  ACCESS_KINDS,
  ACCESS_OUTCOMES,
  type AccessKind,
  type AccessOutcome,
} from '@kpi/features/access-log';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { IsEntityId, ParsedBy } from '../http/query-params';

export const DEFAULT_ACCESS_LOG_LIMIT = 100;
export const MAX_ACCESS_LOG_LIMIT = 1000;

const LIMIT_MESSAGE = `must be a whole number from 1 to ${MAX_ACCESS_LOG_LIMIT}`;
const IsDate = (field: string) =>
  ParsedBy('isCalendarDate', (value) => parseCalendarDate(value, field));

/** A day not before the day in `from` (malformed days are left to the date check). */
const NotBeforeFrom = () =>
  ValidateBy({
    name: 'notBeforeFrom',
    validator: {
      validate: (to: unknown, args?: ValidationArguments) => {
        const from = (args?.object as { from?: unknown } | undefined)?.from;
        return typeof from !== 'string' || typeof to !== 'string' || to >= from;
      },
      defaultMessage: (args?: ValidationArguments) =>
        `must not be before from (${String((args?.object as { from?: unknown }).from)})`,
    },
  });

/** Which entries of the access log, and which page. */
export class AccessLogQuery {
  @ApiPropertyOptional({
    example: 'acme:monthly-return:ty-gwyn:2026-04',
    description: 'Only reads of this: a manager id (capability records) or a stream id.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  subjectId?: string;

  @ApiPropertyOptional({ enum: ACCESS_KINDS, example: 'audit-trail' })
  @IsOptional()
  @IsIn(ACCESS_KINDS, { message: `must be one of ${ACCESS_KINDS.join(', ')}` })
  kind?: AccessKind;

  @ApiPropertyOptional({ example: 'grant-3f9a1c0e7b2d4a61', description: 'Only reads under it.' })
  @IsOptional()
  @IsEntityId()
  grantId?: string;

  @ApiPropertyOptional({ enum: ACCESS_OUTCOMES, example: 'refused' })
  @IsOptional()
  @IsIn(ACCESS_OUTCOMES, { message: `must be one of ${ACCESS_OUTCOMES.join(', ')}` })
  outcome?: AccessOutcome;

  @ApiPropertyOptional({
    example: '2026-04-01',
    description: 'Only reads on or after this day (YYYY-MM-DD, Europe/London).',
  })
  @IsOptional()
  @IsDate('from')
  from?: string;

  @ApiPropertyOptional({
    example: '2026-06-30',
    description: 'Only reads on or before this day (YYYY-MM-DD, Europe/London).',
  })
  @IsOptional()
  @IsDate('to')
  @NotBeforeFrom()
  to?: string;

  @ApiPropertyOptional({
    example: DEFAULT_ACCESS_LOG_LIMIT,
    minimum: 1,
    maximum: MAX_ACCESS_LOG_LIMIT,
    description: `Most entries to return (default ${DEFAULT_ACCESS_LOG_LIMIT}); \`nextOffset\` pages on.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_ACCESS_LOG_LIMIT, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ example: 0, minimum: 0, description: 'Skip this many (from nextOffset).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number from 0' })
  @Min(0, { message: 'must be a whole number from 0' })
  offset?: number;
}

export class AccessLogEntryDto {
  @ApiProperty({ example: 10412 })
  entryId!: number;

  @ApiProperty({ format: 'date-time', example: '2026-05-12T09:30:12.345Z' })
  at!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'acme',
    description: 'Whose data was read.',
  })
  ownerTenantId!: string | null;

  @ApiProperty({ example: 'ofsted', description: 'The organisation of the person who read it.' })
  readerTenantId!: string;

  @ApiProperty({ example: 'acc-9d2f4b1c7e3a5d60' })
  readerUserId!: string;

  @ApiProperty({ type: [String], example: ['regulator'] })
  readerRoles!: string[];

  @ApiProperty({ enum: ACCESS_KINDS, example: 'audit-trail' })
  kind!: AccessKind;

  @ApiProperty({
    example: 'acme:monthly-return:ty-gwyn:2026-04',
    description: 'A manager id (capability records), a stream id (audit trail), an export id.',
  })
  subjectId!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'events',
    description: 'Which view: events, verification, timeline, why <entryId>…',
  })
  detail!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'grant-3f9a1c0e7b2d4a61' })
  grantId!: string | null;

  @ApiProperty({
    enum: ACCESS_OUTCOMES,
    example: 'read',
    description: 'refused: answered 403, or 404 because the reader may not see it.',
  })
  outcome!: AccessOutcome;

  @ApiProperty({ nullable: true, type: String, example: '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11' })
  requestId!: string | null;
}

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto] })
  entries!: AccessLogEntryDto[];

  @ApiProperty({ nullable: true, type: Number, example: null })
  nextOffset!: number | null;
}
