import { trendChart } from './trend-chart';

const months = [
  { period: '2026-01', value: 90, rag: 'green' },
  { period: '2026-02', value: null, rag: null },
  { period: '2026-03', value: 70, rag: 'red' },
  { period: '2026-04', value: 80, rag: 'amber' },
];

describe('a trend chart drawn on the server', () => {
  it('has one point per month with a value, in order, left to right', () => {
    const chart = trendChart('Education', months, 85);
    expect(chart.points.map((p) => [p.period, p.value])).toEqual([
      ['2026-01', 90],
      ['2026-03', 70],
      ['2026-04', 80],
    ]);
    const xs = chart.points.map((p) => p.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('breaks the line at a month without a value', () => {
    expect(trendChart('Education', months, null).lines).toHaveLength(2);
  });

  it('draws higher values higher up, the target between them', () => {
    const chart = trendChart('Education', months, 85);
    const y = (period: string) => chart.points.find((p) => p.period === period)!.y;
    expect(y('2026-01')).toBeLessThan(y('2026-04'));
    expect(chart.target!.y).toBeGreaterThan(y('2026-01'));
    expect(chart.target!.y).toBeLessThan(y('2026-04'));
  });

  it('says in words what it shows, for those who cannot see it', () => {
    expect(trendChart('Education', months, 85).description).toBe(
      'Education from 2026-01 to 2026-04: 3 months with a value, lowest 70, highest 90, latest 80 (2026-04); target 85. The figures are in the table below.',
    );
    expect(trendChart('Education', [months[1]!], null).description).toBe(
      'Education: no values from 2026-02 to 2026-02.',
    );
  });
});
