import { csvDocument } from '../http/csv';
import type { ComplaintsReportDto } from './complaints-queries.dto';

export const COMPLAINTS_REPORT_CSV_COLUMNS = [
  'reference',
  'service_id',
  'received_on',
  'category',
  'acknowledgement_due_on',
  'acknowledged_on',
  'response_due_on',
  'responded_on',
  'answered_in_time',
  'finding',
] as const;

/** The anonymised complaints of a quarter as CSV, one row per complaint received. */
export function complaintsReportCsv(report: ComplaintsReportDto): string {
  return csvDocument(
    COMPLAINTS_REPORT_CSV_COLUMNS,
    report.complaints.map((c) => [
      c.reference,
      c.serviceId,
      c.receivedOn,
      c.category,
      c.acknowledgementDueOn,
      c.acknowledgedOn,
      c.responseDueOn,
      c.respondedOn,
      c.answeredInTime,
      c.finding,
    ]),
  );
}
