import { deciderSpecification } from '@kpi/testing';
import { type IndicatorDefinition } from '../../kpi/indicator';
import { indicatorProblems } from '../../kpi/indicator-problems';
import { monthlyReturnDecider } from '../../monthly-return/monthly-return.decider';
import type { MonthlyReturnSubmitted } from '../../monthly-return/monthly-return.events';
import type { Period } from '../../shared/period';
import { collectedMonthsInWords } from '../collection';
import { kpiFrameworkDecider, type FrameworkVersion } from '../kpi-framework.decider';
import type { KpiFrameworkVersionPublished } from '../kpi-framework.events';
import { BUSINESS_PLAN_INDICATORS } from './business-plan.preset';
import { RESPITE_ONLY_INDICATORS } from './direct-services-respite.preset';
import { DIRECT_SERVICES_INDICATORS } from './direct-services.preset';
import { FRAMEWORK_PRESET_NAMES, FRAMEWORK_PRESETS } from './framework-presets';

const publish = (name: (typeof FRAMEWORK_PRESET_NAMES)[number]) => {
  const preset = FRAMEWORK_PRESETS[name];
  return kpiFrameworkDecider.decide(
    {
      type: 'PublishKpiFrameworkVersion',
      data: {
        frameworkId: preset.frameworkId,
        name: preset.name,
        effectiveFrom: '2026-04' as Period,
        indicators: preset.indicators,
        bonusRule: preset.bonusRule,
        judged: [],
        publishedBy: 'user:admin',
        now: new Date('2026-04-01T09:00:00Z'),
      },
    },
    kpiFrameworkDecider.initialState(),
  ) as KpiFrameworkVersionPublished[];
};

