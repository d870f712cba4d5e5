import type { IndicatorDefinition, Periodicity } from '../kpi/indicator';
import type { Period } from '../shared/period';
import { collectedMonthsInWords, isCollectedIn } from './collection';

const indicator = (code: string, periodicity: Periodicity): IndicatorDefinition => ({
  code,
  name: code,
  kind: 'data-only',
  unit: 'count',
  direction: 'higher-is-better',
  periodicity,
  aggregation: 'sum',
});
const version = (...periodicities: Periodicity[]) => ({
  indicators: periodicities.map((p, i) => indicator(`I${i}`, p)),
});
const YEAR: Period[] = [
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-07',
  '2025-08',
  '2025-09',
  '2025-10',
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
] as Period[];
const collected = (v: ReturnType<typeof version>) => YEAR.filter((p) => isCollectedIn(v, p));

describe('isCollectedIn: the months a framework version collects', () => {
  it('a monthly indicator makes every month collected', () => {
    expect(collected(version('monthly'))).toEqual(YEAR);
    expect(collected(version('quarterly', 'monthly', 'annual'))).toEqual(YEAR);
  });

  it('a quarterly-only version collects the financial quarter ends: Jun, Sep, Dec, Mar', () => {
    expect(collected(version('quarterly'))).toEqual(['2025-06', '2025-09', '2025-12', '2026-03']);
  });

  it('an annual-only version collects the financial year end, March', () => {
    expect(collected(version('annual'))).toEqual(['2026-03']);
  });

  it('quarterly and annual together collect the quarter ends (March once)', () => {
    expect(collected(version('annual', 'quarterly'))).toEqual([
      '2025-06',
      '2025-09',
      '2025-12',
      '2026-03',
    ]);
  });

  it('a version without indicators collects nothing', () => {
    expect(collected(version())).toEqual([]);
  });

  it('says which months it collects in words', () => {
    expect(collectedMonthsInWords(version('monthly'))).toBe('every month');
    expect(collectedMonthsInWords(version('quarterly'))).toBe('Jun, Sep, Dec and Mar');
    expect(collectedMonthsInWords(version('annual'))).toBe('Mar');
    expect(collectedMonthsInWords(version())).toBe('no month');
  });
});
