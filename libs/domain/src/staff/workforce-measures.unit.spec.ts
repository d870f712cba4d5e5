import {
  isInPost,
  parseFinancialQuarter,
  percentageOf,
  staffTurnover,
  supervisionCompliance,
  type StaffTenure,
} from './workforce-measures';

const staff = (
  staffId: string,
  startedOn: string,
  leftOn: string | null = null,
  oneToOneDates: string[] = [],
): StaffTenure => ({ staffId, startedOn, leftOn, oneToOneDates });

describe('who is in post', () => {
  it('counts the first and the last day in post', () => {
    const alys = staff('alys', '2026-01-05', '2026-05-29');
    expect(isInPost(alys, '2026-01-04')).toBe(false);
    expect(isInPost(alys, '2026-01-05')).toBe(true);
    expect(isInPost(alys, '2026-05-29')).toBe(true);
    expect(isInPost(alys, '2026-05-30')).toBe(false);
    expect(isInPost(staff('bryn', '2020-01-01'), '2040-01-01')).toBe(true);
  });
});

describe('supervision compliance on a date', () => {
  const on = '2026-06-30';

  it('is the share of staff due who had a one-to-one in the three months up to the date', () => {
    const result = supervisionCompliance(
      [
        staff('a', '2025-01-01', null, ['2026-06-30']),
        staff('b', '2025-01-01', null, ['2026-04-01']),
        staff('c', '2025-01-01', null, ['2026-03-30']),
        staff('d', '2025-01-01', null, []),
      ],
      on,
    );
    expect(result).toEqual({
      on,
      windowStartsAfter: '2026-03-30',
      inPost: 4,
      notYetDue: 0,
      numerator: 2,
      denominator: 4,
      value: 50,
      overdue: ['c', 'd'],
    });
  });

  it('counts a session after the window start and on the date, not on the start nor after the date', () => {
    const result = (dates: string[]) =>
      supervisionCompliance([staff('a', '2025-01-01', null, dates)], on).numerator;
    expect(result(['2026-03-30'])).toBe(0); // exactly 3 months before: too old
    expect(result(['2026-03-31'])).toBe(1);
    expect(result(['2026-06-30'])).toBe(1);
    expect(result(['2026-07-01'])).toBe(0); // after the date asked about
  });

  it('uses calendar months, ending on the last day of a shorter month', () => {
    // 2026-05-31 − 3 months is 2026-02-28.
    const result = supervisionCompliance(
      [
        staff('a', '2025-01-01', null, ['2026-02-28']),
        staff('b', '2025-01-01', null, ['2026-03-01']),
      ],
      '2026-05-31',
    );
    expect(result).toMatchObject({ windowStartsAfter: '2026-02-28', numerator: 1, overdue: ['a'] });
  });

  it('counts only the one-to-ones in the window, however many came before', () => {
    const result = supervisionCompliance(
      [staff('a', '2025-01-01', null, ['2025-06-01', '2025-09-01', '2025-12-01'])],
      on,
    );
    expect(result).toMatchObject({ numerator: 0, denominator: 1, value: 0, overdue: ['a'] });
  });

  it('leaves staff out of both counts until three months after they started', () => {
    const result = supervisionCompliance(
      [
        staff('old-hand', '2025-01-01', null, ['2026-05-01']),
        staff('new-supervised', '2026-04-01', null, ['2026-05-01']),
        staff('new-unsupervised', '2026-04-01'),
        staff('three-months-in', '2026-03-30'),
      ],
      on,
    );
    expect(result).toMatchObject({
      inPost: 4,
      notYetDue: 2,
      numerator: 1,
      denominator: 2,
      value: 50,
      overdue: ['three-months-in'],
    });
  });

  it('counts only staff in post on the date', () => {
    const result = supervisionCompliance(
      [
        staff('left-before', '2025-01-01', '2026-06-29', ['2026-06-01']),
        staff('leaves-that-day', '2025-01-01', '2026-06-30', ['2026-06-01']),
        staff('not-started', '2026-07-01'),
        staff('in-post', '2025-01-01'),
      ],
      on,
    );
    expect(result).toMatchObject({ inPost: 2, numerator: 1, denominator: 2, value: 50 });
  });

  it('has no value when nobody is due', () => {
    expect(supervisionCompliance([], on)).toMatchObject({
      numerator: 0,
      denominator: 0,
      value: null,
    });
    expect(supervisionCompliance([staff('new', '2026-06-01')], on).value).toBeNull();
  });

  it('rounds to one decimal place', () => {
    const result = supervisionCompliance(
      [
        staff('a', '2025-01-01', null, ['2026-06-01']),
        staff('b', '2025-01-01', null, ['2026-06-01']),
        staff('c', '2025-01-01'),
      ],
      on,
    );
    expect(result.value).toBe(66.7);
  });
});

