import type { BonusCompliance, MonthlyReturnEvent, SignOffStage } from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * One service's return for one month: when it arrived and whether late, how often, when and by
 * whom it was amended, and its bonus compliance as last judged. Serves "bonus compliance per
 * service-month" and "which returns arrived, when, late or not". Not why it was amended: the
 * reason can name people and is kept in the personal-data vault, opened when the return's
 * history is read (a copy here would outlive its erasure).
 *
 * With sign-off (docs/decisions/0037) the bonus columns are the published figures' (null while
 * none are), `published` says whether there are any, and `signOff` where the return is.
 */
export interface MonthlyReturnRow {
  tenantId: string;
  serviceId: string;
  /** `YYYY-MM`. */
  period: string;
  frameworkId: string;
  frameworkVersion: number;
  submittedAt: string;
  submittedBy: string;
  /** `YYYY-MM-DD`: the 20th of the following month. */
  dueDate: string;
  late: boolean;
  amendments: number;
  lastAmendedAt: string | null;
  lastAmendedBy: string | null;
  /** The bonus fields are null when the framework has no bonus scheme. */
  bonusMet: number | null;
  bonusRequired: number | null;
  bonusOf: number | null;
  bonusCompliant: boolean | null;
  /** The MonthlyReturnSubmitted event: where the original values are. */
  returnEventId: string;
  /** The last event that changed the return (the submission or the latest amendment). */
  lastEventId: string;
  /**
   * Set only for a return in sign-off: whether it has published figures (a return never in
   * sign-off has: read absent as true), where its latest figures are, and since when.
   */
  published?: boolean;
  signOff?: SignOffStage;
  signOffAt?: string;
}

export const MONTHLY_RETURN_EVENT_TYPES = [
  'MonthlyReturnSubmitted',
  'MonthlyReturnAmended',
  'MonthlyReturnVerified',
  'MonthlyReturnSentBack',
  'MonthlyReturnPublished',
] as const satisfies readonly MonthlyReturnEvent['type'][];

export function evolveMonthlyReturn(
  row: MonthlyReturnRow | null,
  event: Recorded<MonthlyReturnEvent>,
): MonthlyReturnRow | null {
  switch (event.type) {
    case 'MonthlyReturnSubmitted': {
      const { data } = event;
      return {
        tenantId: event.metadata.tenantId,
        serviceId: data.serviceId,
        period: data.period,
        frameworkId: data.frameworkId,
        frameworkVersion: data.frameworkVersion,
        submittedAt: data.submittedAt,
        submittedBy: data.submittedBy,
        dueDate: data.dueDate,
        late: data.late,
        amendments: 0,
        lastAmendedAt: null,
        lastAmendedBy: null,
        ...bonusColumns(data.signOffRequired ? null : data.bonus),
        returnEventId: event.eventId,
        lastEventId: event.eventId,
        ...(data.signOffRequired && {
          published: false,
          signOff: 'submitted',
          signOffAt: data.submittedAt,
        }),
      };
    }
    case 'MonthlyReturnAmended': {
      if (!row) return null; // the decider only amends a submitted return
      const { data } = event;
      return {
        ...row,
        frameworkId: data.frameworkId,
        frameworkVersion: data.frameworkVersion,
        amendments: data.amendmentNumber,
        lastAmendedAt: data.amendedAt,
        lastAmendedBy: data.amendedBy,
        // Figures waiting for sign-off leave the published bonus as it was.
        ...(data.signOffRequired ? {} : bonusColumns(data.bonus)),
        lastEventId: event.eventId,
        ...(data.signOffRequired
          ? { signOff: 'submitted', signOffAt: data.amendedAt }
          : row.signOff && { published: true, signOff: 'published', signOffAt: data.amendedAt }),
      };
    }
    case 'MonthlyReturnVerified':
      return row && { ...row, signOff: 'verified', signOffAt: event.data.verifiedAt };
    case 'MonthlyReturnSentBack':
      return row && { ...row, signOff: 'sent-back', signOffAt: event.data.sentBackAt };
    case 'MonthlyReturnPublished':
      return (
        row && {
          ...row,
          ...bonusColumns(event.data.bonus),
          published: true,
          signOff: 'published',
          signOffAt: event.data.publishedAt,
        }
      );
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

function bonusColumns(
  bonus: BonusCompliance | null,
): Pick<MonthlyReturnRow, 'bonusMet' | 'bonusRequired' | 'bonusOf' | 'bonusCompliant'> {
  return {
    bonusMet: bonus?.met ?? null,
    bonusRequired: bonus?.required ?? null,
    bonusOf: bonus?.of ?? null,
    bonusCompliant: bonus?.compliant ?? null,
  };
}

/** The row key: tenant first, so tenants never share a row. */
export const monthlyReturnKeyOf = (event: Recorded<MonthlyReturnEvent>): string =>
  JSON.stringify([event.metadata.tenantId, event.data.serviceId, event.data.period]);

export const monthlyReturnsProjection = keyedProjection<MonthlyReturnRow>({
  name: 'monthly-returns',
  version: 3,
  table: 'rm_monthly_returns',
  eventTypes: MONTHLY_RETURN_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'service_id', type: 'text', field: 'serviceId' },
    { name: 'period', type: 'text', field: 'period' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'framework_version', type: 'integer', field: 'frameworkVersion' },
    { name: 'submitted_at', type: 'timestamptz', field: 'submittedAt' },
    { name: 'submitted_by', type: 'text', field: 'submittedBy' },
    { name: 'due_date', type: 'date', field: 'dueDate' },
    { name: 'late', type: 'boolean', field: 'late' },
    { name: 'amendments', type: 'integer', field: 'amendments' },
    { name: 'last_amended_at', type: 'timestamptz', field: 'lastAmendedAt', nullable: true },
    { name: 'last_amended_by', type: 'text', field: 'lastAmendedBy', nullable: true },
    { name: 'bonus_met', type: 'integer', field: 'bonusMet', nullable: true },
    { name: 'bonus_required', type: 'integer', field: 'bonusRequired', nullable: true },
    { name: 'bonus_of', type: 'integer', field: 'bonusOf', nullable: true },
    { name: 'bonus_compliant', type: 'boolean', field: 'bonusCompliant', nullable: true },
    { name: 'return_event_id', type: 'text', field: 'returnEventId' },
    { name: 'last_event_id', type: 'text', field: 'lastEventId' },
    { name: 'published', type: 'boolean', field: 'published', nullable: true },
    { name: 'sign_off', type: 'text', field: 'signOff', nullable: true },
    { name: 'sign_off_at', type: 'timestamptz', field: 'signOffAt', nullable: true },
  ],
  indexes: [
    ['tenant_id', 'service_id', 'period'],
    ['tenant_id', 'period'],
  ],
  keyOf: (event) => {
    const returnEvent = recordedOneOf<MonthlyReturnEvent>(event, MONTHLY_RETURN_EVENT_TYPES);
    return returnEvent && monthlyReturnKeyOf(returnEvent);
  },
  evolve: (row, event) => {
    const returnEvent = recordedOneOf<MonthlyReturnEvent>(event, MONTHLY_RETURN_EVENT_TYPES);
    return returnEvent ? evolveMonthlyReturn(row, returnEvent) : row;
  },
  // A submission makes its row whole (amendments and sign-off steps read it).
  setsRowsWhole: (event) => event.type === 'MonthlyReturnSubmitted',
});
