import { FeatureCommand, type CommandOutcome } from '@kpi/command-handling';
import type { CalendarEvent, WorkingDayCalendar } from '@kpi/domain';

/*
 * The calendar's commands. They are given by an operator through the CLI (there is no API for
 * them); the calendar decider checks the date (a real weekday) and the text together, so an
 * operator sees every problem of a command at once.
 */

/** A bank holiday proclaimed after the data file was generated. */
export interface AddBankHolidayInput {
  /** `YYYY-MM-DD`, a weekday. */
  date: string;
  name: string;
}

/** A bank holiday moved by proclamation, or wrong in the data file. */
export interface RemoveBankHolidayInput {
  /** `YYYY-MM-DD`, a bank holiday now. */
  date: string;
  reason: string;
}

/** What a calendar command answers: the platform stream, the event written, the calendar after. */
export type CalendarOutcome = CommandOutcome<CalendarEvent, WorkingDayCalendar>;

export class AddBankHoliday extends FeatureCommand<AddBankHolidayInput, CalendarOutcome> {}

export class RemoveBankHoliday extends FeatureCommand<RemoveBankHolidayInput, CalendarOutcome> {}
