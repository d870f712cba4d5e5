import {
  annualAppraisal,
  careCertificateDueOn,
  careCertificateInTwelveWeeks,
  type StaffDevelopment,
} from './annual-workforce-measures';
import { parseFinancialQuarter } from './workforce-measures';

const staff = (
  staffId: string,
  startedOn: string,
  options: { leftOn?: string; appraisals?: string[]; careCertificate?: string[] } = {},
): StaffDevelopment => ({
  staffId,
  startedOn,
  leftOn: options.leftOn ?? null,
  appraisalDates: options.appraisals ?? [],
  careCertificateDates: options.careCertificate ?? [],
});

describe('the annual appraisal on a date', () => {
  const on = '2026-06-30';

  it('is the share of staff in post a year or more who were appraised in the twelve months to it', () => {
    const result = annualAppraisal(
      [
        staff('a', '2024-01-01', { appraisals: ['2026-06-30'] }),
        staff('b', '2024-01-01', { appraisals: ['2025-07-01'] }),
        staff('c', '2024-01-01', { appraisals: ['2025-06-30'] }),
        staff('d', '2024-01-01'),
      ],
      on,
    );
    expect(result).toEqual({
      on,
      windowStartsAfter: '2025-06-30',
      inPost: 4,
      notYetDue: 0,
      numerator: 2,
      denominator: 4,
      value: 50,
      overdue: ['c', 'd'],
    });
  });

  it('counts an appraisal after the window start and on the date, not on the start nor after the date', () => {
    const numerator = (dates: string[]) =>
      annualAppraisal([staff('a', '2024-01-01', { appraisals: dates })], on).numerator;
    expect(numerator(['2025-06-30'])).toBe(0); // exactly twelve months before: too old
    expect(numerator(['2025-07-01'])).toBe(1);
    expect(numerator(['2026-06-30'])).toBe(1);
    expect(numerator(['2026-07-01'])).toBe(0); // after the date asked about
    expect(numerator(['2025-03-01', '2026-07-15', '2026-02-01'])).toBe(1);
  });

  describe('when someone has been in post for under a year', () => {
    it('leaves them out of both counts until a year after they started', () => {
      const joiners = [
        staff('starter', '2025-07-01'), // a year on 1 July: not yet due on 30 June
        staff('anniversary', '2025-06-30'), // a year on 30 June: due
      ];
      expect(annualAppraisal(joiners, on)).toMatchObject({
        inPost: 2,
        notYetDue: 1,
        numerator: 0,
        denominator: 1,
        overdue: ['anniversary'],
      });
    });

    it('counts them once they are due, appraised early or not', () => {
      const early = staff('early', '2025-07-01', { appraisals: ['2026-05-01'] });
      expect(annualAppraisal([early], '2026-09-30')).toMatchObject({
        numerator: 1,
        denominator: 1,
        value: 100,
      });
    });
  });

  it('leaves out leavers and those not yet started on the date', () => {
    const result = annualAppraisal(
      [
        staff('left', '2020-01-01', { leftOn: '2026-06-29', appraisals: ['2026-01-10'] }),
        staff('last-day', '2020-01-01', { leftOn: '2026-06-30' }),
        staff('later', '2026-07-01'),
      ],
      on,
    );
    expect(result).toMatchObject({
      inPost: 1,
      numerator: 0,
      denominator: 1,
      overdue: ['last-day'],
    });
  });

  it('is null when nobody is due', () => {
    expect(annualAppraisal([staff('new', '2026-01-05')], on)).toMatchObject({
      denominator: 0,
      value: null,
    });
    expect(annualAppraisal([], on).value).toBeNull();
  });

  it('uses calendar months, ending on the last day of a shorter month', () => {
    // 2028-02-29 − 12 months is 2027-02-28; a starter on 2027-02-28 is due on 2028-02-28.
    const result = annualAppraisal(
      [
        staff('a', '2027-02-28', { appraisals: ['2027-02-28'] }),
        staff('b', '2027-02-28', { appraisals: ['2027-03-01'] }),
      ],
      '2028-02-29',
    );
    expect(result).toMatchObject({ windowStartsAfter: '2027-02-28', numerator: 1, overdue: ['a'] });
  });
});

