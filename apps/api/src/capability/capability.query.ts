import { DEFAULT_COUNTERS_LIMIT, MAX_COUNTERS_LIMIT } from '@kpi/features/capability';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { IsEntityId } from '../http/query-params';

const AS_OF_MESSAGE =
  'must be a date (YYYY-MM-DD: as known at the end of that day, London time) or a date-time with a time zone (2026-11-30T17:00:00Z)';
const AS_OF = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const hour = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  hourCycle: 'h23',
});

/** The instant an `asOf` names: a date-time as given, a date at the end of that London day. */
export function asOfInstant(asOf: string | undefined): Date | undefined {
  if (asOf === undefined) return undefined;
  if (asOf.length > 10) return new Date(asOf);
  // London is UTC+0 or UTC+1 on that day; noon tells which (clocks change at 01:00 UTC).
  const offsetHours = Number(hour.format(new Date(`${asOf}T12:00:00Z`))) - 12;
  return new Date(Date.parse(`${asOf}T23:59:59.999Z`) - offsetHours * 3_600_000);
}

function isValidAsOf(value: unknown): boolean {
  if (typeof value !== 'string' || !AS_OF.test(value)) return false;
  const day = value.slice(0, 10);
  const calendarDay = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(calendarDay.getTime()) || calendarDay.toISOString().slice(0, 10) !== day)
    return false;
  return !Number.isNaN(asOfInstant(value)!.getTime());
}

/** "What did we know on date D?": the timeline and its why as they were known then. */
export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2026-11-30',
    description:
      'Show what was known then: only events recorded by that moment count, so a stage later withdrawn shows as it stood. A date means the end of that day (Europe/London); a date-time needs a time zone. Now by default.',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isAsOf',
    validator: { validate: isValidAsOf, defaultMessage: () => AS_OF_MESSAGE },
  })
  asOf?: string;
}

export class WhyQuery extends AsOfQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      "true: also recompute the hash chains of every stream the answer cites (the counter and each month's return) and report any broken link. Slower; false by default.",
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  verify?: 'true' | 'false';
}

export class CountersQuery {
  @ApiPropertyOptional({ example: 'mgr-siwan', description: 'Only this manager.' })
  @IsOptional()
  @IsEntityId()
  managerId?: string;

  @ApiPropertyOptional({ example: 'plas-newydd', description: 'Only this home.' })
  @IsOptional()
  @IsEntityId()
  serviceId?: string;

  @ApiPropertyOptional({ example: 'north-wales', description: 'Only the homes of this region.' })
  @IsOptional()
  @IsEntityId()
  regionId?: string;

  @ApiPropertyOptional({
    example: 1,
    minimum: 0,
    maximum: 3,
    description:
      'Only counters at this stage or above (default 1: every open stage; 0 includes counters back at zero).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be 0, 1, 2 or 3' })
  @Min(0, { message: 'must be 0, 1, 2 or 3' })
  @Max(3, { message: 'must be 0, 1, 2 or 3' })
  minStage?: number;
}

export class CountersPage extends CountersQuery {
  @ApiPropertyOptional({
    example: 200,
    minimum: 1,
    maximum: MAX_COUNTERS_LIMIT,
    description: `Most counters to return (default ${DEFAULT_COUNTERS_LIMIT}); \`nextOffset\` pages on.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `must be a whole number from 1 to ${MAX_COUNTERS_LIMIT}` })
  @Min(1, { message: `must be a whole number from 1 to ${MAX_COUNTERS_LIMIT}` })
  @Max(MAX_COUNTERS_LIMIT, { message: `must be a whole number from 1 to ${MAX_COUNTERS_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({ example: 0, minimum: 0, description: 'Skip this many (from nextOffset).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number from 0' })
  @Min(0, { message: 'must be a whole number from 0' })
  offset?: number;
}

export class StagesByRegionQuery {
  @ApiPropertyOptional({
    example: 'north-wales',
    description: 'Only this region, with its managers and their open counters listed.',
  })
  @IsOptional()
  @IsEntityId()
  regionId?: string;
}
