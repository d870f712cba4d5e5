import { deciderSpecification } from '@kpi/testing';
import { foldEvents } from '../shared/decider';
import { ConflictError, InvalidCommandError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import type { IndicatorDefinition } from '../kpi/indicator';
import { judgeIndicator } from '../kpi/judge-indicator.policy';
import type { PublishKpiFrameworkVersion } from './kpi-framework.commands';
import { kpiFrameworkDecider, versionInForce } from './kpi-framework.decider';
import type { KpiFrameworkVersionPublished } from './kpi-framework.events';
import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_INDICATORS,
} from './presets/childrens-homes.preset';

const spec = deciderSpecification(kpiFrameworkDecider);
const now = new Date('2026-01-05T10:00:00Z');
const education = (target: number): IndicatorDefinition => ({
  code: 'EDU',
  name: 'Children in education (%)',
  unit: 'percentage',
  direction: 'higher-is-better',
  target,
  floor: 70,
  periodicity: 'monthly',
  aggregation: 'average',
});

const publish = (
  data: Partial<PublishKpiFrameworkVersion['data']> = {},
): PublishKpiFrameworkVersion => ({
  type: 'PublishKpiFrameworkVersion',
  data: {
    frameworkId: 'childrens-homes',
    name: "Children's homes",
    effectiveFrom: '2026-01' as Period,
    indicators: [education(80)],
    bonusRule: null,
    judged: [],
    publishedBy: 'user:admin',
    now,
    ...data,
  },
});

const published = (
  version: number,
  effectiveFrom: string,
  target: number,
): KpiFrameworkVersionPublished => ({
  type: 'KpiFrameworkVersionPublished',
  data: {
    frameworkId: 'childrens-homes',
    name: "Children's homes",
    version,
    effectiveFrom: effectiveFrom as Period,
    indicators: [education(target)],
    bonusRule: null,
    publishedBy: 'user:admin',
    publishedAt: now.toISOString(),
  },
});

