import {
  PROVIDER_KPIS,
  QUARTERLY_RETURN_KPI_CODES,
  type QuarterlyReturnFigures,
  type QuarterlyReturnKpiCode,
  type ReportedFigure,
} from '../call-off/provider-kpis';
import type { Decider } from '../shared/decider';
import { InvalidCommandError, NotFoundError, type FieldProblem } from '../shared/domain-errors';
import { londonPeriodOf } from '../shared/period';
import { parseFinancialQuarter, type FinancialQuarter } from '../staff/workforce-measures';
import type { ProviderQuarterlyReturnCommand } from './provider-return.commands';
import type { ProviderQuarterlyReturnEvent } from './provider-return.events';
import { alreadyReturned, checkedAmendment, isWholeNumber } from './provider-return.policy';

/**
 * A provider's quarterly return to the council (docs/rules/provider-returns.md#quarterly-return):
 * the numerator and denominator of each quarterly-return KPI, one return per provider per framework
 * per quarter, in the council's tenant.
 */
export type QuarterlyReturnState =
  | { status: 'none' }
  | {
      status: 'submitted';
      quarter: string;
      figures: QuarterlyReturnFigures;
      submittedAt: string;
      submittedBy: string;
      amendments: number;
    };

/**
 * The one KPI whose numerator may exceed its denominator: leavers in the quarter over the
 * average headcount, (at the start + at the end) ÷ 2, which is a multiple of 0.5.
 */
const TURNOVER: QuarterlyReturnKpiCode = 'staff-turnover';

export const quarterlyReturnDecider: Decider<
  ProviderQuarterlyReturnCommand,
  QuarterlyReturnState,
  ProviderQuarterlyReturnEvent
> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'SubmitProviderQuarterlyReturn': {
        const { frameworkId, providerId, submittedBy, now } = command.data;
        if (state.status === 'submitted') {
          throw alreadyReturned(
            `${providerId} has already made its quarterly return for ${state.quarter} on ${frameworkId}`,
            { providerId, quarter: state.quarter },
            state,
          );
        }
        const problems: FieldProblem[] = [];
        const quarter = readQuarter(
          command.data.quarter,
          command.data.contractStartDate,
          now,
          problems,
        );
        const figures = readQuarterlyFigures(command.data.figures, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ProviderQuarterlyReturnSubmitted',
            data: {
              frameworkId,
              providerId,
              quarter: quarter!.quarter,
              figures: figures!,
              submittedBy,
              submittedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'AmendProviderQuarterlyReturn': {
        const { frameworkId, providerId, amendedBy, now } = command.data;
        if (state.status === 'none') {
          throw new NotFoundError(
            `${providerId} has no quarterly return for ${String(command.data.quarter)} on ${frameworkId} to amend`,
          );
        }
        const { figures, reason } = checkedAmendment({
          readFigures: (problems) => readQuarterlyFigures(command.data.figures, problems),
          reason: command.data.reason,
          current: state.figures,
          same: sameQuarterlyFigures,
          returnName: `The quarterly return of ${providerId} for ${state.quarter}`,
        });
        return [
          {
            type: 'ProviderQuarterlyReturnAmended',
            data: {
              frameworkId,
              providerId,
              quarter: state.quarter,
              figures,
              reason,
              amendedBy,
              amendedAt: now.toISOString(),
            },
          },
        ];
      }

      default: {
        const unexpected: never = command;
        return unexpected;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ProviderQuarterlyReturnSubmitted': {
        const { quarter, figures, submittedAt, submittedBy } = event.data;
        return { status: 'submitted', quarter, figures, submittedAt, submittedBy, amendments: 0 };
      }
      case 'ProviderQuarterlyReturnAmended':
        if (state.status !== 'submitted') return state;
        return { ...state, figures: event.data.figures, amendments: state.amendments + 1 };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/** The key of a quarter in stream ids and URLs: `2026-27 Q1` → `2026-27-q1`. */
export function quarterKeyOf(quarter: string): string {
  return quarter.replace(' Q', '-q');
}

/** Reads a quarter key (`2026-27-q1`) from a URL; throws InvalidCommandError naming `field`. */
export function parseQuarterKey(value: unknown, field = 'quarterKey'): FinancialQuarter {
  const match = typeof value === 'string' ? /^(\d{4}-\d{2})-q([1-4])$/.exec(value) : null;
  try {
    if (match) return parseFinancialQuarter(`${match[1]} Q${match[2]}`, field);
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
  }
  throw InvalidCommandError.of(
    field,
    `must be a UK financial-year quarter written like 2026-27-q1 (Q1 April–June … Q4 January–March); got ${JSON.stringify(value) ?? 'nothing'}`,
  );
}

/**
 * The quarter a return covers: it may be returned from the first day of its last month
 * onwards (June for Q1), so a provider can send it as the quarter closes, never earlier; and
 * not for a quarter that ended before the framework's contract started.
 */
function readQuarter(
  value: unknown,
  contractStartDate: string,
  now: Date,
  problems: FieldProblem[],
): FinancialQuarter | undefined {
  let quarter: FinancialQuarter;
  try {
    quarter = parseFinancialQuarter(value, 'quarter');
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
  const lastMonth = quarter.lastDay.slice(0, 7);
  const thisMonth = londonPeriodOf(now);
  if (thisMonth < lastMonth) {
    problems.push({
      field: 'quarter',
      reason: `${quarter.quarter} can be returned from ${lastMonth}, its last month, onwards (this month is ${thisMonth})`,
    });
    return undefined;
  }
  if (quarter.lastDay < contractStartDate) {
    problems.push({
      field: 'quarter',
      reason: `ended before the framework's contract started (${contractStartDate})`,
    });
    return undefined;
  }
  return quarter;
}

const isHalfMultiple = (value: unknown): value is number =>
  typeof value === 'number' &&
  Number.isFinite(value) &&
  value >= 0 &&
  Number.isSafeInteger(value * 2);

/**
 * Reads the figures: every quarterly-return KPI, each `{ numerator, denominator }` of whole
 * numbers, 0 or more, the numerator at most the denominator — except staff turnover, whose
 * leavers may exceed the average headcount and whose denominator may end in .5. Every problem
 * is collected, naming `figures.<code>` (or `.numerator`, `.denominator`).
 */
function readQuarterlyFigures(
  raw: unknown,
  problems: FieldProblem[],
): QuarterlyReturnFigures | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({
      field: 'figures',
      reason: `must be an object of KPI code → { numerator, denominator }, for each of ${QUARTERLY_RETURN_KPI_CODES.join(', ')}`,
    });
    return undefined;
  }
  const before = problems.length;
  const codes = QUARTERLY_RETURN_KPI_CODES as readonly string[];
  for (const code of Object.keys(raw)) {
    if (!codes.includes(code)) {
      problems.push({
        field: `figures.${code}`,
        reason: `is not a KPI of the quarterly return: one of ${QUARTERLY_RETURN_KPI_CODES.join(', ')}`,
      });
    }
  }
  const figures = {} as Record<QuarterlyReturnKpiCode, ReportedFigure>;
  for (const code of QUARTERLY_RETURN_KPI_CODES) {
    const kpi = PROVIDER_KPIS.find((k) => k.code === code)!;
    const field = `figures.${code}`;
    const meaning = `numerator: ${kpi.numerator}; denominator: ${kpi.denominator}`;
    const figure = Object.hasOwn(raw, code) ? (raw as Record<string, unknown>)[code] : undefined;
    if (figure === undefined) {
      problems.push({ field, reason: `is missing: give { numerator, denominator } (${meaning})` });
      continue;
    }
    if (typeof figure !== 'object' || figure === null || Array.isArray(figure)) {
      problems.push({ field, reason: `must be { numerator, denominator } (${meaning})` });
      continue;
    }
    const { numerator, denominator, ...others } = figure as Record<string, unknown>;
    for (const other of Object.keys(others)) {
      problems.push({
        field: `${field}.${other}`,
        reason: 'is not a known field here: give numerator and denominator only',
      });
    }
    const numeratorOk = isWholeNumber(numerator);
    if (!numeratorOk) {
      problems.push({
        field: `${field}.numerator`,
        reason: `must be a whole number, 0 or more (${kpi.numerator}); got ${JSON.stringify(numerator) ?? 'nothing'}`,
      });
    }
    const isDenominator: (value: unknown) => value is number =
      code === TURNOVER ? isHalfMultiple : isWholeNumber;
    const denominatorOk = isDenominator(denominator);
    if (!denominatorOk) {
      problems.push({
        field: `${field}.denominator`,
        reason:
          code === TURNOVER
            ? `must be a number, 0 or more, in steps of 0.5 (${kpi.denominator}); got ${JSON.stringify(denominator) ?? 'nothing'}`
            : `must be a whole number, 0 or more (${kpi.denominator}); got ${JSON.stringify(denominator) ?? 'nothing'}`,
      });
    }
    if (numeratorOk && denominatorOk && code !== TURNOVER && numerator > denominator) {
      problems.push({
        field: `${field}.numerator`,
        reason: `must not be more than the denominator (${denominator}): it counts some of them (${meaning})`,
      });
    }
    if (numeratorOk && denominatorOk) figures[code] = { numerator, denominator };
  }
  return problems.length > before ? undefined : figures;
}

function sameQuarterlyFigures(a: QuarterlyReturnFigures, b: QuarterlyReturnFigures): boolean {
  return QUARTERLY_RETURN_KPI_CODES.every(
    (code) =>
      a[code].numerator === b[code]?.numerator && a[code].denominator === b[code]?.denominator,
  );
}
