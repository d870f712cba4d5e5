import {
  formulaProblems,
  indicatorFieldsOf,
  indicatorProblems,
  isJudgedAgainstTarget,
  type IndicatorDefinition,
} from '../kpi/indicator';
import type { BonusRule } from '../kpi/judge-indicator.policy';
import type { Decider } from '../shared/decider';
import { InvalidCommandError, type FieldProblem } from '../shared/domain-errors';
import { londonPeriodOf, type Period } from '../shared/period';
import type { KpiFrameworkCommand } from './kpi-framework.commands';
import type { KpiFrameworkEvent } from './kpi-framework.events';

/** One published version of a framework: the indicators that judge months from `effectiveFrom`. */
export interface FrameworkVersion {
  frameworkId: string;
  name: string;
  version: number;
  effectiveFrom: Period;
  indicators: IndicatorDefinition[];
  bonusRule: BonusRule | null;
}

/**
 * A KPI framework: versioned indicator sets. Changing a benchmark publishes a new version; a
 * month is always judged by the version in force for that month, so history keeps its colours.
 */
export interface KpiFrameworkState {
  frameworkId: string | null;
  versions: FrameworkVersion[];
}

export const MAX_INDICATORS = 100;

export const kpiFrameworkDecider: Decider<
  KpiFrameworkCommand,
  KpiFrameworkState,
  KpiFrameworkEvent
> = {
  initialState: () => ({ frameworkId: null, versions: [] }),

  decide(command, state) {
    switch (command.type) {
      case 'PublishKpiFrameworkVersion': {
        const { frameworkId, name, effectiveFrom, bonusRule, publishedBy, now } = command.data;
        const indicators = checkIndicators(command.data.indicators);
        const problems: FieldProblem[] = [];
        if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
          problems.push({ field: 'name', reason: 'is required: 1 to 200 characters' });
        }
        // The bonus is judged every month, over the indicators reported (and judged) every month.
        const monthly = indicators.filter(
          (i) => i.periodicity === 'monthly' && isJudgedAgainstTarget(i),
        ).length;
        if (bonusRule !== null) {
          const { required, of } = bonusRule ?? {};
          if (of !== monthly) {
            problems.push({
              field: 'bonusRule.of',
              reason: `must be the number of monthly indicators (${monthly})`,
            });
          }
          if (
            !Number.isInteger(required) ||
            (required as number) < 1 ||
            (required as number) > monthly
          ) {
            problems.push({
              field: 'bonusRule.required',
              reason: `must be a whole number from 1 to ${monthly}`,
            });
          }
        }
        const latest = state.versions[state.versions.length - 1];
        if (latest && effectiveFrom <= latest.effectiveFrom) {
          problems.push({
            field: 'effectiveFrom',
            reason: `must be after ${latest.effectiveFrom}, when version ${latest.version} took effect`,
          });
        } else if (latest && effectiveFrom < londonPeriodOf(now)) {
          // Ended months may already be judged by the version then in force; a new version
          // reaching back would judge the same month two ways.
          problems.push({
            field: 'effectiveFrom',
            reason: `a new version takes effect from the current month (${londonPeriodOf(now)}) or later: ended months keep the version they are judged by`,
          });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'KpiFrameworkVersionPublished',
            data: {
              frameworkId,
              name: name.trim(),
              version: (latest?.version ?? 0) + 1,
              effectiveFrom,
              indicators,
              bonusRule:
                bonusRule === null ? null : { required: bonusRule.required, of: bonusRule.of },
              publishedBy,
              publishedAt: now.toISOString(),
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'KpiFrameworkVersionPublished': {
        const { frameworkId, name, version, effectiveFrom, indicators, bonusRule } = event.data;
        return {
          frameworkId,
          versions: [
            ...state.versions,
            { frameworkId, name, version, effectiveFrom, indicators, bonusRule },
          ],
        };
      }
      default: {
        const unexpected: never = event.type;
        return unexpected;
      }
    }
  },
};

/** The version that judges `period`: the latest one in effect by then, or null. */
export function versionInForce(state: KpiFrameworkState, period: Period): FrameworkVersion | null {
  let inForce: FrameworkVersion | null = null;
  for (const version of state.versions) if (version.effectiveFrom <= period) inForce = version;
  return inForce;
}

function checkIndicators(raw: unknown): IndicatorDefinition[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_INDICATORS) {
    throw InvalidCommandError.of(
      'indicators',
      `must be a list of 1 to ${MAX_INDICATORS} indicators`,
    );
  }
  const problems: FieldProblem[] = [];
  const codes = new Set<string>();
  raw.forEach((indicator: IndicatorDefinition, i) => {
    const at = `indicators[${i}]`;
    if (typeof indicator !== 'object' || indicator === null) {
      problems.push({ field: at, reason: 'must be an indicator definition' });
      return;
    }
    problems.push(...indicatorProblems(indicator, at));
    if (codes.has(indicator.code))
      problems.push({ field: `${at}.code`, reason: `"${indicator.code}" is used twice` });
    codes.add(indicator.code);
  });
  if (problems.length === 0) problems.push(...formulaProblems(raw as IndicatorDefinition[]));
  if (problems.length > 0) throw new InvalidCommandError(problems);
  return (raw as IndicatorDefinition[]).map(indicatorFieldsOf);
}
