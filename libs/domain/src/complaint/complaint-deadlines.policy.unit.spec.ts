import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { complaintDueDates } from './complaint-deadlines.policy';

const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);

describe('when a complaint must be acknowledged and answered', () => {
  it('over Easter: received Thursday 2026-04-02, acknowledged by 04-07, answered by 04-27', () => {
    expect(complaintDueDates(calendar, '2026-04-02')).toEqual({
      acknowledgementDueOn: '2026-04-07',
      responseDueOn: '2026-04-27',
    });
  });

  it('received on a Saturday: the clock starts on Monday', () => {
    expect(complaintDueDates(calendar, '2026-06-13')).toEqual({
      acknowledgementDueOn: '2026-06-15',
      responseDueOn: '2026-07-03',
    });
  });

  it('over Christmas 2021 and New Year 2022, all three substituted', () => {
    expect(complaintDueDates(calendar, '2021-12-24')).toEqual({
      acknowledgementDueOn: '2021-12-29',
      responseDueOn: '2022-01-19',
    });
  });
});
