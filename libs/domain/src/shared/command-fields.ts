import { parseCalendarDate } from './calendar-date';
import { InvalidCommandError, type FieldProblem } from './domain-errors';
import { londonDateOf } from './period';

/**
 * Fields of commands that record what happened (complaints, the staff register, the calendar):
 * dates not in the future, required and optional text, each problem collected with its field.
 */

/**
 * A date something happened: a real `YYYY-MM-DD`, not after today in London, and not before
 * `notBefore` (the day the complaint was received) when given. Problems are collected.
 */
export function pastDate(
  value: unknown,
  field: string,
  now: Date,
  problems: FieldProblem[],
  notBefore?: { date: string; what: string },
): string | undefined {
  let date: string;
  try {
    date = parseCalendarDate(value, field);
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
  const today = londonDateOf(now);
  if (date > today) {
    problems.push({ field, reason: `is in the future (today is ${today})` });
    return undefined;
  }
  if (notBefore && date < notBefore.date) {
    problems.push({ field, reason: `is before ${notBefore.what} (${notBefore.date})` });
    return undefined;
  }
  return date;
}

/** Required text, trimmed: 1 to `max` characters. */
export function requiredText(
  value: unknown,
  field: string,
  max: number,
  problems: FieldProblem[],
  reason = `is required: 1 to ${max} characters`,
): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > max) {
    problems.push({ field, reason });
    return undefined;
  }
  return value.trim();
}

/** Optional text, trimmed: nothing (or blank) is null. */
export function optionalText(
  value: unknown,
  field: string,
  max: number,
  problems: FieldProblem[],
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim().length > max) {
    problems.push({ field, reason: `must be text of up to ${max} characters, or left out` });
    return null;
  }
  return value.trim() === '' ? null : value.trim();
}
