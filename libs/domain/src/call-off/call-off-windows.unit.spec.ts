import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { heldUntil, OFFER_WINDOW_MS } from './call-off-windows';

const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);

/** The hold, as a UTC ISO string, for a package that became available at `instant`. */
const holdFor = (instant: string, on: WorkingDayCalendar = calendar) =>
  heldUntil(new Date(instant), on)?.toISOString() ?? null;

describe('the call-off windows', () => {
  it('gives a provider offered a package on its own 2 hours', () => {
    expect(OFFER_WINDOW_MS).toBe(2 * 60 * 60 * 1000);
  });

  // Friday 2026-01-16 to Monday 2026-01-19: Greenwich Mean Time, London = UTC.
  describe('when a package becomes available on a Friday in winter', () => {
    it('holds nothing at 11:59: it is not yet after midday', () => {
      expect(holdFor('2026-01-16T11:59:00Z')).toBeNull();
    });

    it('holds nothing at exactly 12:00:00: midday is not "after midday"', () => {
      expect(holdFor('2026-01-16T12:00:00.000Z')).toBeNull();
    });

    it('holds it from a millisecond after midday', () => {
      expect(holdFor('2026-01-16T12:00:00.001Z')).toBe('2026-01-19T09:00:00.000Z');
    });

    it('holds it at 12:01 until 09:00 on Monday', () => {
      expect(holdFor('2026-01-16T12:01:00Z')).toBe('2026-01-19T09:00:00.000Z');
    });

    it('holds it late on Friday evening until 09:00 on Monday', () => {
      expect(holdFor('2026-01-16T23:59:59Z')).toBe('2026-01-19T09:00:00.000Z');
    });
  });

  describe('when a package becomes available during the weekend that follows', () => {
    it.each([
      ['on Saturday morning', '2026-01-17T08:00:00Z'],
      ['on Sunday evening', '2026-01-18T21:30:00Z'],
      ['on Monday at 00:00', '2026-01-19T00:00:00Z'],
      ['on Monday at 08:59', '2026-01-19T08:59:00Z'],
      ['on Monday at 08:59:59.999', '2026-01-19T08:59:59.999Z'],
    ])('holds it %s until 09:00 on Monday', (_when, instant) => {
      expect(holdFor(instant)).toBe('2026-01-19T09:00:00.000Z');
    });

    it('holds nothing from 09:00 on Monday: the hold is over', () => {
      expect(holdFor('2026-01-19T09:00:00Z')).toBeNull();
      expect(holdFor('2026-01-19T14:00:00Z')).toBeNull();
    });
  });

  describe('on an ordinary working day', () => {
    it.each([
      ['a Tuesday before 09:00', '2026-01-20T08:00:00Z'],
      ['a Wednesday afternoon', '2026-01-21T15:00:00Z'],
      ['a Thursday after midday', '2026-01-22T12:30:00Z'],
      ['a Friday morning', '2026-01-23T09:30:00Z'],
    ])('holds nothing on %s', (_when, instant) => {
      expect(holdFor(instant)).toBeNull();
    });
  });

  describe('when the Monday is a bank holiday', () => {
    // Monday 2026-08-31 is the summer bank holiday; British Summer Time (UTC+1).
    it('holds a package from Friday 2026-08-28 14:00 until 09:00 on Tuesday 2026-09-01', () => {
      expect(holdFor('2026-08-28T13:00:00Z')).toBe('2026-09-01T08:00:00.000Z');
    });

    it('holds a package that becomes available on the bank-holiday Monday itself until Tuesday 09:00', () => {
      expect(holdFor('2026-08-31T11:00:00Z')).toBe('2026-09-01T08:00:00.000Z');
    });

    it('holds a package on Tuesday at 08:59 until 09:00 that day', () => {
      expect(holdFor('2026-09-01T07:59:00Z')).toBe('2026-09-01T08:00:00.000Z');
    });

    it('holds nothing on that Tuesday from 09:00', () => {
      expect(holdFor('2026-09-01T08:00:00Z')).toBeNull();
    });

    it('holds nothing on a Tuesday before 09:00 after an ordinary Monday', () => {
      expect(holdFor('2026-09-08T07:30:00Z')).toBeNull();
    });

    it('follows the calendar it is given: a one-off bank holiday added by an admin extends the hold', () => {
      const withOneOff = calendar.withHoliday({ date: '2026-01-19', name: 'One-off bank holiday' });
      expect(holdFor('2026-01-16T12:01:00Z', withOneOff)).toBe('2026-01-20T09:00:00.000Z');
      expect(holdFor('2026-01-16T12:01:00Z')).toBe('2026-01-19T09:00:00.000Z');
    });
  });

  describe('over Easter 2026 (Good Friday 3 April, Easter Monday 6 April; BST)', () => {
    it('holds a package from Good Friday afternoon until 09:00 on Tuesday 7 April', () => {
      expect(holdFor('2026-04-03T13:00:00Z')).toBe('2026-04-07T08:00:00.000Z');
    });

    it('holds a package from Easter Monday until 09:00 on the Tuesday', () => {
      expect(holdFor('2026-04-06T09:00:00Z')).toBe('2026-04-07T08:00:00.000Z');
    });

    it('holds a package from Good Friday morning too: the bank holiday has closed the office', () => {
      expect(holdFor('2026-04-03T09:00:00Z')).toBe('2026-04-07T08:00:00.000Z');
    });

    it('holds nothing on the Thursday before Good Friday: the rule is about Friday after midday', () => {
      expect(holdFor('2026-04-02T14:00:00Z')).toBeNull();
    });
  });

  describe('over Easter 2027, when the clocks go forward on Easter Sunday (28 March)', () => {
    it('holds a package from Good Friday 26 March 14:00 GMT until Tuesday 30 March 09:00 BST', () => {
      // 14:00 GMT is 14:00 UTC; 09:00 BST is 08:00 UTC.
      expect(holdFor('2027-03-26T14:00:00Z')).toBe('2027-03-30T08:00:00.000Z');
    });
  });

  describe('in British Summer Time and in winter', () => {
    it('holds until Monday 09:00 London, which is 08:00 UTC in summer', () => {
      // Friday 2026-07-17 12:01 BST = 11:01 UTC.
      expect(holdFor('2026-07-17T11:01:00Z')).toBe('2026-07-20T08:00:00.000Z');
    });

    it('holds until Monday 09:00 London, which is 09:00 UTC in winter', () => {
      expect(holdFor('2026-11-20T12:01:00Z')).toBe('2026-11-23T09:00:00.000Z');
    });

    it('judges "after midday" by London time in summer: 11:30 UTC on a Friday is 12:30 BST', () => {
      expect(holdFor('2026-07-17T11:30:00Z')).toBe('2026-07-20T08:00:00.000Z');
    });

    it('holds nothing at 11:59 BST (10:59 UTC) in summer', () => {
      expect(holdFor('2026-07-17T10:59:00Z')).toBeNull();
    });

    it('holds nothing at exactly 12:00 BST (11:00 UTC) in summer', () => {
      expect(holdFor('2026-07-17T11:00:00Z')).toBeNull();
    });

    it('ends the hold at 09:00 London after the clocks go forward on the Sunday', () => {
      // Friday 2026-03-27 is GMT; the clocks go forward on Sunday 29 March.
      expect(holdFor('2026-03-27T12:01:00Z')).toBe('2026-03-30T08:00:00.000Z');
    });

    it('ends the hold at 09:00 London after the clocks go back on the Sunday', () => {
      // Friday 2026-10-23 12:01 BST is 11:01 UTC; the clocks go back on Sunday 25 October.
      expect(holdFor('2026-10-23T11:01:00Z')).toBe('2026-10-26T09:00:00.000Z');
    });

    it('counts Sunday night in London, not in UTC: 23:30 UTC on Sunday in summer is already Monday 00:30 BST', () => {
      expect(holdFor('2026-07-19T23:30:00Z')).toBe('2026-07-20T08:00:00.000Z');
    });
  });

  describe('over Christmas 2026 (Friday 25 December; Boxing Day substitute Monday 28)', () => {
    it('holds a package from Christmas Day afternoon until 09:00 on Tuesday 29 December', () => {
      expect(holdFor('2026-12-25T15:00:00Z')).toBe('2026-12-29T09:00:00.000Z');
    });

    it('holds a package from Christmas Eve afternoon not at all: it is a Thursday', () => {
      expect(holdFor('2026-12-24T15:00:00Z')).toBeNull();
    });
  });
});