describe('the KPI framework decider', () => {
  describe('when the first version is published', () => {
    it('records version 1 with its indicators', () => {
      spec
        .given([])
        .when(publish())
        .then([published(1, '2026-01', 80)]);
    });

    it("accepts the children's-homes preset: 9 indicators, bonus 8 of 9", () => {
      spec
        .given([])
        .when(
          publish({
            indicators: CHILDRENS_HOMES_INDICATORS,
            bonusRule: CHILDRENS_HOMES_BONUS_RULE,
          }),
        )
        .thenEvents(([event]) => {
          expect(event!.data.indicators).toHaveLength(9);
          expect(event!.data.bonusRule).toEqual({ required: 8, of: 9 });
        });
    });

    it('keeps only the fields an indicator has', () => {
      const withExtra = { ...education(80), colour: 'blue' } as IndicatorDefinition;
      spec
        .given([])
        .when(publish({ indicators: [withExtra] }))
        .thenEvents(([event]) => expect(event!.data.indicators[0]).toEqual(education(80)));
    });
  });

  describe('when a stricter benchmark is published mid-year', () => {
    const history = [published(1, '2026-01', 80), published(2, '2026-07', 90)];
    const state = foldEvents(kpiFrameworkDecider, history);

    it('judges months before it by the old version and months from it by the new one', () => {
      expect(versionInForce(state, '2026-06' as Period)?.version).toBe(1);
      expect(versionInForce(state, '2026-07' as Period)?.version).toBe(2);
      expect(versionInForce(state, '2027-03' as Period)?.version).toBe(2);
      expect(versionInForce(state, '2025-12' as Period)).toBeNull();
    });

    it('so the same value is green in June and amber in July', () => {
      const june = versionInForce(state, '2026-06' as Period)!.indicators[0]!;
      const july = versionInForce(state, '2026-07' as Period)!.indicators[0]!;
      expect(judgeIndicator(june, 85).rag).toBe('green');
      expect(judgeIndicator(july, 85).rag).toBe('amber');
    });

    describe('a version back-dated into ended months (DOMAIN.md "Versions and the past")', () => {
      const february = new Date('2027-02-10T10:00:00Z');

      it('is refused when the caller cannot tell which months are judged', () => {
        spec
          .given(history)
          .when(publish({ effectiveFrom: '2026-12' as Period, now: february, judged: 'unknown' }))
          .thenThrows(
            InvalidCommandError,
            'effectiveFrom: a new version takes effect from the current month (2027-02) or later unless',
          );
      });

      it('is published when none of the months it covers has a judged return', () => {
        spec
          .given(history)
          .when(
            publish({
              effectiveFrom: '2026-12' as Period,
              now: february,
              // judged before the months it covers: they keep version 2
              judged: [{ period: '2026-11' as Period, version: 2, serviceIds: ['home-01'] }],
            }),
          )
          .thenEvents(([event]) =>
            expect(event!.data).toMatchObject({ version: 3, effectiveFrom: '2026-12' }),
          );
      });

      it('is refused with 409, naming every judged month it would cover and whose returns', () => {
        spec
          .given(history)
          .when(
            publish({
              effectiveFrom: '2026-10' as Period,
              now: february,
              judged: [
                { period: '2026-11' as Period, version: 2, serviceIds: ['home-02', 'home-01'] },
                { period: '2026-10' as Period, version: 2, serviceIds: ['home-03', 'home-04'] },
              ],
            }),
          )
          .thenThrows(
            ConflictError,
            'effectiveFrom: 2026-10 and 2026-11 already have returns judged by version 2 (home-01, home-02, home-03 …)',
          );
      });

      it('names each version that judged the months, one month alone as "has"', () => {
        spec
          .given(history)
          .when(
            publish({
              effectiveFrom: '2026-09' as Period,
              now: february,
              judged: [
                { period: '2026-09' as Period, version: 2, serviceIds: ['home-01'] },
                { period: '2026-12' as Period, version: 1, serviceIds: ['home-09'] },
              ],
            }),
          )
          .thenThrows(
            ConflictError,
            /^effectiveFrom: 2026-12 already has returns judged by version 1 \(home-09\); 2026-09 already has returns judged by version 2 \(home-01\)/,
          );
      });
    });

    it('accepts a new version from the current month', () => {
      spec
        .given(history)
        .when(
          publish({ effectiveFrom: '2027-02' as Period, now: new Date('2027-02-10T10:00:00Z') }),
        )
        .thenEvents(([event]) =>
          expect(event!.data).toMatchObject({ version: 3, effectiveFrom: '2027-02' }),
        );
    });

    it('refuses a version that does not take effect after the latest one', () => {
      spec
        .given(history)
        .when(publish({ effectiveFrom: '2026-07' as Period }))
        .thenThrows(InvalidCommandError, /effectiveFrom: must be after 2026-07/);
    });

    it('numbers the next version 3', () => {
      spec
        .given(history)
        .when(publish({ effectiveFrom: '2027-04' as Period }))
        .thenEvents(([event]) => expect(event!.data.version).toBe(3));
    });
  });

  describe('refuses a framework that cannot judge', () => {
    // A malformed effectiveFrom is refused at the edge: apps/api/src/kpi-frameworks/kpi-frameworks.dto.unit.spec.ts.
    it.each([
      [{ indicators: [] }, 'indicators: must be a list of 1 to 100'],
      [{ indicators: [education(80), education(85)] }, 'indicators[1].code: "EDU" is used twice'],
      [
        { indicators: [{ ...education(80), target: 120 }] },
        'indicators[0].target: a percentage target is a percentage from 0 to 100',
      ],
      [
        { indicators: [{ ...education(80), floor: 95 }] },
        'indicators[0].floor: must be on the far side of the target',
      ],
      [
        { indicators: [{ ...education(80), unit: 'furlongs' }] },
        'indicators[0].unit: must be one of',
      ],
      [
        { indicators: [{ ...education(80), tolerance: 5 }] },
        'indicators[0].tolerance: give a floor standard or a tolerance, not both',
      ],
      [
        { indicators: [{ ...education(80), direction: 'within-range' }] },
        'indicators[0].expectedRange: is required for within-range',
      ],
      [
        { indicators: [{ ...education(80), aggregation: 'ratio-of-sums' }] },
        'indicators[0].aggregation: ratio-of-sums needs the ratio unit',
      ],
      [
        { bonusRule: { required: 2, of: 1 } },
        'bonusRule.required: must be a whole number from 1 to 1',
      ],
      [
        { bonusRule: { required: 1, of: 9 } },
        'bonusRule.of: must be the number of monthly indicators (1)',
      ],
      [
        {
          indicators: [education(80), { ...education(80), code: 'Q', periodicity: 'quarterly' }],
          bonusRule: { required: 2, of: 2 },
        },
        'bonusRule.of: must be the number of monthly indicators (1)',
      ],
      [
        { indicators: [{ ...education(80), target: undefined, targetsByContractYear: [95, 96] }] },
        'indicators[0].contractStart: is required with targetsByContractYear: the month contract year 1 begins',
      ],
      [
        {
          indicators: [
            { ...education(80), unit: 'yes-no', target: 0, floor: undefined, aggregation: 'last' },
          ],
        },
        'indicators[0].target: a yes-no indicator is met by "yes"',
      ],
      [
        { indicators: [{ ...education(80), unit: 'yes-no', target: 1, aggregation: 'last' }] },
        'indicators[0].floor: a yes-no indicator is met or not',
      ],
      [{ name: ' ' }, 'name: is required'],
    ] as [Partial<PublishKpiFrameworkVersion['data']>, string][])('%j', (data, message) => {
      spec.given([]).when(publish(data)).thenThrows(InvalidCommandError, message);
    });
  });
});
