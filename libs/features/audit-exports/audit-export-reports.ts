import { compareStreamIds, type BundleAttachment } from '@kpi/audit-bundle';
import type { StoredEventRecord } from '@kpi/event-store';
import { csvDocument } from './audit-export-csv';

export const KPI_RETURNS_REPORT = 'reports/kpi-returns.csv';
export const CAPABILITY_TIMELINE_REPORT = 'reports/capability-timeline.csv';

const KPI_RETURNS_HEADER = [
  'service_id',
  'month',
  'indicator',
  'value',
  'outcome',
  'changed_by',
  'changed_at',
  'event_id',
];

const CAPABILITY_TIMELINE_HEADER = [
  'recorded_at',
  'event',
  'manager_id',
  'service_id',
  'indicator',
  'stage',
  'month',
  'event_id',
];

/** The capability events that open, end or withdraw a stage. */
const STAGE_EVENTS: readonly string[] = [
  'CapabilityStageEntered',
  'CapabilityStageResolved',
  'CapabilityStageWithdrawn',
];

interface IndicatorRow {
  serviceId: string;
  month: string;
  indicator: string;
  value: unknown;
  outcome: unknown;
  /** The event that last set the value, when it is in the bundle. */
  changedBy: string | null;
  changedAt: string | null;
  eventId: string | null;
}

/**
 * The CSV renderings of an export, derived from the bundle's own events as they pass (one
 * pass, in the bundle's order), so anyone can derive them again from events.ndjson:
 *
 * - kpi-returns.csv — MonthlyReturnSubmitted and MonthlyReturnAmended folded into one row per
 *   service, month and indicator: the latest value (JSON for anything but a number or yes/no)
 *   and outcome, and who set that value, when, by which event (the submission, or the last
 *   amendment that changed it; blank when that was before the period). Sorted by service,
 *   month, indicator.
 * - capability-timeline.csv — every CapabilityStageEntered, CapabilityStageResolved and
 *   CapabilityStageWithdrawn in the bundle's order: manager, service, KPI, stage, month, event.
 *
 * Events are read as stored (`data` not upcast), as the bundle holds them.
 */
export class ExportReports {
  private readonly indicators = new Map<string, IndicatorRow>();
  private readonly stages: unknown[][] = [];

  add(event: StoredEventRecord): void {
    if (!isRecord(event.data)) return;
    if (event.type === 'MonthlyReturnSubmitted' || event.type === 'MonthlyReturnAmended') {
      this.addReturn(event, event.data);
    } else if (STAGE_EVENTS.includes(event.type)) {
      const data = event.data;
      this.stages.push([
        event.recordedAt,
        event.type,
        data.managerId,
        data.serviceId,
        data.indicatorCode,
        data.stage,
        data.period,
        event.eventId,
      ]);
    }
  }

  files(): BundleAttachment[] {
    const rows = [...this.indicators.values()]
      .sort(
        (a, b) =>
          compare(a.serviceId, b.serviceId) ||
          compare(a.month, b.month) ||
          compare(a.indicator, b.indicator),
      )
      .map((row) => [
        row.serviceId,
        row.month,
        row.indicator,
        cell(row.value),
        row.outcome,
        row.changedBy,
        row.changedAt,
        row.eventId,
      ]);
    return [
      { path: KPI_RETURNS_REPORT, content: csvDocument(KPI_RETURNS_HEADER, rows) },
      {
        path: CAPABILITY_TIMELINE_REPORT,
        content: csvDocument(CAPABILITY_TIMELINE_HEADER, this.stages),
      },
    ];
  }

  private addReturn(event: StoredEventRecord, data: Record<string, unknown>): void {
    const submitted = event.type === 'MonthlyReturnSubmitted';
    const values = isRecord(data.values) ? data.values : {};
    const results = isRecord(data.results) ? data.results : {};
    const changed = submitted ? values : isRecord(data.changes) ? data.changes : {};
    const by = submitted ? data.submittedBy : data.amendedBy;
    const at = submitted ? data.submittedAt : data.amendedAt;
    const [serviceId, month] = [String(data.serviceId), String(data.period)];
    for (const [indicator, value] of Object.entries(values)) {
      const key = `${serviceId}\u0000${month}\u0000${indicator}`;
      const row = this.indicators.get(key) ?? {
        serviceId,
        month,
        indicator,
        value,
        outcome: null,
        changedBy: null,
        changedAt: null,
        eventId: null,
      };
      row.value = value;
      row.outcome = isRecord(results[indicator]) ? results[indicator].outcome : null;
      if (indicator in changed) {
        row.changedBy = typeof by === 'string' ? by : null;
        row.changedAt = typeof at === 'string' ? at : null;
        row.eventId = event.eventId;
      }
      this.indicators.set(key, row);
    }
  }
}

/** Numbers and yes/no as they are; any other value as its JSON. */
function cell(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
}

/** By UTF-8 bytes (code point order), as the bundle sorts stream ids: the same in any language. */
const compare = compareStreamIds;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
