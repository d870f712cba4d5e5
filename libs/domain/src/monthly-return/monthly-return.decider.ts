import { isReportedIn, readIndicatorValue, type IndicatorValue } from '../kpi/indicator';
import {
  bonusCompliance,
  judgeIndicator,
  type BonusCompliance,
  type Judgement,
} from '../kpi/judge-indicator.policy';
import type { FrameworkVersion } from '../kpi-framework/kpi-framework.decider';
import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { hasEnded, isLateReturn, returnDueDate, type Period } from '../shared/period';
import type { MonthlyReturnCommand } from './monthly-return.commands';
import type { JudgedBy, MonthlyReturnEvent } from './monthly-return.events';

/** A service's return for one month: nothing yet, or its values as last submitted or amended. */
export type MonthlyReturnState =
  | { status: 'none' }
  | (JudgedBy & {
      status: 'submitted';
      serviceId: string;
      period: Period;
      values: Record<string, IndicatorValue>;
      submittedAt: string;
      submittedBy: string;
      amendments: number;
    });

/** The longest reason an amendment may give: checked at the edge, where the request is read. */
export const MAX_REASON_LENGTH = 2000;

export const monthlyReturnDecider: Decider<
  MonthlyReturnCommand,
  MonthlyReturnState,
  MonthlyReturnEvent
> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'SubmitMonthlyReturn': {
        const { serviceId, period, framework, submittedBy, now } = command.data;
        if (state.status === 'submitted') {
          throw new ConflictError(
            `${serviceId} already has a return for ${period}, submitted ${state.submittedAt}; amend it instead`,
            {
              existingReturn: {
                serviceId,
                period,
                submittedAt: state.submittedAt,
                submittedBy: state.submittedBy,
              },
            },
          );
        }
        if (!hasEnded(period, now)) {
          throw InvalidCommandError.of(
            'period',
            `${period} has not ended yet: a return covers a whole month`,
          );
        }
        const values = readValues(command.data.values, framework, period, { complete: true });
        return [
          {
            type: 'MonthlyReturnSubmitted',
            data: {
              serviceId,
              period,
              frameworkId: framework.frameworkId,
              frameworkVersion: framework.version,
              values,
              ...judge(values, framework),
              submittedBy,
              submittedAt: now.toISOString(),
              dueDate: returnDueDate(period),
              late: isLateReturn(period, now),
            },
          },
        ];
      }

      case 'AmendMonthlyReturn': {
        const { serviceId, period, framework, amendedBy, now } = command.data;
        if (state.status === 'none')
          throw new NotFoundError(`${serviceId} has no return for ${period} to amend`);
        // The reason (1 to MAX_REASON_LENGTH characters, not blank) is checked at the edge.
        const reason = command.data.reason;
        if (
          framework.frameworkId !== state.frameworkId ||
          framework.version !== state.frameworkVersion
        ) {
          throw new Error(
            `An amendment is judged by the version its return was judged by (${state.frameworkId} v${state.frameworkVersion})`,
          );
        }
        const proposed = readValues(command.data.values, framework, period, { complete: false });
        const changes = Object.fromEntries(
          Object.entries(proposed).filter(
            ([code, value]) => JSON.stringify(value) !== JSON.stringify(state.values[code]),
          ),
        );
        if (Object.keys(changes).length === 0) {
          throw InvalidCommandError.of('values', 'the amendment changes no value');
        }
        const values = { ...state.values, ...changes };
        return [
          {
            type: 'MonthlyReturnAmended',
            data: {
              serviceId,
              period,
              frameworkId: state.frameworkId,
              frameworkVersion: state.frameworkVersion,
              amendmentNumber: state.amendments + 1,
              changes,
              values,
              ...judge(values, framework),
              reason: reason.trim(),
              amendedBy,
              amendedAt: now.toISOString(),
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'MonthlyReturnSubmitted': {
        const {
          serviceId,
          period,
          frameworkId,
          frameworkVersion,
          values,
          submittedAt,
          submittedBy,
        } = event.data;
        return {
          status: 'submitted',
          serviceId,
          period,
          frameworkId,
          frameworkVersion,
          values,
          submittedAt,
          submittedBy,
          amendments: 0,
        };
      }
      case 'MonthlyReturnAmended':
        if (state.status !== 'submitted') return state;
        return { ...state, values: event.data.values, amendments: event.data.amendmentNumber };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/**
 * Reads submitted values against the framework: every code must be one of its indicators
 * reported this month, every value the right shape for its unit; a submission (`complete`)
 * must have them all. Every problem is reported at once, each naming `values.<code>`.
 */
function readValues(
  raw: unknown,
  framework: FrameworkVersion,
  period: Period,
  { complete }: { complete: boolean },
): Record<string, IndicatorValue> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw InvalidCommandError.of('values', 'must be an object of indicator code → value');
  }
  const due = framework.indicators.filter((indicator) => isReportedIn(indicator, period));
  const problems: FieldProblem[] = [];
  const values: Record<string, IndicatorValue> = {};
  for (const [code, value] of Object.entries(raw)) {
    const indicator = framework.indicators.find((i) => i.code === code);
    if (!indicator) {
      problems.push({
        field: `values.${code}`,
        reason: `is not an indicator of ${framework.frameworkId} version ${framework.version}`,
      });
    } else if (!due.includes(indicator)) {
      problems.push({
        field: `values.${code}`,
        reason: `is reported ${indicator.periodicity}, not in ${period}`,
      });
    } else {
      const read = readIndicatorValue(indicator, value);
      if (typeof read === 'object' && 'problem' in read)
        problems.push({ field: `values.${code}`, reason: read.problem });
      else values[code] = read;
    }
  }
  if (complete) {
    for (const indicator of due) {
      if (!Object.hasOwn(raw, indicator.code)) {
        problems.push({
          field: `values.${indicator.code}`,
          reason: `is missing: give a value or { "notApplicable": true, "reason": "…" } (${indicator.name})`,
        });
      }
    }
  }
  if (problems.length > 0) throw new InvalidCommandError(problems);
  return values;
}

function judge(
  values: Record<string, IndicatorValue>,
  framework: FrameworkVersion,
): { results: Record<string, Judgement>; bonus: BonusCompliance | null } {
  const results: Record<string, Judgement> = {};
  for (const indicator of framework.indicators) {
    const value = values[indicator.code];
    if (value !== undefined) results[indicator.code] = judgeIndicator(indicator, value);
  }
  return {
    results,
    bonus: framework.bonusRule
      ? bonusCompliance(Object.values(results), framework.bonusRule)
      : null,
  };
}
