import { csvDocument } from '../http/csv';
import type { CapacityReturnsDto } from './provider-returns.dto';

export const CAPACITY_RETURNS_CSV_COLUMNS = [
  'council_id',
  'framework_id',
  'period',
  'provider_id',
  'status',
  'care_workers',
  'packages',
  'total_hours',
  'average_hours_per_care_worker',
  'estimated_hours_available_next_month',
  'submitted_at',
  'submitted_by',
  'amendments',
  'last_amended_at',
] as const;

/** A month's capacity returns as CSV: one row per provider, a missing return with empty figures. */
export function capacityReturnsCsv(returns: CapacityReturnsDto): string {
  return csvDocument(
    CAPACITY_RETURNS_CSV_COLUMNS,
    returns.providers.map((p) => [
      returns.councilId,
      returns.frameworkId,
      returns.period,
      p.providerId,
      p.status,
      p.careWorkers,
      p.packages,
      p.totalHours,
      p.averageHoursPerCareWorker,
      p.estimatedHoursAvailableNextMonth,
      p.submittedAt,
      p.submittedBy,
      p.amendments,
      p.lastAmendedAt,
    ]),
  );
}
