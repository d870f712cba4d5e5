import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';

export const MAX_EVENTS_PER_READ = 1000;

const WHOLE_NUMBER_FROM_1 = `must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`;
const DATE_TIME_WITH_OFFSET =
  'must be an ISO 8601 date-time with a time zone, e.g. 2025-04-30T23:59:59Z';
/** Without an offset a time means different instants on different servers. */
const ENDS_WITH_TIME_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** How to read a stream: up to a version or a recorded time (time travel), which way, how many. */
export class ReadStreamQuery {
  @ApiPropertyOptional({
    description:
      'Only versions from this one (inclusive). To page forward, pass the last streamVersion + 1.',
    minimum: 1,
    example: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: WHOLE_NUMBER_FROM_1 })
  @Min(1, { message: WHOLE_NUMBER_FROM_1 })
  @Max(Number.MAX_SAFE_INTEGER, { message: WHOLE_NUMBER_FROM_1 })
  fromVersion?: number;

  @ApiPropertyOptional({
    description: 'Only versions up to this one (inclusive): the stream as it was at that version.',
    minimum: 1,
    example: 3,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: WHOLE_NUMBER_FROM_1 })
  @Min(1, { message: WHOLE_NUMBER_FROM_1 })
  @Max(Number.MAX_SAFE_INTEGER, { message: WHOLE_NUMBER_FROM_1 })
  toVersion?: number;

  @ApiPropertyOptional({
    description: 'Only events recorded at or before this instant: the stream as it was known then.',
    format: 'date-time',
    example: '2025-04-30T23:59:59Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: DATE_TIME_WITH_OFFSET })
  @Matches(ENDS_WITH_TIME_ZONE, { message: DATE_TIME_WITH_OFFSET })
  recordedUntil?: string;

  @ApiPropertyOptional({
    enum: ['forward', 'backward'],
    description: 'forward (default): oldest first; backward: newest first.',
  })
  @IsOptional()
  @IsIn(['forward', 'backward'], { message: 'must be forward or backward' })
  direction?: 'forward' | 'backward';

  @ApiPropertyOptional({
    description: `Most events to return (default and maximum ${MAX_EVENTS_PER_READ}).`,
    minimum: 1,
    maximum: MAX_EVENTS_PER_READ,
    example: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `must be a whole number from 1 to ${MAX_EVENTS_PER_READ}` })
  @Min(1, { message: `must be a whole number from 1 to ${MAX_EVENTS_PER_READ}` })
  @Max(MAX_EVENTS_PER_READ, { message: `must be a whole number from 1 to ${MAX_EVENTS_PER_READ}` })
  limit?: number;
}
