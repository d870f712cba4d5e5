/**
 * Adjustments to the England & Wales bank-holiday data file, on the platform stream
 * `platform:calendar:england-and-wales` (`streamIds.calendar()`): a day proclaimed after the
 * file was generated (a jubilee, a state funeral), or a day the file has wrong.
 */
export interface BankHolidayAdded {
  type: 'BankHolidayAdded';
  data: {
    /** `YYYY-MM-DD`, a weekday. */
    date: string;
    name: string;
    addedBy: string;
    addedAt: string;
  };
}

export interface BankHolidayRemoved {
  type: 'BankHolidayRemoved';
  data: {
    date: string;
    /** Why it is no longer a bank holiday (moved by proclamation, wrong in the data). */
    reason: string;
    removedBy: string;
    removedAt: string;
  };
}

export type CalendarEvent = BankHolidayAdded | BankHolidayRemoved;
