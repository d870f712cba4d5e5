import type { DataQualityAuditEvent, DataQualityFinding } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * One sampled return of a data-quality audit (docs/decisions/0037): the audit, the return
 * (service and month), and its latest finding, if any. Serves the audited share of a period.
 * Not what was checked nor the query: they can name people and are kept in the personal-data
 * vault, opened when the audit is read from its stream.
 */
export interface AuditedReturnRow {
  tenantId: string;
  auditId: string;
  serviceId: string;
  /** `YYYY-MM`. */
  period: string;
  method: 'random' | 'chosen';
  drawnAt: string;
  findingId: string | null;
  finding: DataQualityFinding | null;
  amendmentEventId: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
}

export const DATA_QUALITY_AUDIT_EVENT_TYPES = [
  'DataQualitySampleDrawn',
  'DataQualityFindingRecorded',
] as const satisfies readonly DataQualityAuditEvent['type'][];

const key = (tenantId: string, auditId: string, serviceId: string) =>
  JSON.stringify([tenantId, auditId, serviceId]);

/** A sample changes a row per sampled return; a finding, its return's. */
export function auditedReturnKeysOf(event: Recorded<DataQualityAuditEvent>): string[] {
  const { tenantId } = event.metadata;
  return event.type === 'DataQualitySampleDrawn'
    ? event.data.sample.map((serviceId) => key(tenantId, event.data.auditId, serviceId))
    : [key(tenantId, event.data.auditId, event.data.serviceId)];
}

export function evolveAuditedReturn(
  row: AuditedReturnRow | null,
  event: Recorded<DataQualityAuditEvent>,
  rowKey: string,
): AuditedReturnRow | null {
  switch (event.type) {
    case 'DataQualitySampleDrawn': {
      const serviceId = (JSON.parse(rowKey) as string[])[2]!;
      return {
        tenantId: event.metadata.tenantId,
        auditId: event.data.auditId,
        serviceId,
        period: event.data.period,
        method: event.data.method,
        drawnAt: event.data.drawnAt,
        findingId: null,
        finding: null,
        amendmentEventId: null,
        recordedAt: null,
        recordedBy: null,
      };
    }
    case 'DataQualityFindingRecorded':
      if (!row) return null; // the decider records findings only for sampled returns
      return {
        ...row,
        findingId: event.data.findingId,
        finding: event.data.finding,
        amendmentEventId: event.data.amendmentEventId,
        recordedAt: event.data.recordedAt,
        recordedBy: event.data.recordedBy,
      };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const auditedReturnsProjection = keyedProjection<AuditedReturnRow>({
  name: 'audited-returns',
  version: 1,
  table: 'rm_audited_returns',
  eventTypes: DATA_QUALITY_AUDIT_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'audit_id', type: 'text', field: 'auditId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'period', type: 'text', field: 'period' },
    { name: 'method', type: 'text', field: 'method' },
    { name: 'drawn_at', type: 'timestamptz', field: 'drawnAt' },
    { name: 'finding_id', type: 'text', field: 'findingId', nullable: true },
    { name: 'finding', type: 'text', field: 'finding', nullable: true },
    { name: 'amendment_event_id', type: 'text', field: 'amendmentEventId', nullable: true },
    { name: 'recorded_at', type: 'timestamptz', field: 'recordedAt', nullable: true },
    { name: 'recorded_by', type: 'text', field: 'recordedBy', nullable: true },
  ],
  indexes: [['tenant_id', 'period']],
  keyOf: (event) => {
    const auditEvent = recordedOneOf<DataQualityAuditEvent>(event, DATA_QUALITY_AUDIT_EVENT_TYPES);
    return auditEvent && auditedReturnKeysOf(auditEvent);
  },
  evolve: (row, event, rowKey) => {
    const auditEvent = recordedOneOf<DataQualityAuditEvent>(event, DATA_QUALITY_AUDIT_EVENT_TYPES);
    return auditEvent ? evolveAuditedReturn(row, auditEvent, rowKey) : row;
  },
});
