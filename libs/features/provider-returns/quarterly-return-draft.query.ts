import { frameworkViewer, toDomainEvent } from '@kpi/command-handling';
import {
  addMonths,
  annualAppraisal,
  careCertificateInTwelveWeeks,
  complaintKpi,
  ConflictError,
  foldEvents,
  InvalidCommandError,
  parseFinancialQuarter,
  PROVIDER_KPIS,
  QUARTERLY_RETURN_KPI_CODES,
  staffDecider,
  staffTurnover,
  streamIds,
  supervisionCompliance,
  type ComplaintRecord,
  type FinancialQuarter,
  type Period,
  type QuarterlyReturnKpiCode,
  type StaffDevelopment,
  type StaffEvent,
  type StaffTenure,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import type { CouncilFrameworkParams } from './provider-return-listing';

export interface QuarterlyReturnDraftParams extends CouncilFrameworkParams {
  /** `2026-27 Q1`, checked at the edge. */
  quarter: string;
  /** `YYYY-MM-DD`: today in London, what is counted up to. */
  today: string;
}

/** `records`: counted from the provider's own records; `not-recorded`: to be typed in. */
export type DraftSource = 'records' | 'not-recorded';

/** A KPI's figure as drafted: both null when the records do not hold it (to be typed in). */
export interface DraftFigure {
  numerator: number | null;
  denominator: number | null;
}

/** How a KPI's figure was arrived at. */
export interface DraftWorking {
  source: DraftSource;
  basis: string;
}

export interface QuarterlyReturnDraft {
  councilId: string;
  frameworkId: string;
  providerId: string;
  quarter: string;
  firstDay: string;
  lastDay: string;
  /** While the quarter has not ended. */
  provisional: boolean;
  figures: Record<QuarterlyReturnKpiCode, DraftFigure>;
  workings: Record<QuarterlyReturnKpiCode, DraftWorking>;
  notRecorded: QuarterlyReturnKpiCode[];
}

/** The draft of the asking provider's quarterly return to a council, from its own records. */
export class ReadQuarterlyReturnDraft extends FeatureQuery<
  QuarterlyReturnDraftParams,
  QuarterlyReturnDraft
> {}

interface ComplaintRow {
  id: string;
  service_id: string;
  received_on: string;
  category: ComplaintRecord['category'];
  acknowledgement_due_on: string;
  acknowledged_on: string | null;
  response_due_on: string;
  responded_on: string | null;
  finding: ComplaintRecord['finding'];
}

interface WorkforceRow {
  staff_id: string;
  one_to_one_dates: string[];
}

/** One member of the provider's staff: their register entry and the one-to-ones they had. */
type StaffMember = StaffTenure & StaffDevelopment;

interface Drafted {
  figure: DraftFigure;
  working: DraftWorking;
}

/**
 * The draft of a provider's quarterly return to a council, worked out from the provider's own
 * records in its own tenant, across all its services: complaints (the complaints feature's
 * rm_complaints), the staff register (each staff member's stream: time in post, appraisals,
 * Care Certificate) and the one-to-one supervisions (the workforce feature's rm_workforce),
 * read by their published tables and streams and counted by the domain's pure measures.
 * Nothing is stored: the provider checks it, types in what the records do not hold, and sends
 * it. Only a provider on the framework drafts one (anyone else 404; the council is refused).
 */
export async function readQuarterlyReturnDraft(
  db: Queryable,
  callerTenantId: string,
  { councilId, frameworkId, quarter: quarterText, today }: QuarterlyReturnDraftParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<QuarterlyReturnDraft> {
  // 404 for anyone neither the council nor a provider on the framework.
  const { viewer } = await frameworkViewer(
    { store, tenantId: callerTenantId },
    councilId,
    frameworkId,
  );
  if (viewer.kind !== 'provider') {
    throw new ConflictError(
      `A draft return is the working paper of a provider on ${councilId}'s framework, drawn up with the provider's own token; the council reads the returns sent`,
      { councilId, frameworkId },
    );
  }
  const { providerId } = viewer;
  const quarter = parseFinancialQuarter(quarterText);
  if (quarter.firstDay > today) {
    throw InvalidCommandError.of(
      'quarter',
      `has not started yet (it starts on ${quarter.firstDay}; today is ${today}): there is nothing to count`,
    );
  }
  const [complaints, staff] = await Promise.all([
    complaintsDueIn(db, providerId, quarter),
    staffOf(db, store, providerId),
  ]);
  const drafted: Record<QuarterlyReturnKpiCode, Drafted> = {
    'complaints-answered-in-time': complaintsAnsweredInTime(complaints, quarter, today),
    'staff-turnover': turnover(staff, quarter),
    'quarterly-supervision': supervision(staff, quarter),
    'annual-appraisal': appraisal(staff, quarter),
    'care-certificate-in-12-weeks': careCertificate(staff, quarter, today),
    'diploma-level-1': notRecorded('diploma-level-1'),
    'diploma-level-2': notRecorded('diploma-level-2'),
  };
  const byCode = <T>(pick: (d: Drafted) => T) =>
    Object.fromEntries(
      QUARTERLY_RETURN_KPI_CODES.map((code) => [code, pick(drafted[code])]),
    ) as Record<QuarterlyReturnKpiCode, T>;
  return {
    councilId,
    frameworkId,
    providerId,
    quarter: quarter.quarter,
    firstDay: quarter.firstDay,
    lastDay: quarter.lastDay,
    provisional: quarter.lastDay >= today,
    figures: byCode((d) => d.figure),
    workings: byCode((d) => d.working),
    notRecorded: QUARTERLY_RETURN_KPI_CODES.filter(
      (code) => drafted[code].working.source === 'not-recorded',
    ),
  };
}

/** The provider's complaints (every service) whose response falls due in the quarter. */
async function complaintsDueIn(
  db: Queryable,
  tenantId: string,
  quarter: FinancialQuarter,
): Promise<ComplaintRecord[]> {
  const { rows } = await db.query<ComplaintRow>(
    `SELECT id, service_id, to_char(received_on, 'YYYY-MM-DD') AS received_on, category,
            to_char(acknowledgement_due_on, 'YYYY-MM-DD') AS acknowledgement_due_on,
            to_char(acknowledged_on, 'YYYY-MM-DD') AS acknowledged_on,
            to_char(response_due_on, 'YYYY-MM-DD') AS response_due_on,
            to_char(responded_on, 'YYYY-MM-DD') AS responded_on, finding
       FROM rm_complaints
      WHERE tenant_id = $1 AND kind = 'complaint' AND response_due_on BETWEEN $2 AND $3`,
    [tenantId, quarter.firstDay, quarter.lastDay],
  );
  return rows.map((row) => ({
    complaintId: row.id,
    serviceId: row.service_id,
    receivedOn: row.received_on,
    category: row.category,
    acknowledgementDueOn: row.acknowledgement_due_on,
    acknowledgedOn: row.acknowledged_on,
    responseDueOn: row.response_due_on,
    respondedOn: row.responded_on,
    finding: row.finding,
  }));
}

/**
 * Everyone ever on the provider's staff register (every service). rm_workforce lists them
 * and holds their one-to-one dates; their register entries are read from their streams,
 * which keep every appraisal and Care Certificate date (the read model keeps only the latest).
 */
async function staffOf(db: Queryable, store: EventStore, tenantId: string): Promise<StaffMember[]> {
  const { rows } = await db.query<WorkforceRow>(
    `SELECT staff_id, one_to_one_dates FROM rm_workforce
      WHERE tenant_id = $1 AND service_id IS NOT NULL
      ORDER BY staff_id`,
    [tenantId],
  );
  const streams = await store.readStreams(
    rows.map((row) => streamIds.staff(tenantId, row.staff_id)),
  );
  return rows.flatMap((row): StaffMember[] => {
    const history = streams.get(streamIds.staff(tenantId, row.staff_id)) ?? [];
    const entry = foldEvents(staffDecider, history.map(toDomainEvent<StaffEvent>));
    if (entry.status !== 'registered') return [];
    return [
      {
        staffId: entry.staffId,
        startedOn: entry.startedOn,
        leftOn: entry.leftOn,
        oneToOneDates: row.one_to_one_dates,
        appraisalDates: entry.appraisals.map((a) => a.heldOn),
        careCertificateDates: entry.training
          .filter((t) => t.course === 'care-certificate')
          .map((t) => t.completedOn),
      },
    ];
  });
}

/** A figure counted from the records, and how. */
const fromRecords = (numerator: number, denominator: number, basis: string): Drafted => ({
  figure: { numerator, denominator },
  working: {
    source: 'records',
    basis:
      numerator === 0 && denominator === 0
        ? `${basis} Nothing to count: 0 / 0 (the KPI is grey).`
        : basis,
  },
});

/** A share counted from the records: `n of d <what>`. */
const shareOf = (numerator: number, denominator: number, what: string): Drafted =>
  fromRecords(numerator, denominator, `${numerator} of ${denominator} ${what}`);

const staffWord = (n: number) => (n === 1 ? 'member of staff' : 'staff');

function complaintsAnsweredInTime(
  complaints: readonly ComplaintRecord[],
  quarter: FinancialQuarter,
  today: string,
): Drafted {
  const first = quarter.firstDay.slice(0, 7) as Period;
  const kpi = complaintKpi(complaints, [first, addMonths(first, 1), addMonths(first, 2)], today);
  const pending =
    kpi.pending > 0
      ? ` ${kpi.pending} due later in the quarter and not yet answered ${kpi.pending === 1 ? 'is' : 'are'} left out until answered or overdue.`
      : '';
  return shareOf(
    kpi.answeredInTime,
    kpi.due,
    `complaints whose response (15 working days from receipt) fell due in ${quarter.quarter} were answered by the due date, across all services.${pending}`,
  );
}

function turnover(staff: readonly StaffMember[], quarter: FinancialQuarter): Drafted {
  const t = staffTurnover(staff, quarter);
  return fromRecords(
    t.numerator,
    t.denominator,
    `${t.numerator} ${staffWord(t.numerator)} left in ${quarter.quarter}; average headcount (${t.headcountAtStart} in post on ${quarter.firstDay} + ${t.headcountAtEnd} at the close of ${quarter.lastDay}) ÷ 2 = ${t.denominator}. Every role on the staff register, all services.`,
  );
}

function supervision(staff: readonly StaffMember[], quarter: FinancialQuarter): Drafted {
  const s = supervisionCompliance(staff, quarter.lastDay);
  return shareOf(
    s.numerator,
    s.denominator,
    `staff in post on ${s.on} for at least three months had a one-to-one supervision after ${s.windowStartsAfter}; ${s.notYetDue} newer ${s.notYetDue === 1 ? 'starter is' : 'starters are'} not yet due one.`,
  );
}

function appraisal(staff: readonly StaffMember[], quarter: FinancialQuarter): Drafted {
  const a = annualAppraisal(staff, quarter.lastDay);
  return shareOf(
    a.numerator,
    a.denominator,
    `staff in post on ${a.on} for at least a year were appraised after ${a.windowStartsAfter}; ${a.notYetDue} in post under a year ${a.notYetDue === 1 ? 'is' : 'are'} not yet due one.`,
  );
}

function careCertificate(
  staff: readonly StaffMember[],
  quarter: FinancialQuarter,
  today: string,
): Drafted {
  const c = careCertificateInTwelveWeeks(staff, quarter, today);
  const leftOut = [
    c.pending > 0 ? `${c.pending} whose 12 weeks are still running` : null,
    c.leftBeforeDue > 0 ? `${c.leftBeforeDue} who left before their 12 weeks were up` : null,
  ].filter((part): part is string => part !== null);
  return shareOf(
    c.numerator,
    c.denominator,
    `staff whose 12 weeks from starting ended in ${quarter.quarter} had completed the Care Certificate by then.${leftOut.length > 0 ? ` Left out: ${leftOut.join('; ')}.` : ''}`,
  );
}

/** A KPI the records cannot give: null, with what to type in (the KPI's own definition). */
function notRecorded(code: 'diploma-level-1' | 'diploma-level-2'): Drafted {
  const kpi = PROVIDER_KPIS.find((k) => k.code === code)!;
  return {
    figure: { numerator: null, denominator: null },
    working: {
      source: 'not-recorded',
      basis: `The staff register does not record NVQ / Diploma levels: type in ${kpi.numerator} over ${kpi.denominator}.`,
    },
  };
}
