import {
  ENTITY_ID,
  InvalidCommandError,
  isPeriod,
  parseFinancialQuarter,
  yearMonth,
  type Period,
} from '@kpi/domain';
import { Matches, ValidateBy, type ValidationArguments } from 'class-validator';

/** The longest span a grid or report covers: three years of months. */
export const MAX_SPAN_MONTHS = 36;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_MESSAGE = 'must be a month written YYYY-MM (01–12)';
const ID_MESSAGE =
  'must be 1 to 63 lowercase letters, digits or -, starting with a letter or digit';

/** A query parameter holding a month `YYYY-MM`. */
export const IsMonth = () => Matches(MONTH, { message: MONTH_MESSAGE });

/** A query parameter holding an id (region, service, person): the slug every id is. */
export const IsEntityId = () => Matches(ENTITY_ID, { message: ID_MESSAGE });

const monthIndex = (period: Period): number => {
  const { year, month } = yearMonth(period);
  return year * 12 + month;
};

/**
 * The last month of a span: not before the month in `fromField`, and at most `maxMonths`
 * months from it (both ends included). Malformed months are left to {@link IsMonth}.
 */
export function IsSpanEnd(fromField: string, maxMonths: number) {
  const problemOf = (to: unknown, from: unknown): string | null => {
    if (!isPeriod(to) || !isPeriod(from)) return null;
    if (to < from) return `must not be before from (${from})`;
    const months = monthIndex(to) - monthIndex(from) + 1;
    return months > maxMonths
      ? `must be within ${maxMonths} months of from (${from} to ${to} is ${months} months)`
      : null;
  };
  const fromOf = (args: ValidationArguments): unknown =>
    (args.object as Record<string, unknown>)[fromField];
  return ValidateBy({
    name: 'isSpanEnd',
    constraints: [fromField, maxMonths],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        args === undefined || problemOf(value, fromOf(args)) === null,
      defaultMessage: (args?: ValidationArguments) =>
        (args && problemOf(args.value, fromOf(args))) ?? 'is not a valid end of the span',
    },
  });
}

/** A class-validator rule from a domain parser: valid when it parses, its reason otherwise. */
export function ParsedBy(name: string, parse: (value: unknown) => unknown) {
  const reasonOf = (value: unknown): string | null => {
    try {
      parse(value);
      return null;
    } catch (error) {
      if (error instanceof InvalidCommandError) return error.problems[0]?.reason ?? 'is invalid';
      throw error;
    }
  };
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => reasonOf(value) === null,
      defaultMessage: (args) => (args && reasonOf(args.value)) ?? 'is invalid',
    },
  });
}

/** A query parameter holding a UK financial-year quarter, `2026-27 Q1`. */
export const IsFinancialQuarter = () =>
  ParsedBy('isFinancialQuarter', (value) => parseFinancialQuarter(value));
