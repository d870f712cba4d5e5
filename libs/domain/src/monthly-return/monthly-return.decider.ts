import { isReportedIn, kindOf, type Formula, type IndicatorDefinition } from '../kpi/indicator';
import { deriveValue, readIndicatorValue, type IndicatorValue } from '../kpi/indicator-value';
import {
  bonusCompliance,
  judgeIndicator,
  type BonusCompliance,
  type Judgement,
} from '../kpi/judge-indicator.policy';
import { collectedMonthsInWords, isCollectedIn } from '../kpi-framework/collection';
import type { FrameworkVersion } from '../kpi-framework/kpi-framework.decider';
import type { Decider } from '../shared/decider';
import {
  ConflictError,
  ForbiddenError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { hasEnded, isLateReturn, returnDueDate, type Period } from '../shared/period';
import type { MonthlyReturnCommand } from './monthly-return.commands';
import type { JudgedBy, MonthlyReturnEvent } from './monthly-return.events';

/**
 * Where a return's current figures are in their sign-off (docs/decisions/0037): `submitted`
 * (submitted or amended, waiting to be verified), `verified`, `sent-back` (to be amended), or
 * `published`.
 */
export type SignOffStage = 'submitted' | 'verified' | 'sent-back' | 'published';

/** A return in sign-off: its stage, and which figures are the published ones. */
export interface ReturnSignOff {
  stage: SignOffStage;
  /** The amendment number of the figures published (0: as submitted); null while none are. */
  publishedAmendment: number | null;
}

/** A service's return for one month: nothing yet, or its values as last submitted or amended. */
export type MonthlyReturnState =
  | { status: 'none' }
  | (JudgedBy & {
      status: 'submitted';
      serviceId: string;
      period: Period;
      values: Record<string, IndicatorValue>;
      results: Record<string, Judgement>;
      bonus: BonusCompliance | null;
      submittedAt: string;
      submittedBy: string;
      late: boolean;
      amendments: number;
      /** Who set the current figures (submitted or last amended them), and when. */
      lastChangedBy: string;
      lastChangedAt: string;
      /**
       * Null for a return never in sign-off: its figures are published as they are given, as
       * before sign-off existed.
       */
      signOff: ReturnSignOff | null;
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
        if (!isCollectedIn(framework, period)) {
          throw InvalidCommandError.of(
            'period',
            `${framework.frameworkId} version ${framework.version} does not collect ${period}: it collects ${collectedMonthsInWords(framework)}, so no return is owed for it`,
          );
        }
        const values = withDerived(
          readValues(command.data.values, framework, period, { complete: true }),
          framework,
          period,
        );
        return [
          {
            type: 'MonthlyReturnSubmitted',
            data: {
              serviceId,
              period,
              frameworkId: framework.frameworkId,
              frameworkVersion: framework.version,
              values,
              ...judge(values, framework, period),
              submittedBy,
              submittedAt: now.toISOString(),
              dueDate: returnDueDate(period),
              late: isLateReturn(period, now),
              ...(command.data.signOff === true && { signOffRequired: true as const }),
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
        // Derived values follow the typed ones they are computed from.
        const values = withDerived({ ...state.values, ...proposed }, framework, period);
        const changes = Object.fromEntries(
          Object.entries(values).filter(
            ([code, value]) => JSON.stringify(value) !== JSON.stringify(state.values[code]),
          ),
        );
        if (Object.keys(changes).length === 0) {
          throw InvalidCommandError.of('values', 'the amendment changes no value');
        }
        // New figures are verified again when the organisation signs returns off, and when the
        // return is still in sign-off (turned off meanwhile): it finishes what it started.
        const signOffRequired =
          command.data.signOff === true ||
          (state.signOff !== null && state.signOff.stage !== 'published');
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
              ...judge(values, framework, period),
              reason: reason.trim(),
              amendedBy,
              amendedAt: now.toISOString(),
              ...(signOffRequired && { signOffRequired: true as const }),
            },
          },
        ];
      }

      case 'VerifyMonthlyReturn': {
        const { serviceId, period, verifiedBy, now } = command.data;
        const current = inSignOff(state, serviceId, period);
        if (current.signOff.stage !== 'submitted') throw notAwaiting(current, 'verified');
        if (verifiedBy === current.lastChangedBy) {
          throw new ForbiddenError(
            `${verifiedBy} gave these figures of ${serviceId} for ${period}: someone else verifies them`,
          );
        }
        return [
          {
            type: 'MonthlyReturnVerified',
            data: {
              serviceId,
              period,
              amendmentNumber: current.amendments,
              verifiedBy,
              verifiedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'SendBackMonthlyReturn': {
        const { serviceId, period, sentBackBy, now } = command.data;
        const current = inSignOff(state, serviceId, period);
        const { stage } = current.signOff;
        if (stage !== 'submitted' && stage !== 'verified') throw notAwaiting(current, 'sent back');
        return [
          {
            type: 'MonthlyReturnSentBack',
            data: {
              serviceId,
              period,
              amendmentNumber: current.amendments,
              reason: command.data.reason.trim(),
              sentBackBy,
              sentBackAt: now.toISOString(),
            },
          },
        ];
      }

      case 'PublishMonthlyReturn': {
        const { serviceId, period, publishedBy, now } = command.data;
        const current = inSignOff(state, serviceId, period);
        if (current.signOff.stage !== 'verified') throw notAwaiting(current, 'published');
        return [
          {
            type: 'MonthlyReturnPublished',
            data: {
              serviceId,
              period,
              frameworkId: current.frameworkId,
              frameworkVersion: current.frameworkVersion,
              amendmentNumber: current.amendments,
              values: current.values,
              results: current.results,
              bonus: current.bonus,
              submittedAt: current.submittedAt,
              late: current.late,
              changedAt: current.lastChangedAt,
              publishedBy,
              publishedAt: now.toISOString(),
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
          results: event.data.results,
          bonus: event.data.bonus,
          submittedAt,
          submittedBy,
          late: event.data.late,
          amendments: 0,
          lastChangedBy: submittedBy,
          lastChangedAt: submittedAt,
          signOff: event.data.signOffRequired
            ? { stage: 'submitted', publishedAmendment: null }
            : null,
        };
      }
      case 'MonthlyReturnAmended': {
        if (state.status !== 'submitted') return state;
        const { data } = event;
        return {
          ...state,
          values: data.values,
          results: data.results,
          bonus: data.bonus,
          amendments: data.amendmentNumber,
          lastChangedBy: data.amendedBy,
          lastChangedAt: data.amendedAt,
          signOff: data.signOffRequired
            ? {
                stage: 'submitted',
                // A return never in sign-off had its figures published as they were given.
                publishedAmendment: state.signOff
                  ? state.signOff.publishedAmendment
                  : state.amendments,
              }
            : state.signOff && { stage: 'published', publishedAmendment: data.amendmentNumber },
        };
      }
      case 'MonthlyReturnVerified':
        return withStage(state, 'verified');
      case 'MonthlyReturnSentBack':
        return withStage(state, 'sent-back');
      case 'MonthlyReturnPublished':
        if (state.status !== 'submitted') return state;
        return {
          ...state,
          signOff: { stage: 'published', publishedAmendment: event.data.amendmentNumber },
        };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

type SubmittedReturn = Extract<MonthlyReturnState, { status: 'submitted' }>;

/** The return, which must exist and be in sign-off, for a sign-off command. */
function inSignOff(
  state: MonthlyReturnState,
  serviceId: string,
  period: Period,
): SubmittedReturn & { signOff: ReturnSignOff } {
  if (state.status === 'none') throw new NotFoundError(`${serviceId} has no return for ${period}`);
  if (state.signOff === null) {
    throw new ConflictError(
      `${serviceId}'s return for ${period} is not in sign-off: its figures were published as given (sign-off was off)`,
      { signOff: null },
    );
  }
  return state as SubmittedReturn & { signOff: ReturnSignOff };
}

const STAGE_WORDS: Record<SignOffStage, string> = {
  submitted: 'is waiting to be verified',
  verified: 'is verified, waiting to be published',
  'sent-back': 'was sent back: it is amended first',
  published: 'is published',
};

/** A sign-off step the return's stage does not allow (409), saying where it is. */
function notAwaiting(current: SubmittedReturn & { signOff: ReturnSignOff }, step: string) {
  return new ConflictError(
    `${current.serviceId}'s return for ${current.period} ${STAGE_WORDS[current.signOff.stage]}: it cannot be ${step} now`,
    { signOff: current.signOff },
  );
}

function withStage(state: MonthlyReturnState, stage: SignOffStage): MonthlyReturnState {
  if (state.status !== 'submitted' || state.signOff === null) return state;
  return { ...state, signOff: { ...state.signOff, stage } };
}

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
    } else if (kindOf(indicator) === 'derived') {
      problems.push({
        field: `values.${code}`,
        reason: `is derived (${describeFormula(indicator.formula!)}): it is computed, not given`,
      });
    } else {
      const read = readIndicatorValue(indicator, value);
      if (typeof read === 'object' && 'problem' in read) {
        const field = read.field ? `values.${code}.${read.field}` : `values.${code}`;
        problems.push({ field, reason: read.problem });
      } else values[code] = read;
    }
  }
  if (complete) {
    for (const indicator of due) {
      if (kindOf(indicator) !== 'derived' && !Object.hasOwn(raw, indicator.code)) {
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

/** The typed values with every derived indicator due this month computed from them. */
function withDerived(
  typed: Record<string, IndicatorValue>,
  framework: FrameworkVersion,
  period: Period,
): Record<string, IndicatorValue> {
  const values = { ...typed };
  for (const indicator of framework.indicators) {
    if (kindOf(indicator) === 'derived' && isReportedIn(indicator, period)) {
      values[indicator.code] = deriveValue(
        indicator as IndicatorDefinition & { formula: Formula },
        typed,
      );
    }
  }
  return values;
}

const FORMULA_WORDS: Record<Formula['operation'], (of: string[]) => string> = {
  difference: ([a, b]) => `${a} − ${b}`,
  sum: (of) => of.join(' + '),
  percentage: ([a, b]) => `100 × ${a} / ${b}`,
};
const describeFormula = (formula: Formula) => FORMULA_WORDS[formula.operation](formula.of);

function judge(
  values: Record<string, IndicatorValue>,
  framework: FrameworkVersion,
  period: Period,
): { results: Record<string, Judgement>; bonus: BonusCompliance | null } {
  const results: Record<string, Judgement> = {};
  for (const indicator of framework.indicators) {
    const value = Object.hasOwn(values, indicator.code) ? values[indicator.code] : undefined;
    if (value !== undefined) results[indicator.code] = judgeIndicator(indicator, value, { period });
  }
  return {
    results,
    bonus: framework.bonusRule
      ? bonusCompliance(Object.values(results), framework.bonusRule)
      : null,
  };
}
