import { PROVIDER_NOTIFICATION_KINDS } from '@kpi/domain';
import type { ProviderNotificationCounts } from '@kpi/features/provider-notices';
import { csvDocument } from '../http/csv';

/** A quarter's notifications per provider: one row each, a column per kind. */
export function providerNotificationCountsCsv(counts: ProviderNotificationCounts): string {
  const header = [
    'quarter',
    'provider_id',
    'total',
    ...PROVIDER_NOTIFICATION_KINDS.map((kind) => kind.replaceAll('-', '_')),
    'late',
    'unacknowledged',
  ];
  const rows = counts.providers.map((row) => [
    counts.quarter,
    row.providerId,
    row.total,
    ...PROVIDER_NOTIFICATION_KINDS.map((kind) => row.byKind[kind]),
    row.late,
    row.unacknowledged,
  ]);
  return csvDocument(header, rows);
}
