import { toDomainEvent, type EntityId } from '@kpi/command-handling';
import {
  isSealed,
  NotFoundError,
  streamIds,
  type ComplaintCategory,
  type ComplaintEvent,
  type ComplaintFinding,
  type FinancialQuarter,
  type PersonalText,
  type SealedPersonalData,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import { openedText, type OpenedPersonalData, type PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { complaintsProjection } from './complaints.projection';

/** What a reader of personal data is given besides the usual: the vault, to open texts with. */
export interface PersonalDataReading extends QueryReading {
  vault: PersonalDataVault;
}

/**
 * One complaint as its managers and inspectors read it, with the texts that can name people
 * opened: each is the text, or `{ erasedOn }` once the complainant was erased.
 */
export interface ComplaintDetails<Text = OpenedPersonalData> {
  complaintId: string;
  serviceId: string;
  receivedOn: string;
  category: ComplaintCategory;
  /**
   * The complainant as a data subject: erasing them erases the summary, their name and contact
   * and the response. Null for a complaint logged before personal data was kept apart (its
   * summary stays in the log as text).
   */
  dataSubjectId: string | null;
  summary: Text;
  complainant: { relationship: string | null; name: Text | null; contact: Text | null };
  acknowledgementDueOn: string;
  acknowledgedOn: string | null;
  responseDueOn: string;
  response: {
    respondedOn: string;
    summary: Text;
    escalationRoute: string;
    finding: ComplaintFinding;
  } | null;
  loggedBy: string;
  loggedAt: string;
}

export interface ComplaintListParams {
  quarter: FinancialQuarter;
  /** Only this service's (404 when it is not the tenant's). */
  serviceId?: EntityId;
}

/** The complaints received in a quarter, with their texts. */
export interface ComplaintList {
  quarter: string;
  complaints: ComplaintDetails[];
}

export class ReadComplaint extends FeatureQuery<{ complaintId: EntityId }, ComplaintDetails> {}

export class ListComplaints extends FeatureQuery<ComplaintListParams, ComplaintList> {}

/** One complaint of the tenant, from its stream (never behind). 404 when there is none. */
export async function readComplaint(
  _db: Queryable,
  tenantId: string,
  { complaintId }: { complaintId: EntityId },
  { store, vault }: PersonalDataReading,
): Promise<ComplaintDetails> {
  const stored = complaintOf(await store.readStream(streamIds.complaint(tenantId, complaintId)));
  if (!stored) throw new NotFoundError(`No complaint ${complaintId}`);
  const [details] = await opened(vault, tenantId, [stored]);
  return details!;
}

/**
 * The complaints received in a quarter (of one service, if asked), oldest first: which ones from
 * rm_complaints, their texts from their streams (one read for all) opened in one vault query.
 */
export async function listComplaints(
  db: Queryable,
  tenantId: string,
  { quarter, serviceId }: ComplaintListParams,
  { store, vault }: PersonalDataReading,
): Promise<ComplaintList> {
  if (serviceId !== undefined) {
    // The organisation feature's read model of services, read by its published table.
    const service = await db.query(
      'SELECT 1 FROM rm_services WHERE tenant_id = $1 AND service_id = $2',
      [tenantId, serviceId],
    );
    if (service.rows.length === 0) throw new NotFoundError(`No service ${serviceId}`);
  }
  const rows = await complaintsProjection.rows(
    db,
    `tenant_id = $1 AND kind = 'complaint' AND received_on BETWEEN $2 AND $3
       AND ($4::text IS NULL OR service_id = $4)`,
    [tenantId, quarter.firstDay, quarter.lastDay, serviceId ?? null],
    'received_on, id',
  );
  const ids = rows.map((row) => streamIds.complaint(tenantId, row.id));
  const streams = await store.readStreams(ids);
  const stored = ids
    .map((streamId) => complaintOf(streams.get(streamId) ?? []))
    .filter((complaint): complaint is ComplaintDetails<PersonalText> => complaint !== null);
  return { quarter: quarter.quarter, complaints: await opened(vault, tenantId, stored) };
}

/** A complaint as its stream holds it (texts sealed, or text in old events); null if never logged. */
function complaintOf(events: readonly RecordedEvent[]): ComplaintDetails<PersonalText> | null {
  let complaint: ComplaintDetails<PersonalText> | null = null;
  for (const event of events.map(toDomainEvent<ComplaintEvent>)) {
    switch (event.type) {
      case 'ComplaintLogged': {
        const { data } = event;
        complaint = {
          complaintId: data.complaintId,
          serviceId: data.serviceId,
          receivedOn: data.receivedOn,
          category: data.category,
          dataSubjectId: data.complainant.subjectId,
          summary: data.summary,
          complainant: {
            relationship: data.complainant.relationship,
            name: data.complainant.name,
            contact: data.complainant.contact,
          },
          acknowledgementDueOn: data.acknowledgementDueOn,
          acknowledgedOn: null,
          responseDueOn: data.responseDueOn,
          response: null,
          loggedBy: data.loggedBy,
          loggedAt: data.loggedAt,
        };
        break;
      }
      case 'ComplaintAcknowledged':
        if (complaint) complaint.acknowledgedOn = event.data.acknowledgedOn;
        break;
      case 'ComplaintResponded': {
        const { data } = event;
        if (complaint) {
          complaint.response = {
            respondedOn: data.respondedOn,
            summary: data.summary,
            escalationRoute: data.escalationRoute,
            finding: data.upheld,
          };
          // A complaint logged before personal data was kept apart gets a subject with its response.
          if (complaint.dataSubjectId === null && isSealed(data.summary)) {
            complaint.dataSubjectId = data.summary.subjectId;
          }
        }
        break;
      }
    }
  }
  return complaint;
}

/** The complaints with every sealed text opened, in one query to the vault. */
async function opened(
  vault: PersonalDataVault,
  tenantId: string,
  complaints: readonly ComplaintDetails<PersonalText>[],
): Promise<ComplaintDetails[]> {
  const sealed = complaints.flatMap((c) =>
    [c.summary, c.complainant.name, c.complainant.contact, c.response?.summary].filter(
      (text): text is SealedPersonalData => isSealed(text),
    ),
  );
  const texts = await vault.open(tenantId, sealed);
  const open = (text: PersonalText) => openedText(text, texts);
  const openOrNull = (text: PersonalText | null) => (text === null ? null : open(text));
  return complaints.map((c) => ({
    ...c,
    summary: open(c.summary),
    complainant: {
      relationship: c.complainant.relationship,
      name: openOrNull(c.complainant.name),
      contact: openOrNull(c.complainant.contact),
    },
    response: c.response && { ...c.response, summary: open(c.response.summary) },
  }));
}
