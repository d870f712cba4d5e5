import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, ValidateBy } from 'class-validator';
import { IsEntityId } from '../http/query-params';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a date written YYYY-MM-DD';

/** Whether a `YYYY-MM-DD` string names a day of the calendar (not 2026-02-30). */
function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.toISOString().slice(0, 10) === value;
}

export class ReturnsDueQuery {
  @ApiPropertyOptional({
    example: '2026-11-22',
    description:
      'The day to judge by (YYYY-MM-DD): months that ended before it are due, and a return is overdue after its due date. Today in Europe/London by default.',
  })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isCalendarDate, defaultMessage: () => DATE_MESSAGE },
  })
  @ValidateBy({
    name: 'isWithinAYear',
    validator: {
      // Far-future dates would list every month until then as due: cap the work.
      validate: (value: unknown) =>
        typeof value !== 'string' ||
        value <= new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10),
      defaultMessage: () => 'must be no more than a year from today',
    },
  })
  asOf?: string;

  @ApiPropertyOptional({
    example: 'rm-gwen',
    description:
      'Only the regions of this regional manager: how a regional manager lists "my returns". Without it, every region of the tenant.',
  })
  @IsOptional()
  @IsEntityId()
  regionalManagerId?: string;
}
