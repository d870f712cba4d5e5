import {
  indicatorFieldsOf,
  isJudgedAgainstTarget,
  type IndicatorDefinition,
} from '../kpi/indicator';
import { formulaProblems, indicatorProblems } from '../kpi/indicator-problems';
import type { BonusRule } from '../kpi/judge-indicator.policy';
import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, type FieldProblem } from '../shared/domain-errors';
import { londonPeriodOf, type Period } from '../shared/period';
import type { JudgedMonth, KpiFrameworkCommand } from './kpi-framework.commands';
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
        const { frameworkId, name, effectiveFrom, bonusRule, judged, publishedBy, now } =
          command.data;
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
        } else if (latest && judged === 'unknown' && effectiveFrom < londonPeriodOf(now)) {
          // Without knowing which ended months are judged, none may be covered.
          problems.push({
            field: 'effectiveFrom',
            reason: `a new version takes effect from the current month (${londonPeriodOf(now)}) or later unless the months it covers are known to have no judged returns`,
          });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        // A version may start in an ended month, but a month already judged keeps the version
        // it was judged by: the new one may not cover it (DOMAIN.md "Versions and the past").
        const covered = judged === 'unknown' ? [] : judged.filter((m) => m.period >= effectiveFrom);
        if (covered.length > 0) throw judgedMonthsConflict(effectiveFrom, covered);
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

/** How many services a refusal names per version before "…". */
const SERVICES_NAMED = 3;

/**
 * The refusal of a version covering judged months: `effectiveFrom: 2025-06 and 2025-07 already
 * have returns judged by version 1 (home-01, home-02 …)`, every month named, by version.
 */
function judgedMonthsConflict(
  effectiveFrom: Period,
  judged: readonly JudgedMonth[],
): ConflictError {
  const byVersion = new Map<number, { periods: Set<string>; services: Set<string> }>();
  for (const { period, version, serviceIds } of judged) {
    const entry = byVersion.get(version) ?? { periods: new Set(), services: new Set() };
    entry.periods.add(period);
    for (const serviceId of serviceIds) entry.services.add(serviceId);
    byVersion.set(version, entry);
  }
  const parts = [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, { periods, services }]) => {
      const months = [...periods].sort();
      const names = [...services].sort();
      const shown = names.slice(0, SERVICES_NAMED).join(', ');
      const more = names.length > SERVICES_NAMED ? ' …' : '';
      return `${listed(months)} already ${months.length === 1 ? 'has' : 'have'} returns judged by version ${version} (${shown}${more})`;
    });
  return new ConflictError(
    `effectiveFrom: ${parts.join('; ')}: a judged month keeps the version it was judged by, so a version from ${effectiveFrom} may not cover it`,
    {
      judgedMonths: [...judged]
        .sort((a, b) => a.period.localeCompare(b.period) || a.version - b.version)
        .map(({ period, version, serviceIds }) => ({
          period,
          version,
          serviceIds: [...serviceIds].sort(),
        })),
    },
  );
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
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
