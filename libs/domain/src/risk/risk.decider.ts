import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { parseCalendarDate } from '../shared/calendar-date';
import { pastDate, requiredText } from '../shared/command-fields';
import { londonDateOf } from '../shared/period';
import { accountIdOf } from '../action/action.decider';
import type { RiskCommand } from './risk.commands';
import {
  RISK_CATEGORIES,
  type RiskCategory,
  type RiskEvent,
  type RiskFacts,
  type RiskRating,
} from './risk.events';

/**
 * Why a risk's review due on `reviewOn` is owed nothing, or null when it is owed: the risk was
 * closed by then.
 */
export function whyRiskReviewIsNotOwed(
  risk: NonNullable<RiskState['risk']>,
  reviewOn: string,
): string | null {
  return risk.closedOn !== null && risk.closedOn <= reviewOn
    ? `the risk was closed on ${risk.closedOn}`
    : null;
}

/** A risk's score: likelihood × impact, 1 to 25. */
export const riskScore = ({ likelihood, impact }: RiskRating): number => likelihood * impact;

export type RiskRag = 'green' | 'amber' | 'red';

/**
 * The RAG of a score on the 5 × 5 matrix: green 1–6 (tolerated, watched), amber 8–12 (managed
 * actively), red 15–25 (escalated: controls and actions now). A product of two numbers 1–5 is
 * never 7, 11, 13 or 14, so the bands leave no gap.
 */
export function riskRag(score: number): RiskRag {
  if (score <= 6) return 'green';
  if (score <= 12) return 'amber';
  return 'red';
}

/** A risk as it stands: its facts, its revision number, open or closed. */
export interface RiskState {
  risk: (RiskFacts & { riskId: string; revision: number; closedOn: string | null }) | null;
}

const MAX_TITLE = 200;
const MAX_CONTROLS = 4000;
const OWNER = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const FIELDS = [
  'title',
  'owner',
  'category',
  'inherent',
  'residual',
  'controls',
  'reviewOn',
] as const satisfies readonly (keyof RiskFacts)[];

export const riskDecider: Decider<RiskCommand, RiskState, RiskEvent> = {
  initialState: () => ({ risk: null }),

  decide(command, { risk }) {
    const { riskId, actor, now } = command.data;
    switch (command.type) {
      case 'RaiseRisk': {
        if (risk) throw new ConflictError(`Risk ${riskId} is already on the register`);
        const problems: FieldProblem[] = [];
        const facts = readFacts(command.data, FIELDS, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'RiskRaised',
            data: { riskId, ...(facts as RiskFacts), raisedBy: actor, raisedAt: now.toISOString() },
          },
        ];
      }

      case 'ReviseRisk': {
        if (!risk) throw new NotFoundError(`No risk ${riskId}`);
        if (risk.closedOn !== null)
          throw new ConflictError(`Risk ${riskId} was closed on ${risk.closedOn}`, {
            closedOn: risk.closedOn,
          });
        const given = FIELDS.filter((field) => command.data.changes[field] !== undefined);
        const problems: FieldProblem[] = [];
        const read = readFacts(command.data.changes, given, problems);
        const { riskId: _id, revision, closedOn: _closed, ...current } = risk;
        const next: RiskFacts = { ...current, ...read };
        if (problems.length === 0) checkResidual(next, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        const changed = FIELDS.filter(
          (field) => JSON.stringify(next[field]) !== JSON.stringify(current[field]),
        );
        if (changed.length === 0)
          throw InvalidCommandError.of('changes', 'change nothing: give at least one new value');
        return [
          {
            type: 'RiskRevised',
            data: {
              riskId,
              ...next,
              revision: revision + 1,
              changed,
              revisedBy: actor,
              revisedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'CloseRisk': {
        if (!risk) throw new NotFoundError(`No risk ${riskId}`);
        if (risk.closedOn !== null)
          throw new ConflictError(`Risk ${riskId} was closed on ${risk.closedOn}`, {
            closedOn: risk.closedOn,
          });
        const problems: FieldProblem[] = [];
        const closedOn =
          command.data.closedOn === undefined || command.data.closedOn === null
            ? londonDateOf(now)
            : pastDate(command.data.closedOn, 'closedOn', now, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'RiskClosed',
            data: {
              riskId,
              closedOn: closedOn!,
              reviewOn: risk.reviewOn,
              closedBy: actor,
              recordedAt: now.toISOString(),
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
      case 'RiskRaised': {
        const { raisedBy: _by, raisedAt: _at, ...facts } = event.data;
        return { risk: { ...facts, revision: 1, closedOn: null } };
      }
      case 'RiskRevised': {
        if (!state.risk) return state;
        const { revisedBy: _by, revisedAt: _at, changed: _changed, ...facts } = event.data;
        return { risk: { ...state.risk, ...facts } };
      }
      case 'RiskClosed':
        return state.risk ? { risk: { ...state.risk, closedOn: event.data.closedOn } } : state;
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/** Reads the `fields` of a risk from `raw`, each checked; a raised risk gives them all. */
function readFacts(
  raw: Partial<Record<keyof RiskFacts, unknown>>,
  fields: readonly (keyof RiskFacts)[],
  problems: FieldProblem[],
): Partial<RiskFacts> {
  const facts: Partial<RiskFacts> = {};
  for (const field of fields) {
    const value = raw[field];
    switch (field) {
      case 'title':
        facts.title = requiredText(value, 'title', MAX_TITLE, problems);
        break;
      case 'owner': {
        const owner = typeof value === 'string' ? accountIdOf(value) : value;
        if (typeof owner === 'string' && OWNER.test(owner)) facts.owner = owner;
        else problems.push({ field: 'owner', reason: 'must be a person’s account id' });
        break;
      }
      case 'category':
        if ((RISK_CATEGORIES as readonly unknown[]).includes(value))
          facts.category = value as RiskCategory;
        else
          problems.push({
            field: 'category',
            reason: `must be one of ${RISK_CATEGORIES.join(', ')}`,
          });
        break;
      case 'inherent':
      case 'residual':
        facts[field] = readRating(value, field, problems);
        break;
      case 'controls':
        facts.controls = requiredText(value, 'controls', MAX_CONTROLS, problems);
        break;
      case 'reviewOn':
        try {
          facts.reviewOn = parseCalendarDate(value, 'reviewOn');
        } catch (error) {
          if (!(error instanceof InvalidCommandError)) throw error;
          problems.push(...error.problems);
        }
        break;
    }
  }
  if (fields.length === FIELDS.length && problems.length === 0)
    checkResidual(facts as RiskFacts, problems);
  return facts;
}

/** Controls lower a risk, never raise it: the residual score is not above the inherent one. */
function checkResidual(facts: RiskFacts, problems: FieldProblem[]): void {
  if (riskScore(facts.residual) > riskScore(facts.inherent))
    problems.push({
      field: 'residual',
      reason: `scores ${riskScore(facts.residual)}, above the inherent ${riskScore(facts.inherent)}: controls lower a risk, never raise it`,
    });
}

function readRating(
  value: unknown,
  field: string,
  problems: FieldProblem[],
): RiskRating | undefined {
  const given = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const part = (name: 'likelihood' | 'impact'): number | undefined => {
    const n = given[name];
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5) return n;
    problems.push({ field: `${field}.${name}`, reason: 'must be a whole number from 1 to 5' });
    return undefined;
  };
  const likelihood = part('likelihood');
  const impact = part('impact');
  return likelihood !== undefined && impact !== undefined ? { likelihood, impact } : undefined;
}
