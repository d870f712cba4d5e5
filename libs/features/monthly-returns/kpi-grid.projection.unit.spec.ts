import {
  judgeIndicator,
  type IndicatorDefinition,
  type MonthlyReturnEvent,
  type MonthlyReturnSubmitted,
} from '@kpi/domain';
import { allMet, returnSubmitted } from '@kpi/testing';
import {
  evolveKpiGridCell,
  kpiGridKey,
  kpiGridKeysOf,
  kpiGridProjection,
  type KpiGridRow,
} from './kpi-grid.projection';
import { recorded, returnAmended } from '@kpi/testing/fixtures';

/** The grid cell of one indicator of home-17's September 2026 return, after the events. */
const cellAfter = (events: MonthlyReturnEvent[], code: string): KpiGridRow | null => {
  const key = kpiGridKey('acme', 'home-17', '2026-09', code);
  return events.reduce<KpiGridRow | null>(
    (row, event) => evolveKpiGridCell(row, recorded(event, { tenantId: 'acme' }), key),
    null,
  );
};

describe('the KPI grid read model', () => {
  describe('when a return is submitted', () => {
    const submitted = returnSubmitted({ values: { ...allMet, EDU: 80 } });

    it('changes one cell per indicator of the return, keyed tenant first', () => {
      const keys = kpiGridKeysOf(recorded(submitted, { tenantId: 'acme' }));
      expect(keys).toHaveLength(9);
      expect(keys).toContain('["acme","home-17","2026-09","EDU"]');
    });

    it('shows a missed KPI with its value, colour and the thresholds it was judged by', () => {
      expect(cellAfter([submitted], 'EDU')).toEqual({
        tenantId: 'acme',
        serviceId: 'home-17',
        period: '2026-09',
        indicatorCode: 'EDU',
        value: 80,
        judgedValue: 80,
        outcome: 'missed',
        rag: 'amber',
        target: 90,
        floor: 75,
        tolerance: null,
        expectedLower: null,
        expectedUpper: null,
        frameworkId: 'childrens-homes',
        frameworkVersion: 1,
        amended: false,
        amendmentCount: 0,
        late: false,
        submittedAt: '2026-10-12T09:00:00.000Z',
        lastChangedAt: '2026-10-12T09:00:00.000Z',
      });
    });

    it('sets its cells whole: what a cell held before does not change them (so a catch-up need not read them)', () => {
      const key = kpiGridKey('acme', 'home-17', '2026-09', 'EDU');
      const event = recorded(submitted, { tenantId: 'acme' });
      const earlier = cellAfter([returnSubmitted({ values: { ...allMet, EDU: 95 } })], 'EDU')!;
      expect(kpiGridProjection.setsRowsWhole!(event)).toBe(true);
      expect(
        evolveKpiGridCell({ ...earlier, amended: true, amendmentCount: 3 }, event, key),
      ).toEqual(evolveKpiGridCell(null, event, key));
    });

    it('keeps a yes/no value as given and judges it as 1 or 0', () => {
      expect(cellAfter([submitted], 'R44')).toMatchObject({
        value: true,
        judgedValue: 1,
        outcome: 'met',
        rag: 'green',
      });
    });
  });

  describe('when an indicator is not applicable', () => {
    it('keeps the reason, has no judged value and is grey', () => {
      const notApplicable = { notApplicable: true as const, reason: 'No missing episodes' };
      const submitted = returnSubmitted({ values: { ...allMet, RTI: notApplicable } });
      expect(cellAfter([submitted], 'RTI')).toMatchObject({
        value: notApplicable,
        judgedValue: null,
        outcome: 'not-applicable',
        rag: 'grey',
      });
    });
  });

  describe('when a ratio is judged against an expected range', () => {
    it('keeps numerator and denominator, the percentage judged and the range', () => {
      const occupancy: IndicatorDefinition = {
        code: 'OCC',
        name: 'Occupancy',
        unit: 'ratio',
        direction: 'within-range',
        expectedRange: { lower: 70, upper: 95 },
        tolerance: 5,
        periodicity: 'monthly',
        aggregation: 'ratio-of-sums',
      };
      const ratio = { numerator: 9, denominator: 10 };
      const base = returnSubmitted();
      const submitted: MonthlyReturnSubmitted = {
        ...base,
        data: {
          ...base.data,
          values: { ...base.data.values, OCC: ratio },
          results: { ...base.data.results, OCC: judgeIndicator(occupancy, ratio) },
        },
      };
      expect(cellAfter([submitted], 'OCC')).toMatchObject({
        value: ratio,
        judgedValue: 90,
        outcome: 'met',
        target: null,
        tolerance: 5,
        expectedLower: 70,
        expectedUpper: 95,
      });
    });
  });

  describe('when a late return is amended', () => {
    const submitted = returnSubmitted({ submittedAt: '2026-10-22T09:00:00.000Z', late: true });
    const amended = returnAmended(
      [submitted],
      { EDU: 70 },
      { amendedAt: '2026-10-25T14:00:00.000Z' },
    );

    it('shows the amended value and its new judgement in the changed cell', () => {
      expect(cellAfter([submitted, amended], 'EDU')).toMatchObject({
        value: 70,
        judgedValue: 70,
        outcome: 'missed',
        rag: 'red',
        amended: true,
        amendmentCount: 1,
        lastChangedAt: '2026-10-25T14:00:00.000Z',
      });
    });

    it('marks the other cells of the return amended but keeps when their value was set', () => {
      expect(cellAfter([submitted, amended], 'SUP')).toMatchObject({
        value: 100,
        outcome: 'met',
        amended: true,
        amendmentCount: 1,
        lastChangedAt: '2026-10-22T09:00:00.000Z',
      });
    });

    it('still shows the return as late, submitted when it was', () => {
      expect(cellAfter([submitted, amended], 'EDU')).toMatchObject({
        late: true,
        submittedAt: '2026-10-22T09:00:00.000Z',
      });
    });

    it('changes every cell of the return', () => {
      expect(kpiGridKeysOf(recorded(amended, { tenantId: 'acme' }))).toEqual(
        kpiGridKeysOf(recorded(submitted, { tenantId: 'acme' })),
      );
    });
  });

  describe('when the same amendment is applied twice', () => {
    it('leaves the cell as after the first', () => {
      const submitted = returnSubmitted();
      const amended = recorded(returnAmended([submitted], { EDU: 70 }), { tenantId: 'acme' });
      const key = kpiGridKey('acme', 'home-17', '2026-09', 'EDU');
      const once = evolveKpiGridCell(cellAfter([submitted], 'EDU'), amended, key);
      expect(evolveKpiGridCell(once, amended, key)).toEqual(once);
    });
  });

  describe('when an amendment arrives for a return it has not seen submitted', () => {
    it('makes no cell', () => {
      expect(cellAfter([returnAmended([returnSubmitted()], { EDU: 70 })], 'EDU')).toBeNull();
    });
  });
});
