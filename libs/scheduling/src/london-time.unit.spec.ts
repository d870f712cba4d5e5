import { endOfLondonDay, londonInstant } from './london-time';

/** Every deadline is in Europe/London time (DOMAIN.md "Calendar"), summer and winter alike. */
describe('London wall-clock times', () => {
  it('a day due in winter ends at midnight UTC, in summer at 23:00 UTC the day itself', () => {
    expect(endOfLondonDay('2026-12-20').toISOString()).toBe('2026-12-21T00:00:00.000Z');
    expect(endOfLondonDay('2026-04-27').toISOString()).toBe('2026-04-27T23:00:00.000Z');
  });

  it('reminders at 09:00 London: 09:00 UTC in winter, 08:00 UTC in summer', () => {
    expect(londonInstant('2026-12-18', '09:00').toISOString()).toBe('2026-12-18T09:00:00.000Z');
    expect(londonInstant('2026-06-19', '09:00').toISOString()).toBe('2026-06-19T08:00:00.000Z');
  });

  it('the days the clocks change: the last day of GMT and of BST end at the right instant', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October.
    expect(endOfLondonDay('2026-03-28').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(endOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(endOfLondonDay('2026-10-24').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(endOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(londonInstant('2026-03-29', '09:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(londonInstant('2026-10-25', '09:00').toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });
});