describe('the framework presets', () => {
  it.each(FRAMEWORK_PRESET_NAMES)('%s: every indicator passes indicatorProblems', (name) => {
    FRAMEWORK_PRESETS[name].indicators.forEach((indicator, i) =>
      expect(indicatorProblems(indicator, `indicators[${i}]`)).toEqual([]),
    );
  });

  it.each(FRAMEWORK_PRESET_NAMES)('%s: publishes through the framework decider', (name) => {
    const [event] = publish(name);
    expect(event!.type).toBe('KpiFrameworkVersionPublished');
    expect(event!.data.indicators).toEqual(FRAMEWORK_PRESETS[name].indicators);
  });

  it('an indicator group is 1 to 100 characters, or left out', () => {
    const [indicator] = FRAMEWORK_PRESETS['direct-services'].indicators;
    expect(indicatorProblems({ ...indicator!, group: ' ' }, 'indicators[0]')).toEqual([
      {
        field: 'indicators[0].group',
        reason: 'must be 1 to 100 characters (the heading it is listed under), or left out',
      },
    ]);
    expect(indicatorProblems({ ...indicator!, group: undefined }, 'indicators[0]')).toEqual([]);
  });

  it('codes are unique within each preset', () => {
    for (const name of FRAMEWORK_PRESET_NAMES) {
      const codes = FRAMEWORK_PRESETS[name].indicators.map((i) => i.code);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  describe('direct services (seed 001, Appendix 1)', () => {
    const byCode = new Map(DIRECT_SERVICES_INDICATORS.map((i) => [i.code, i]));

    it('lists every item under its seed heading, collected and totalled (data-only) or computed', () => {
      expect(new Set(DIRECT_SERVICES_INDICATORS.map((i) => i.group))).toEqual(
        new Set([
          'People we support',
          'Social work reviews',
          'Individual service agreements',
          'Service delivery',
          'Funding streams',
          'Accommodation',
          'Transport',
          'Social work teams',
          'Quality of service',
          'Staffing',
          'Staff support',
          'Hours delivered',
        ]),
      );
      for (const indicator of DIRECT_SERVICES_INDICATORS)
        expect(['data-only', 'derived']).toContain(indicator.kind);
      expect(DIRECT_SERVICES_INDICATORS).toHaveLength(37);
      expect(RESPITE_ONLY_INDICATORS).toHaveLength(8);
    });

    it('splits the figures the seed splits', () => {
      expect(byCode.get('PEOPLE')!.breakdown!.categories).toEqual(['MH', 'LD', 'PSD', 'OP']);
      expect(byCode.get('DISCHARGES')!.breakdown!.categories).toEqual([
        'Moved on',
        'Refusal to engage',
        'No longer meets eligibility',
        'Passed away',
      ]);
      expect(byCode.get('ACCOMMODATION')!.breakdown!.categories).toHaveLength(5);
      expect(byCode.get('SW_TEAMS')!.breakdown!.categories).toHaveLength(5);
      expect(byCode.get('TRANSPORT')!.breakdown!.categories).toHaveLength(3);
    });

    it('adds flows within the month and keeps the last of positions', () => {
      expect(byCode.get('REFERRALS')!.aggregation).toBe('sum');
      expect(byCode.get('HOURS_SICKNESS')!.aggregation).toBe('sum');
      expect(byCode.get('PEOPLE')!.aggregation).toBe('last');
      expect(byCode.get('STAFF_TOTAL')!.aggregation).toBe('last');
    });

    it('keeps the respite-only items out of the other direct services', () => {
      const respiteCodes = RESPITE_ONLY_INDICATORS.map((i) => i.code);
      expect(DIRECT_SERVICES_INDICATORS.some((i) => respiteCodes.includes(i.code))).toBe(false);
      expect(FRAMEWORK_PRESETS['direct-services-respite'].indicators.map((i) => i.code)).toEqual(
        [...DIRECT_SERVICES_INDICATORS, ...RESPITE_ONLY_INDICATORS].map((i) => i.code),
      );
    });
  });

  describe('business plan (seed 003, Section F)', () => {
    it('has one indicator of each table, each with floor (judged ones), outturn and benchmark', () => {
      expect(BUSINESS_PLAN_INDICATORS.map((i) => i.group)).toEqual([
        'Performance indicators – quarterly by financial year',
        'Performance indicators – termly by academic year',
        'Performance indicators – annually by financial year',
        'Performance indicators – annually by academic year',
        'Activity indicators – quarterly by financial year',
      ]);
      for (const indicator of BUSINESS_PLAN_INDICATORS) {
        expect(indicator.previousOutturn).toBeDefined();
        expect(indicator.comparativeBenchmark!.source).toMatch(/20\d\d/);
        if (indicator.kind !== 'activity') expect(indicator.floor).toBeDefined();
      }
      expect(BUSINESS_PLAN_INDICATORS[0]!.targetsByPeriod!.quarters).toEqual({
        Q1: 80,
        Q2: 82,
        Q3: 84,
        Q4: 85,
      });
      expect(BUSINESS_PLAN_INDICATORS[1]).toMatchObject({
        periodicity: 'termly',
        targetsByPeriod: { terms: { autumn: 93, spring: 91, summer: 92 } },
      });
      expect(BUSINESS_PLAN_INDICATORS[2]).toMatchObject({ periodicity: 'annual' });
      expect(BUSINESS_PLAN_INDICATORS[2]!.yearBasis).toBeUndefined();
      expect(BUSINESS_PLAN_INDICATORS[3]).toMatchObject({
        periodicity: 'annual',
        yearBasis: 'academic',
      });
      expect(BUSINESS_PLAN_INDICATORS[4]).toMatchObject({
        kind: 'activity',
        direction: 'within-range',
        expectedRangesByQuarter: {
          Q1: { lower: 90, upper: 120 },
          Q2: { lower: 80, upper: 110 },
          Q3: { lower: 90, upper: 120 },
          Q4: { lower: 100, upper: 130 },
        },
      });
    });

    it('collects each table at its own periods: quarter ends, term ends and year ends', () => {
      const [event] = publish('business-plan');
      expect(collectedMonthsInWords(event!.data)).toBe('Jun, Aug, Sep, Dec and Mar');
    });
  });
});

/** Zero of everything a month's return is typed with (derived ones are computed). */
const zeroes = (indicators: IndicatorDefinition[]) =>
  Object.fromEntries(
    indicators
      .filter((i) => i.kind !== 'derived' && i.periodicity === 'monthly')
      .map((i) => [
        i.code,
        i.breakdown ? { parts: Object.fromEntries(i.breakdown.categories.map((c) => [c, 0])) } : 0,
      ]),
  );

describe('a respite unit returning the direct-services-respite dataset', () => {
  const [published] = publish('direct-services-respite');
  const framework: FrameworkVersion = {
    frameworkId: published!.data.frameworkId,
    name: published!.data.name,
    version: published!.data.version,
    effectiveFrom: published!.data.effectiveFrom,
    indicators: published!.data.indicators,
    bonusRule: published!.data.bonusRule,
  };
  const spec = deciderSpecification(monthlyReturnDecider);

  it('computes beds unoccupied (available − delivered) and judges nothing', () => {
    spec
      .given([])
      .when({
        type: 'SubmitMonthlyReturn',
        data: {
          serviceId: 'trem-y-mor',
          period: '2026-05' as Period,
          values: {
            ...zeroes(framework.indicators),
            BEDS_AVAILABLE: 310,
            BEDS_DELIVERED: 262,
            PEOPLE: { parts: { MH: 1, LD: 14, PSD: 3, OP: 0 } },
          },
          framework,
          submittedBy: 'user:rm-1',
          now: new Date('2026-06-05T09:00:00Z'),
        },
      })
      .thenEvents(([event]) => {
        const { data } = event as MonthlyReturnSubmitted;
        expect(data.values.BEDS_UNOCCUPIED).toBe(48);
        expect(data.values.PEOPLE).toEqual({ parts: { MH: 1, LD: 14, PSD: 3, OP: 0 }, total: 18 });
        expect(data.results.BEDS_UNOCCUPIED).toMatchObject({ outcome: 'not-judged', rag: 'grey' });
        expect(data.values.CAP_UTILISATION).toMatchObject({ notApplicable: true });
        expect(new Set(Object.values(data.results).map((r) => r.outcome))).toEqual(
          new Set(['not-judged', 'not-applicable']), // CAP_UTILISATION of 0 places
        );
      });
  });
});
