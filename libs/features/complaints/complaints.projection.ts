import type {
  ComplaintCategory,
  ComplaintEvent,
  ComplaintFinding,
  ComplimentEvent,
} from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * Complaints and compliments per service, without their text or anyone's details: what the
 * complaint KPI and the council's anonymised report read (docs/rules/complaints.md).
 */
export interface ComplaintRow {
  tenantId: string;
  kind: 'complaint' | 'compliment';
  /** The complaint's or compliment's id. */
  id: string;
  serviceId: string;
  receivedOn: string;
  /** Complaints only (null for a compliment), as are the dates below. */
  category: ComplaintCategory | null;
  acknowledgementDueOn: string | null;
  acknowledgedOn: string | null;
  responseDueOn: string | null;
  respondedOn: string | null;
  finding: ComplaintFinding | null;
}

type ComplaintsEvent = ComplaintEvent | ComplimentEvent;

export const COMPLAINTS_EVENT_TYPES = [
  'ComplaintLogged',
  'ComplaintAcknowledged',
  'ComplaintResponded',
  'ComplimentLogged',
] as const satisfies readonly ComplaintsEvent['type'][];

const keyOf = (event: Recorded<ComplaintsEvent>): string =>
  JSON.stringify([
    event.metadata.tenantId,
    event.type === 'ComplimentLogged' ? 'compliment' : 'complaint',
    event.type === 'ComplimentLogged' ? event.data.complimentId : event.data.complaintId,
  ]);

export function evolveComplaint(
  row: ComplaintRow | null,
  event: Recorded<ComplaintsEvent>,
): ComplaintRow | null {
  switch (event.type) {
    case 'ComplaintLogged':
      return (
        row ?? {
          tenantId: event.metadata.tenantId,
          kind: 'complaint',
          id: event.data.complaintId,
          serviceId: event.data.serviceId,
          receivedOn: event.data.receivedOn,
          category: event.data.category,
          acknowledgementDueOn: event.data.acknowledgementDueOn,
          acknowledgedOn: null,
          responseDueOn: event.data.responseDueOn,
          respondedOn: null,
          finding: null,
        }
      );
    case 'ComplaintAcknowledged':
      return row && { ...row, acknowledgedOn: event.data.acknowledgedOn };
    case 'ComplaintResponded':
      return row && { ...row, respondedOn: event.data.respondedOn, finding: event.data.upheld };
    case 'ComplimentLogged':
      return (
        row ?? {
          tenantId: event.metadata.tenantId,
          kind: 'compliment',
          id: event.data.complimentId,
          serviceId: event.data.serviceId,
          receivedOn: event.data.receivedOn,
          category: null,
          acknowledgementDueOn: null,
          acknowledgedOn: null,
          responseDueOn: null,
          respondedOn: null,
          finding: null,
        }
      );
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export const complaintsProjection = keyedProjection<ComplaintRow>({
  name: 'complaints',
  version: 1,
  table: 'rm_complaints',
  eventTypes: COMPLAINTS_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'kind', type: 'text', field: 'kind' },
    { name: 'id', type: 'text', field: 'id' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'received_on', type: 'date', field: 'receivedOn' },
    { name: 'category', type: 'text', field: 'category', nullable: true },
    { name: 'acknowledgement_due_on', type: 'date', field: 'acknowledgementDueOn', nullable: true },
    { name: 'acknowledged_on', type: 'date', field: 'acknowledgedOn', nullable: true },
    { name: 'response_due_on', type: 'date', field: 'responseDueOn', nullable: true },
    { name: 'responded_on', type: 'date', field: 'respondedOn', nullable: true },
    { name: 'finding', type: 'text', field: 'finding', nullable: true },
  ],
  indexes: [
    ['tenant_id', 'service_id', 'response_due_on'],
    ['tenant_id', 'received_on'],
  ],
  keyOf: (event) => {
    const complaintEvent = recordedOneOf<ComplaintsEvent>(event, COMPLAINTS_EVENT_TYPES);
    return complaintEvent && keyOf(complaintEvent);
  },
  evolve: (row, event) => {
    const complaintEvent = recordedOneOf<ComplaintsEvent>(event, COMPLAINTS_EVENT_TYPES);
    return complaintEvent ? evolveComplaint(row, complaintEvent) : row;
  },
});
