import { InvalidCommandError } from './domain-errors';
import { periodOf, periodsBetween, yearMonth, type Period } from './period';

/**
 * School and council years (../shared/docs/DOMAIN.md, "Council indicators"):
 * - academic terms: autumn September–December, spring January–March, summer April–August,
 *   named by the calendar year their months fall in: `Aut 13` (Sep–Dec 2013), `Spr 14`
 *   (Jan–Mar 2014), `Sum 14` (Apr–Aug 2014);
 * - academic years run September to August, financial years April to March; both are named
 *   `2013/14`.
 * Two-digit years are read as 2000–2099.
 */
export const ACADEMIC_TERMS = ['autumn', 'spring', 'summer'] as const;
export type AcademicTerm = (typeof ACADEMIC_TERMS)[number];

/** A span of whole months with its name. */
export interface NamedSpan {
  name: string;
  first: Period;
  last: Period;
}

const TERM_PREFIX: Record<AcademicTerm, string> = { autumn: 'Aut', spring: 'Spr', summer: 'Sum' };
const TERM_MONTHS: Record<AcademicTerm, [number, number]> = {
  autumn: [9, 12],
  spring: [1, 3],
  summer: [4, 8],
};

const twoDigits = (year: number) => String(year % 100).padStart(2, '0');
const yearName = (startYear: number) => `${startYear}/${twoDigits(startYear + 1)}`;

/** The term a month falls in. */
export function academicTermOf(period: Period): AcademicTerm {
  const { month } = yearMonth(period);
  return month >= 9 ? 'autumn' : month <= 3 ? 'spring' : 'summer';
}

/** The term a month falls in, with its name and months: 2013-10 → `Aut 13`, 2013-09…2013-12. */
export function academicTermSpanOf(period: Period): NamedSpan & { term: AcademicTerm } {
  const term = academicTermOf(period);
  const { year } = yearMonth(period);
  const [first, last] = TERM_MONTHS[term];
  return {
    term,
    name: `${TERM_PREFIX[term]} ${twoDigits(year)}`,
    first: periodOf(year, first),
    last: periodOf(year, last),
  };
}

const TERM = /^(Aut|Spr|Sum) (\d{2})$/;

/** Reads a term written `Aut 13`, `Spr 14` or `Sum 14`; throws InvalidCommandError naming `field`. */
export function parseAcademicTerm(
  value: unknown,
  field = 'term',
): NamedSpan & { term: AcademicTerm } {
  const match = typeof value === 'string' ? TERM.exec(value) : null;
  if (!match) {
    throw InvalidCommandError.of(
      field,
      `must be an academic term written like Aut 13 (Sep–Dec 2013), Spr 14 (Jan–Mar 2014) or Sum 14 (Apr–Aug 2014); got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  const term = (Object.keys(TERM_PREFIX) as AcademicTerm[]).find(
    (t) => TERM_PREFIX[t] === match[1],
  )!;
  return academicTermSpanOf(periodOf(2000 + Number(match[2]), TERM_MONTHS[term][0]));
}

/** The academic year (September–August) of a month: 2014-03 → `2013/14`, 2013-09…2014-08. */
export function academicYearOf(period: Period): NamedSpan {
  const { year, month } = yearMonth(period);
  const start = month >= 9 ? year : year - 1;
  return { name: yearName(start), first: periodOf(start, 9), last: periodOf(start + 1, 8) };
}

/** The financial year (April–March) of a month: 2014-03 → `2013/14`, 2013-04…2014-03. */
export function financialYearOf(period: Period): NamedSpan {
  const { year, month } = yearMonth(period);
  const start = month >= 4 ? year : year - 1;
  return { name: yearName(start), first: periodOf(start, 4), last: periodOf(start + 1, 3) };
}

const YEAR = /^(\d{4})\/(\d{2})$/;

function parseYear(
  value: unknown,
  field: string,
  kind: string,
  of: (period: Period) => NamedSpan,
  firstMonth: number,
): NamedSpan {
  const match = typeof value === 'string' ? YEAR.exec(value) : null;
  const start = Number(match?.[1]);
  if (!match || start < 1000 || start > 9998 || match[2] !== twoDigits(start + 1)) {
    throw InvalidCommandError.of(
      field,
      `must be ${kind} written like 2013/14 (the second year follows the first); got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return of(periodOf(start, firstMonth));
}

/** Reads a financial year written `2013/14` (April 2013 – March 2014). */
export const parseFinancialYear = (value: unknown, field = 'year'): NamedSpan =>
  parseYear(value, field, 'a financial year (April–March)', financialYearOf, 4);

/** Reads an academic year written `2013/14` (September 2013 – August 2014). */
export const parseAcademicYear = (value: unknown, field = 'year'): NamedSpan =>
  parseYear(value, field, 'an academic year (September–August)', academicYearOf, 9);

/** The months of a span, in order. */
export const monthsOf = (span: Pick<NamedSpan, 'first' | 'last'>): Period[] =>
  periodsBetween(span.first, span.last);
