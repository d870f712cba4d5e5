import type { CapabilityItem, SupervisionEvent, SupervisionKind } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * One supervision session a person received, with the capability counters it discussed:
 * the capability timeline shows a Stage 1 as addressed when a session in its time discussed it
 * (query by supervisee and date).
 */
export interface SupervisionRow {
  tenantId: string;
  supervisionId: string;
  superviseeId: string;
  supervisorId: string;
  /** `YYYY-MM-DD`: when the session was held. */
  date: string;
  kind: SupervisionKind;
  capabilityItems: CapabilityItem[];
  recordedBy: string;
  /** When it was recorded, as the command said (ISO-8601). */
  recordedAt: string;
  /** The event, so a capability timeline can link the session it cites. */
  eventId: string;
  globalPosition: number;
}

export const SUPERVISION_EVENT_TYPES = [
  'SupervisionRecorded',
] as const satisfies readonly SupervisionEvent['type'][];

/** The row key: tenant first, so tenants never share a row. */
export const supervisionKey = (tenantId: string, supervisionId: string): string =>
  JSON.stringify([tenantId, supervisionId]);

export const supervisionKeyOf = (event: Recorded<SupervisionEvent>): string =>
  supervisionKey(event.metadata.tenantId, event.data.supervisionId);

export function evolveSupervision(
  row: SupervisionRow | null,
  event: Recorded<SupervisionEvent>,
): SupervisionRow | null {
  switch (event.type) {
    case 'SupervisionRecorded': {
      // The decider refuses a session id twice on one supervisee's stream; should another
      // supervisee's stream reuse it, the first session recorded keeps the row.
      if (row) return row;
      const { data } = event;
      return {
        tenantId: event.metadata.tenantId,
        supervisionId: data.supervisionId,
        superviseeId: data.superviseeId,
        supervisorId: data.supervisorId,
        date: data.date,
        kind: data.kind,
        capabilityItems: data.capabilityItems,
        recordedBy: data.recordedBy,
        recordedAt: data.recordedAt,
        eventId: event.eventId,
        globalPosition: event.globalPosition,
      };
    }
    default: {
      const _unexpected: never = event.type;
      return row;
    }
  }
}

export const supervisionsProjection = keyedProjection<SupervisionRow>({
  name: 'supervisions',
  version: 1,
  table: 'rm_supervisions',
  eventTypes: SUPERVISION_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'supervision_id', type: 'text', field: 'supervisionId' },
    { name: 'supervisee_id', type: 'text', field: 'superviseeId' },
    { name: 'supervisor_id', type: 'text', field: 'supervisorId' },
    { name: 'date', type: 'date', field: 'date' },
    { name: 'kind', type: 'text', field: 'kind' },
    { name: 'capability_items', type: 'jsonb', field: 'capabilityItems' },
    { name: 'recorded_by', type: 'text', field: 'recordedBy' },
    { name: 'recorded_at', type: 'timestamptz', field: 'recordedAt' },
    { name: 'event_id', type: 'text', field: 'eventId' },
    { name: 'global_position', type: 'bigint', field: 'globalPosition' },
  ],
  indexes: [['tenant_id', 'supervisee_id', 'date']],
  keyOf: (event) => {
    const supervisionEvent = recordedOneOf<SupervisionEvent>(event, SUPERVISION_EVENT_TYPES);
    return supervisionEvent && supervisionKeyOf(supervisionEvent);
  },
  evolve: (row, event) => {
    const supervisionEvent = recordedOneOf<SupervisionEvent>(event, SUPERVISION_EVENT_TYPES);
    return supervisionEvent ? evolveSupervision(row, supervisionEvent) : row;
  },
});
