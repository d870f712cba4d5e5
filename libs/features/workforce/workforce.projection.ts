import type { StaffEvent, StaffRole, SupervisionRecorded } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * One person of the workforce: their time in post at a service (from the staff register) and
 * the dates of the one-to-one supervisions they received, so queries can work out supervision
 * compliance on any date and turnover in any quarter (libs/domain staff/workforce-measures.ts):
 *
 *     SELECT * FROM rm_workforce WHERE tenant_id = $1 AND service_id = $2
 *
 * Supervision and the register are separate streams, so a session can be recorded before the
 * person is registered: the row then exists with `serviceId` null (it counts nowhere) and keeps
 * the session dates until the registration fills the rest in. Rows of people supervised but
 * never registered as staff (managers supervised by their regional manager) stay that way.
 */
export interface WorkforceRow {
  tenantId: string;
  /** The person id: `staffId` in the register, `superviseeId` in supervision. */
  staffId: string;
  /** null until registered as staff. */
  serviceId: string | null;
  role: StaffRole | null;
  /** `YYYY-MM-DD`: first day in post; null until registered. */
  startedOn: string | null;
  /** `YYYY-MM-DD`: last day in post; null while in post. */
  leftOn: string | null;
  /** Every date on which they had a one-to-one supervision, ascending, each once. */
  oneToOneDates: string[];
  latestOneToOneOn: string | null;
  latestAppraisalOn: string | null;
  careCertificateOn: string | null;
  latestSafeguardingOn: string | null;
  /** The latest DBS check, the pre-employment one included. */
  latestDbsCheckOn: string | null;
}

type WorkforceEvent = StaffEvent | SupervisionRecorded;

export const WORKFORCE_EVENT_TYPES = [
  'StaffMemberRegistered',
  'StaffMemberLeft',
  'StaffAppraisalRecorded',
  'StaffTrainingCompleted',
  'StaffDbsCheckRecorded',
  'SupervisionRecorded',
] as const satisfies readonly WorkforceEvent['type'][];

/** The row key: tenant first, so tenants never share a row. */
export const workforceKey = (tenantId: string, staffId: string): string =>
  JSON.stringify([tenantId, staffId]);

/** The row an event changes; null for supervisions other than one-to-ones. */
export function workforceKeyOf(event: Recorded<WorkforceEvent>): string | null {
  if (event.type === 'SupervisionRecorded') {
    return event.data.kind === 'one-to-one'
      ? workforceKey(event.metadata.tenantId, event.data.superviseeId)
      : null;
  }
  return workforceKey(event.metadata.tenantId, event.data.staffId);
}

const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a > b ? a : b;

export function evolveWorkforce(
  row: WorkforceRow | null,
  event: Recorded<WorkforceEvent>,
): WorkforceRow | null {
  if (event.type === 'SupervisionRecorded') {
    if (event.data.kind !== 'one-to-one') return row;
    const current = row ?? unregistered(event.metadata.tenantId, event.data.superviseeId);
    const { date } = event.data;
    // The dates are kept sorted: insert this one in place (usually at the end), no re-sort.
    const dates = current.oneToOneDates;
    let at = dates.length;
    while (at > 0 && dates[at - 1]! > date) at--;
    if (dates[at - 1] === date) return current;
    const oneToOneDates = [...dates.slice(0, at), date, ...dates.slice(at)];
    return { ...current, oneToOneDates, latestOneToOneOn: oneToOneDates.at(-1)! };
  }
  const current = row ?? unregistered(event.metadata.tenantId, event.data.staffId);
  switch (event.type) {
    case 'StaffMemberRegistered': {
      const { serviceId, role, startedOn, dbsCheckedOn } = event.data;
      return {
        ...current,
        serviceId,
        role,
        startedOn,
        latestDbsCheckOn: later(current.latestDbsCheckOn, dbsCheckedOn),
      };
    }
    case 'StaffMemberLeft':
      return { ...current, leftOn: event.data.leftOn };
    case 'StaffAppraisalRecorded':
      return { ...current, latestAppraisalOn: later(current.latestAppraisalOn, event.data.heldOn) };
    case 'StaffTrainingCompleted':
      return event.data.course === 'care-certificate'
        ? {
            ...current,
            careCertificateOn: later(current.careCertificateOn, event.data.completedOn),
          }
        : {
            ...current,
            latestSafeguardingOn: later(current.latestSafeguardingOn, event.data.completedOn),
          };
    case 'StaffDbsCheckRecorded':
      return {
        ...current,
        latestDbsCheckOn: later(current.latestDbsCheckOn, event.data.checkedOn),
      };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

function unregistered(tenantId: string, staffId: string): WorkforceRow {
  return {
    tenantId,
    staffId,
    serviceId: null,
    role: null,
    startedOn: null,
    leftOn: null,
    oneToOneDates: [],
    latestOneToOneOn: null,
    latestAppraisalOn: null,
    careCertificateOn: null,
    latestSafeguardingOn: null,
    latestDbsCheckOn: null,
  };
}

export const workforceProjection = keyedProjection<WorkforceRow>({
  name: 'workforce',
  version: 1,
  table: 'rm_workforce',
  eventTypes: WORKFORCE_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'staff_id', type: 'text', field: 'staffId' },
    { name: 'service_id', type: 'text', field: 'serviceId', nullable: true },
    { name: 'role', type: 'text', field: 'role', nullable: true },
    { name: 'started_on', type: 'date', field: 'startedOn', nullable: true },
    { name: 'left_on', type: 'date', field: 'leftOn', nullable: true },
    { name: 'one_to_one_dates', type: 'jsonb', field: 'oneToOneDates' },
    { name: 'latest_one_to_one_on', type: 'date', field: 'latestOneToOneOn', nullable: true },
    { name: 'latest_appraisal_on', type: 'date', field: 'latestAppraisalOn', nullable: true },
    { name: 'care_certificate_on', type: 'date', field: 'careCertificateOn', nullable: true },
    { name: 'latest_safeguarding_on', type: 'date', field: 'latestSafeguardingOn', nullable: true },
    { name: 'latest_dbs_check_on', type: 'date', field: 'latestDbsCheckOn', nullable: true },
  ],
  indexes: [['tenant_id', 'service_id']],
  keyOf: (event) => {
    const workforceEvent = recordedOneOf<WorkforceEvent>(event, WORKFORCE_EVENT_TYPES);
    return workforceEvent && workforceKeyOf(workforceEvent);
  },
  evolve: (row, event) => {
    const workforceEvent = recordedOneOf<WorkforceEvent>(event, WORKFORCE_EVENT_TYPES);
    return workforceEvent ? evolveWorkforce(row, workforceEvent) : row;
  },
});
