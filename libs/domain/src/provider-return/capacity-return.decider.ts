import type { Decider } from '../shared/decider';
import { InvalidCommandError, NotFoundError, type FieldProblem } from '../shared/domain-errors';
import { lastDayOfMonth } from '../shared/calendar-date';
import { isPeriod, londonPeriodOf, type Period } from '../shared/period';
import type {
  CapacityFiguresInput,
  ProviderCapacityReturnCommand,
} from './provider-return.commands';
import type { CapacityFigures, ProviderCapacityReturnEvent } from './provider-return.events';
import { alreadyReturned, checkedAmendment, isWholeNumber } from './provider-return.policy';

/**
 * A provider's monthly capacity return to the council (docs/rules/provider-returns.md): one per
 * provider per framework per month, in the council's tenant. Nothing yet, or its figures as last
 * submitted or amended.
 */
export type CapacityReturnState =
  | { status: 'none' }
  | {
      status: 'submitted';
      period: Period;
      figures: CapacityFigures;
      submittedAt: string;
      submittedBy: string;
      amendments: number;
    };

/**
 * The most care workers or packages a return may count: far above any provider's, and well
 * within the integer columns of the council's table (a count past them would stop the table
 * being brought up to date, for every council).
 */
export const MAX_CAPACITY_COUNT = 1_000_000;

/** The most hours a figure may hold: every hour of the week for the most packages a return counts. */
export const MAX_CAPACITY_HOURS = 168 * MAX_CAPACITY_COUNT;

export const capacityReturnDecider: Decider<
  ProviderCapacityReturnCommand,
  CapacityReturnState,
  ProviderCapacityReturnEvent
> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'SubmitProviderCapacityReturn': {
        const { frameworkId, providerId, submittedBy, now } = command.data;
        if (state.status === 'submitted') {
          throw alreadyReturned(
            `${providerId} has already returned its capacity for ${state.period} on ${frameworkId}`,
            { providerId, period: state.period },
            state,
          );
        }
        const problems: FieldProblem[] = [];
        const period = readPeriod(
          command.data.period,
          command.data.contractStartDate,
          now,
          problems,
        );
        const figures = readCapacityFigures(command.data, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ProviderCapacityReturnSubmitted',
            data: {
              frameworkId,
              providerId,
              period: period!,
              ...figures!,
              submittedBy,
              submittedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'AmendProviderCapacityReturn': {
        const { frameworkId, providerId, amendedBy, now } = command.data;
        if (state.status === 'none') {
          throw new NotFoundError(
            `${providerId} has no capacity return for ${String(command.data.period)} on ${frameworkId} to amend`,
          );
        }
        const { figures, reason } = checkedAmendment({
          readFigures: (problems) => readCapacityFigures(command.data, problems),
          reason: command.data.reason,
          current: state.figures,
          same: sameCapacityFigures,
          returnName: `The capacity return of ${providerId} for ${state.period}`,
        });
        return [
          {
            type: 'ProviderCapacityReturnAmended',
            data: {
              frameworkId,
              providerId,
              period: state.period,
              ...figures,
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
      case 'ProviderCapacityReturnSubmitted': {
        const { period, submittedAt, submittedBy } = event.data;
        return {
          status: 'submitted',
          period: period as Period,
          figures: capacityFiguresOf(event.data),
          submittedAt,
          submittedBy,
          amendments: 0,
        };
      }
      case 'ProviderCapacityReturnAmended':
        if (state.status !== 'submitted') return state;
        return {
          ...state,
          figures: capacityFiguresOf(event.data),
          amendments: state.amendments + 1,
        };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/**
 * Hours per care worker: total hours ÷ care workers to one decimal place (halves up), or null
 * with no care workers. Worked in hundredths of an hour so that 0.05 rounds up as typed.
 */
export function averageHoursPerCareWorker(totalHours: number, careWorkers: number): number | null {
  if (careWorkers === 0) return null;
  const hundredths = Math.round(totalHours * 100);
  return Math.round(hundredths / (10 * careWorkers)) / 10;
}

/** The figures of an event (or state), in a fixed order. */
export function capacityFiguresOf(figures: CapacityFigures): CapacityFigures {
  return {
    careWorkers: figures.careWorkers,
    packages: figures.packages,
    totalHours: figures.totalHours,
    averageHoursPerCareWorker: figures.averageHoursPerCareWorker,
    estimatedHoursAvailableNextMonth: figures.estimatedHoursAvailableNextMonth,
  };
}

function sameCapacityFigures(a: CapacityFigures, b: CapacityFigures): boolean {
  return (
    a.careWorkers === b.careWorkers &&
    a.packages === b.packages &&
    a.totalHours === b.totalHours &&
    a.estimatedHoursAvailableNextMonth === b.estimatedHoursAvailableNextMonth
  );
}

/** The month a return covers: `YYYY-MM`, not after this month in London, not before the contract. */
function readPeriod(
  value: unknown,
  contractStartDate: string,
  now: Date,
  problems: FieldProblem[],
): Period | undefined {
  if (!isPeriod(value)) {
    problems.push({
      field: 'period',
      reason: `must be a month written YYYY-MM (01–12); got ${JSON.stringify(value) ?? 'nothing'}`,
    });
    return undefined;
  }
  const thisMonth = londonPeriodOf(now);
  if (value > thisMonth) {
    problems.push({ field: 'period', reason: `is in the future (this month is ${thisMonth})` });
    return undefined;
  }
  if (lastDayOfMonth(value) < contractStartDate) {
    problems.push({
      field: 'period',
      reason: `is before the framework's contract started (${contractStartDate})`,
    });
    return undefined;
  }
  return value;
}

/** A count: a whole number, 0 or more, at most {@link MAX_CAPACITY_COUNT}. */
function readCount(value: unknown, field: string, problems: FieldProblem[]): number | undefined {
  if (!isWholeNumber(value)) {
    problems.push({
      field,
      reason: `must be a whole number, 0 or more; got ${JSON.stringify(value) ?? 'nothing'}`,
    });
    return undefined;
  }
  return atMost(value, MAX_CAPACITY_COUNT, field, problems);
}

/**
 * Hours: a number, 0 or more, with at most two decimal places (37.25, not 37.125), at most
 * {@link MAX_CAPACITY_HOURS}.
 */
function readHours(value: unknown, field: string, problems: FieldProblem[]): number | undefined {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    !hasAtMostTwoDecimals(value)
  ) {
    problems.push({
      field,
      reason: `must be a number of hours, 0 or more, with at most 2 decimal places; got ${JSON.stringify(value) ?? 'nothing'}`,
    });
    return undefined;
  }
  return atMost(value, MAX_CAPACITY_HOURS, field, problems);
}

function atMost(
  value: number,
  max: number,
  field: string,
  problems: FieldProblem[],
): number | undefined {
  if (value <= max) return value;
  problems.push({ field, reason: `must be at most ${max.toLocaleString('en-GB')}; got ${value}` });
  return undefined;
}

function hasAtMostTwoDecimals(value: number): boolean {
  const hundredths = value * 100;
  return Math.abs(hundredths - Math.round(hundredths)) <= 1e-9 * Math.max(1, hundredths);
}

/** Reads the typed figures, collecting every problem; works out the average. */
function readCapacityFigures(
  input: CapacityFiguresInput,
  problems: FieldProblem[],
): CapacityFigures | undefined {
  const before = problems.length;
  if (input.averageHoursPerCareWorker !== undefined) {
    problems.push({
      field: 'averageHoursPerCareWorker',
      reason:
        'is worked out (totalHours ÷ careWorkers, to one decimal place), never typed: leave it out',
    });
  }
  const careWorkers = readCount(input.careWorkers, 'careWorkers', problems);
  const packages = readCount(input.packages, 'packages', problems);
  const totalHours = readHours(input.totalHours, 'totalHours', problems);
  const estimatedHoursAvailableNextMonth = readHours(
    input.estimatedHoursAvailableNextMonth,
    'estimatedHoursAvailableNextMonth',
    problems,
  );
  if (problems.length > before) return undefined;
  return {
    careWorkers: careWorkers!,
    packages: packages!,
    totalHours: totalHours!,
    averageHoursPerCareWorker: averageHoursPerCareWorker(totalHours!, careWorkers!),
    estimatedHoursAvailableNextMonth: estimatedHoursAvailableNextMonth!,
  };
}