describe('UK financial-year quarters', () => {
  it.each([
    ['2026-27 Q1', '2026-04-01', '2026-06-30'],
    ['2026-27 Q2', '2026-07-01', '2026-09-30'],
    ['2026-27 Q3', '2026-10-01', '2026-12-31'],
    ['2026-27 Q4', '2027-01-01', '2027-03-31'],
    ['1999-00 Q4', '2000-01-01', '2000-03-31'],
    ['9998-99 Q4', '9999-01-01', '9999-03-31'],
    ['1000-01 Q1', '1000-04-01', '1000-06-30'],
  ])('reads %s as %s to %s', (quarter, firstDay, lastDay) => {
    expect(parseFinancialQuarter(quarter)).toEqual({ quarter, firstDay, lastDay });
  });

  it.each([
    '2026-28 Q1',
    '2026-27 Q5',
    '2026-27 Q0',
    '2026-27Q1',
    '2026 Q1',
    'Q1 2026-27',
    ' 2026-27 Q1',
    '9999-00 Q4',
    '0000-01 Q1',
    '0999-00 Q1',
    '',
    2026,
    null,
    ['2026-27 Q1'],
  ])('refuses %p, naming the field', (value) => {
    expect(() => parseFinancialQuarter(value)).toThrow(
      'quarter: must be a UK financial-year quarter',
    );
  });
});

describe('staff turnover in a quarter', () => {
  const q1 = parseFinancialQuarter('2026-27 Q1');

  it('is leavers ÷ the average of the headcount at the start and at the end, as a percentage', () => {
    // 10 in post on 1 April; 2 of them leave in the quarter; nobody joins: 2 ÷ ((10 + 8) / 2).
    const team = [
      ...Array.from({ length: 8 }, (_, i) => staff(`stays-${i}`, '2025-01-01')),
      staff('leaves-may', '2025-01-01', '2026-05-15'),
      staff('leaves-june', '2025-01-01', '2026-06-10'),
    ];
    expect(staffTurnover(team, q1)).toEqual({
      ...q1,
      headcountAtStart: 10,
      headcountAtEnd: 8,
      joiners: 0,
      numerator: 2,
      denominator: 9,
      value: 22.2,
    });
  });

  it('counts joiners in the closing headcount and a leaver on the first or last day as a leaver', () => {
    const team = [
      staff('a', '2025-01-01'),
      staff('b', '2025-01-01'),
      staff('c', '2025-01-01'),
      staff('leaves-first-day', '2025-01-01', '2026-04-01'),
      staff('leaves-last-day', '2025-01-01', '2026-06-30'),
      staff('joins-first-day', '2026-04-01'),
      staff('joins-may', '2026-05-01'),
      staff('joins-and-leaves', '2026-05-01', '2026-06-01'),
      staff('left-before', '2025-01-01', '2026-03-31'),
      staff('leaves-after', '2025-01-01', '2026-07-01'),
      staff('joins-after', '2026-07-01'),
    ];
    const result = staffTurnover(team, q1);
    // At the start: a, b, c, both first/last-day leavers, joins-first-day, leaves-after = 7.
    // At the end: a, b, c, joins-first-day, joins-may, leaves-after = 6.
    expect(result).toMatchObject({
      headcountAtStart: 7,
      headcountAtEnd: 6,
      joiners: 2,
      numerator: 3,
      denominator: 6.5,
      value: 46.2,
    });
    expect(result.headcountAtEnd).toBe(result.headcountAtStart + result.joiners - result.numerator);
  });

  it('is 0 without leavers and has no value with nobody in post', () => {
    expect(staffTurnover([staff('a', '2025-01-01')], q1)).toMatchObject({ numerator: 0, value: 0 });
    expect(staffTurnover([staff('later', '2026-07-01')], q1)).toMatchObject({
      denominator: 0,
      value: null,
    });
  });

  it('keeps the balance start + joiners − leavers = end for any register', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const day = () =>
      `2026-${String(1 + Math.floor(random() * 9)).padStart(2, '0')}-1${Math.floor(random() * 9)}`;
    for (let run = 0; run < 200; run++) {
      const team = Array.from({ length: 12 }, (_, i) => {
        const [a, b] = [day(), day()].sort() as [string, string];
        return staff(`s${i}`, a, random() < 0.5 ? b : null);
      });
      const result = staffTurnover(team, q1);
      expect(result.headcountAtEnd).toBe(
        result.headcountAtStart + result.joiners - result.numerator,
      );
    }
  });
});

describe('percentages', () => {
  it('are 100 × numerator ÷ denominator to one decimal place', () => {
    expect(percentageOf(1, 3)).toBe(33.3);
    expect(percentageOf(2, 3)).toBe(66.7);
    expect(percentageOf(3, 3)).toBe(100);
    expect(percentageOf(1, 0)).toBeNull();
  });
});
