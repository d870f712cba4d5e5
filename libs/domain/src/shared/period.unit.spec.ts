import {
  addMonths,
  financialQuarterOf,
  hasEnded,
  isLateReturn,
  londonDateOf,
  parsePeriod,
  periodsBetween,
  returnDueDate,
  type Period,
} from './period';

const p = (text: string) => text as Period;

describe('periods', () => {
  it.each(['2026-13', '2026-00', '2026-1', '26-01', '2026/01', '', 202601, null])(
    'refuses %p',
    (value) => {
      expect(() => parsePeriod(value)).toThrow('period: must be a month written YYYY-MM');
    },
  );

  it('moves across year ends', () => {
    expect(addMonths(p('2025-12'), 1)).toBe('2026-01');
    expect(addMonths(p('2026-01'), -1)).toBe('2025-12');
    expect(addMonths(p('2026-03'), -27)).toBe('2023-12');
    expect(periodsBetween(p('2025-11'), p('2026-02'))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(periodsBetween(p('2026-02'), p('2026-01'))).toEqual([]);
  });

  it('places months in UK financial-year quarters', () => {
    expect(financialQuarterOf(p('2016-10'))).toBe('2016-17 Q3');
    expect(financialQuarterOf(p('2016-04'))).toBe('2016-17 Q1');
    expect(financialQuarterOf(p('2017-03'))).toBe('2016-17 Q4');
    expect(financialQuarterOf(p('1999-12'))).toBe('1999-00 Q3');
  });
});

describe('the return deadline: the 20th of the next month, London time', () => {
  it('is the 20th of the following month, also across the year end', () => {
    expect(returnDueDate(p('2026-09'))).toBe('2026-10-20');
    expect(returnDueDate(p('2026-12'))).toBe('2027-01-20');
  });

  it('is on time until midnight at the end of the 20th in London (BST)', () => {
    // 2026-10-20 23:30 BST is 22:30 UTC; 2026-10-21 00:30 BST is 2026-10-20 23:30 UTC.
    expect(isLateReturn(p('2026-09'), new Date('2026-10-20T22:30:00Z'))).toBe(false);
    expect(isLateReturn(p('2026-09'), new Date('2026-10-20T23:30:00Z'))).toBe(true);
  });

  it('is on time until midnight at the end of the 20th in London (GMT)', () => {
    expect(isLateReturn(p('2026-12'), new Date('2027-01-20T23:59:59Z'))).toBe(false);
    expect(isLateReturn(p('2026-12'), new Date('2027-01-21T00:00:00Z'))).toBe(true);
  });

  it('knows a month has ended only once the next has begun in London', () => {
    expect(londonDateOf(new Date('2026-09-30T23:30:00Z'))).toBe('2026-10-01');
    expect(hasEnded(p('2026-09'), new Date('2026-09-30T22:59:59Z'))).toBe(false);
    expect(hasEnded(p('2026-09'), new Date('2026-09-30T23:00:00Z'))).toBe(true);
    expect(hasEnded(p('2026-10'), new Date('2026-09-30T23:00:00Z'))).toBe(false);
  });
});
