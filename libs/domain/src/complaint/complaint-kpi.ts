import type { Period } from '../shared/period';
import type { ComplaintCategory, ComplaintFinding } from './complaint.events';

/** A complaint as the KPI and the council's report read it: no text, no person. */
export interface ComplaintRecord {
  complaintId: string;
  serviceId: string;
  receivedOn: string;
  category: ComplaintCategory;
  acknowledgementDueOn: string;
  acknowledgedOn: string | null;
  responseDueOn: string;
  respondedOn: string | null;
  finding: ComplaintFinding | null;
}

/** The target: every complaint answered within 15 working days. */
export const COMPLAINT_KPI_TARGET = 100;

export interface ComplaintKpi {
  /** Complaints whose response fell due in the months and whose due date has passed (or that were answered). */
  due: number;
  answeredInTime: number;
  /** Due in the months but not yet past their date and not answered: not counted yet. */
  pending: number;
  /** answeredInTime ÷ due as a percentage (one decimal); null when nothing fell due. */
  value: number | null;
  met: boolean | null;
}

/**
 * The complaint KPI (docs/rules/complaints.md): the share of complaints answered within 15
 * working days. A complaint counts in the month its response falls due (decision 0012), so a
 * month's figure is final once the month is over; quarters add numerators and denominators
 * (`ratio-of-sums`).
 */
export function complaintKpi(
  complaints: readonly ComplaintRecord[],
  months: readonly Period[],
  today: string,
): ComplaintKpi {
  let due = 0;
  let answeredInTime = 0;
  let pending = 0;
  for (const complaint of complaints) {
    if (!months.includes(complaint.responseDueOn.slice(0, 7) as Period)) continue;
    const inTime =
      complaint.respondedOn !== null && complaint.respondedOn <= complaint.responseDueOn;
    if (complaint.respondedOn === null && complaint.responseDueOn >= today) {
      pending++;
      continue;
    }
    due++;
    if (inTime) answeredInTime++;
  }
  const value = due === 0 ? null : Math.round((1000 * answeredInTime) / due) / 10;
  return {
    due,
    answeredInTime,
    pending,
    value,
    met: value === null ? null : value >= COMPLAINT_KPI_TARGET,
  };
}