describe('the Care Certificate within 12 weeks of starting', () => {
  const q1 = parseFinancialQuarter('2026-27 Q1'); // April–June 2026
  const afterQ1 = '2026-07-10';

  it('is due 84 days after the first day in post', () => {
    expect(careCertificateDueOn('2026-02-02')).toBe('2026-04-27');
    expect(careCertificateDueOn('2026-01-06')).toBe('2026-03-31');
  });

  it('counts the staff whose 12 weeks ended in the quarter, and of them those who completed it by then', () => {
    const result = careCertificateInTwelveWeeks(
      [
        staff('on-time', '2026-02-02', { careCertificate: ['2026-04-20'] }), // due 27 April
        staff('on-the-day', '2026-03-02', { careCertificate: ['2026-05-25'] }), // due 25 May
        staff('late', '2026-03-09', { careCertificate: ['2026-06-02'] }), // due 1 June
        staff('never', '2026-04-06'), // due 29 June
      ],
      q1,
      afterQ1,
    );
    expect(result).toEqual({
      ...q1,
      numerator: 2,
      denominator: 4,
      pending: 0,
      leftBeforeDue: 0,
      value: 50,
      missed: ['late', 'never'],
    });
  });

  it('counts each starter only in the quarter their 12 weeks end', () => {
    const members = [
      staff('q4', '2026-01-06', { careCertificate: ['2026-03-01'] }), // due 31 March: Q4 2025-26
      staff('q1', '2026-01-07', { careCertificate: ['2026-03-01'] }), // due 1 April: Q1
      staff('q2', '2026-04-08'), // due 1 July: Q2
    ];
    expect(careCertificateInTwelveWeeks(members, q1, afterQ1)).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
    expect(
      careCertificateInTwelveWeeks(members, parseFinancialQuarter('2025-26 Q4'), afterQ1),
    ).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('takes the first completion: a second recorded later does not undo it', () => {
    const twice = staff('twice', '2026-02-02', { careCertificate: ['2026-06-01', '2026-04-01'] });
    expect(careCertificateInTwelveWeeks([twice], q1, afterQ1)).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
  });

  describe('when someone left before their 12 weeks were up', () => {
    it('counts them nowhere, completed or not', () => {
      const result = careCertificateInTwelveWeeks(
        [
          staff('left-early', '2026-02-02', { leftOn: '2026-03-31' }),
          staff('left-completed', '2026-02-02', {
            leftOn: '2026-04-10',
            careCertificate: ['2026-04-01'],
          }),
          staff('left-on-due-day', '2026-02-02', { leftOn: '2026-04-27' }), // in post that day
        ],
        q1,
        afterQ1,
      );
      expect(result).toMatchObject({
        numerator: 0,
        denominator: 1,
        leftBeforeDue: 2,
        missed: ['left-on-due-day'],
      });
    });
  });

  describe('while the quarter is in progress', () => {
    it('holds back, as pending, those whose 12 weeks are still running and who have not completed it', () => {
      const today = '2026-05-25';
      const result = careCertificateInTwelveWeeks(
        [
          staff('running', '2026-03-09'), // due 1 June
          staff('due-today', '2026-03-02'), // due 25 May: may still complete it today
          staff('done-early', '2026-03-16', { careCertificate: ['2026-05-20'] }), // due 8 June
          staff('overdue', '2026-02-23'), // due 18 May
        ],
        q1,
        today,
      );
      expect(result).toMatchObject({
        numerator: 1,
        denominator: 2,
        pending: 2,
        value: 50,
        missed: ['overdue'],
      });
    });
  });

  it('is null when nobody’s 12 weeks ended in the quarter', () => {
    expect(careCertificateInTwelveWeeks([staff('old', '2020-01-01')], q1, afterQ1)).toMatchObject({
      numerator: 0,
      denominator: 0,
      value: null,
    });
  });
});
