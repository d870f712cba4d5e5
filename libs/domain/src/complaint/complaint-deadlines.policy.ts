import type { WorkingDayCalendar } from '../calendar/working-day-calendar';

/** Working days to the full response (docs/rules/complaints.md#full-response). */
export const COMPLAINT_RESPONSE_WORKING_DAYS = 15;

/**
 * When a complaint received on `receivedOn` must be acknowledged and answered: acknowledged
 * "on receipt", which decision 0012 reads as by the end of the next working day, and answered
 * in full within 15 working days. The day of receipt never counts: a complaint received on
 * Thursday 2026-04-02 is acknowledged by Tuesday 2026-04-07 and answered by Monday 2026-04-27
 * (Good Friday and Easter Monday are not working days).
 */
export function complaintDueDates(
  calendar: Pick<WorkingDayCalendar, 'addWorkingDays'>,
  receivedOn: string,
): { acknowledgementDueOn: string; responseDueOn: string } {
  return {
    acknowledgementDueOn: calendar.addWorkingDays(receivedOn, 1),
    responseDueOn: calendar.addWorkingDays(receivedOn, COMPLAINT_RESPONSE_WORKING_DAYS),
  };
}
