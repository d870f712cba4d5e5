import {
  foldEvents,
  monthlyReturnDecider,
  NotFoundError,
  streamIds,
  type BonusCompliance,
  type Judgement,
  type MonthlyReturnEvent,
  type MonthlyReturnFiguresEvent,
  type MonthlyReturnSignOffEvent,
  type Period,
  type SignOffStage,
} from '@kpi/domain';
import { registeredService, toDomainEvent } from '@kpi/command-handling';
import type { RecordedEvent } from '@kpi/event-store';
import type { OpenedPersonalData, PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { openReasons } from './amendment-reason';

export interface ReturnHistoryParams {
  serviceId: string;
  period: Period;
}

/** One event of the return's stream: the submission or an amendment. */
export interface ReturnHistoryEntry {
  kind: 'submission' | 'amendment';
  type: MonthlyReturnFiguresEvent['type'];
  eventId: string;
  streamVersion: number;
  globalPosition: number;
  recordedAt: string;
  by: string;
  at: string;
  amendmentNumber: number;
  /** Why it was amended: the text, or `{ erasedOn }`; null for the submission. */
  reason: OpenedPersonalData | null;
  /**
   * The data subject the reason is kept under (one per amendment): erasing it erases the
   * reason. Null for the submission, and for an amendment stored before reasons were kept apart.
   */
  dataSubjectId: string | null;
  changes: Record<string, unknown>;
  values: Record<string, unknown>;
  results: Record<string, Judgement>;
  bonus: BonusCompliance | null;
  frameworkVersion: number;
  correlationId: string | null;
}

export interface ReturnWithHistory {
  streamId: string;
  serviceId: string;
  period: Period;
  frameworkId: string;
  frameworkVersion: number;
  dueDate: string;
  submittedAt: string;
  submittedBy: string;
  late: boolean;
  amendments: number;
  values: Record<string, unknown>;
  results: Record<string, Judgement>;
  bonus: BonusCompliance | null;
  history: ReturnHistoryEntry[];
  /** Its sign-off (docs/decisions/0037); null for a return never in it (published as given). */
  signOff: ReturnSignOffHistory | null;
}

/** Where a return is in sign-off, and every step it took. */
export interface ReturnSignOffHistory {
  /** Where its latest figures are. */
  stage: SignOffStage;
  /** The amendment number of the figures published (0: as submitted); null while none are. */
  publishedAmendment: number | null;
  steps: SignOffHistoryStep[];
}

/** A verification, a sending back (with its reason) or a publication. */
export interface SignOffHistoryStep {
  kind: 'verified' | 'sent-back' | 'published';
  eventId: string;
  streamVersion: number;
  recordedAt: string;
  by: string;
  at: string;
  /** Which figures: 0 as submitted, n after the n-th amendment. */
  amendmentNumber: number;
  /** Why it was sent back: the text, or `{ erasedOn }`; null for the other steps. */
  reason: OpenedPersonalData | null;
  /** The data subject the reason is kept under; null without a reason. */
  dataSubjectId: string | null;
}

/** A service's return for a month with its whole history, for the asking tenant. */
export class ReadReturnHistory extends FeatureQuery<ReturnHistoryParams, ReturnWithHistory> {}

/** A stored monthly-return event: the domain event with where and when it was recorded. */
type RecordedReturnEvent = MonthlyReturnFiguresEvent & Omit<RecordedEvent, 'type' | 'data'>;
type RecordedSignOffEvent = MonthlyReturnSignOffEvent & Omit<RecordedEvent, 'type' | 'data'>;

const isReturnEvent = (event: RecordedEvent): event is RecordedEvent & RecordedReturnEvent =>
  event.type === 'MonthlyReturnSubmitted' || event.type === 'MonthlyReturnAmended';

const isSignOffEvent = (event: RecordedEvent): event is RecordedEvent & RecordedSignOffEvent =>
  event.type === 'MonthlyReturnVerified' ||
  event.type === 'MonthlyReturnSentBack' ||
  event.type === 'MonthlyReturnPublished';

/**
 * A service's return for a month with its whole history, read from the return's own stream
 * (not a read model): the submission and every amendment, with who, when and why (the reasons
 * opened from the vault in one query). A service the tenant does not have (another tenant's
 * alike) is not found as a service; one of its services without a return for the month is not
 * found as a return.
 */
export async function readReturnHistory(
  _db: Queryable,
  tenantId: string,
  { serviceId, period }: ReturnHistoryParams,
  { store, vault }: Pick<QueryReading, 'store'> & { vault: PersonalDataVault },
): Promise<ReturnWithHistory> {
  const streamId = streamIds.monthlyReturn(tenantId, serviceId, period);
  const events = (await store.readStream(streamId)).filter(
    // The stream id carries the tenant; checking the events too costs nothing.
    (event) => event.metadata.tenantId === tenantId,
  );
  const history = events.filter(isReturnEvent);
  const submission = history[0];
  const latest = history[history.length - 1];
  if (submission?.type !== 'MonthlyReturnSubmitted' || !latest) {
    await registeredService({ store, tenantId }, serviceId);
    throw new NotFoundError(`${serviceId} has no return for ${period}`);
  }
  const state = foldEvents(monthlyReturnDecider, events.map(toDomainEvent<MonthlyReturnEvent>));
  const steps = events.filter(isSignOffEvent);
  const [entries, stepEntries] = await withReasons(vault, tenantId, history, steps);
  return {
    streamId,
    serviceId,
    period,
    frameworkId: latest.data.frameworkId,
    frameworkVersion: latest.data.frameworkVersion,
    dueDate: submission.data.dueDate,
    submittedAt: submission.data.submittedAt,
    submittedBy: submission.data.submittedBy,
    late: submission.data.late,
    amendments: history.length - 1,
    values: latest.data.values,
    results: latest.data.results,
    bonus: latest.data.bonus,
    history: entries,
    signOff:
      state.status === 'submitted' && state.signOff !== null
        ? { ...state.signOff, steps: stepEntries }
        : null,
  };
}

/**
 * Each event as an entry of the history or of the sign-off, the reasons (amendments' and
 * sendings back's) opened in one query.
 */
async function withReasons(
  vault: PersonalDataVault,
  tenantId: string,
  history: readonly RecordedReturnEvent[],
  steps: readonly RecordedSignOffEvent[],
): Promise<[ReturnHistoryEntry[], SignOffHistoryStep[]]> {
  const withReason = [
    ...history.filter((event) => event.type === 'MonthlyReturnAmended'),
    ...steps.filter((event) => event.type === 'MonthlyReturnSentBack'),
  ];
  const reasons = await openReasons(
    vault,
    tenantId,
    withReason.map((event) => event.data.reason),
  );
  const reasonOf = new Map(withReason.map((event, index) => [event.eventId, reasons[index]!]));
  const noReason = { reason: null, dataSubjectId: null };
  return [
    history.map((event) => ({
      ...historyEntry(event),
      ...(reasonOf.get(event.eventId) ?? noReason),
    })),
    steps.map((event) => ({
      ...signOffEntry(event),
      ...(reasonOf.get(event.eventId) ?? noReason),
    })),
  ];
}

function signOffEntry(
  event: RecordedSignOffEvent,
): Omit<SignOffHistoryStep, 'reason' | 'dataSubjectId'> {
  const recorded = {
    eventId: event.eventId,
    streamVersion: event.streamVersion,
    recordedAt: event.recordedAt.toISOString(),
    amendmentNumber: event.data.amendmentNumber,
  };
  switch (event.type) {
    case 'MonthlyReturnVerified':
      return {
        ...recorded,
        kind: 'verified',
        by: event.data.verifiedBy,
        at: event.data.verifiedAt,
      };
    case 'MonthlyReturnSentBack':
      return {
        ...recorded,
        kind: 'sent-back',
        by: event.data.sentBackBy,
        at: event.data.sentBackAt,
      };
    case 'MonthlyReturnPublished':
      return {
        ...recorded,
        kind: 'published',
        by: event.data.publishedBy,
        at: event.data.publishedAt,
      };
    default: {
      const _unexpected: never = event;
      throw new Error('unreachable');
    }
  }
}

function historyEntry(
  event: RecordedReturnEvent,
): Omit<ReturnHistoryEntry, 'reason' | 'dataSubjectId'> {
  const recorded = {
    type: event.type,
    eventId: event.eventId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt.toISOString(),
    values: event.data.values,
    results: event.data.results,
    bonus: event.data.bonus,
    frameworkVersion: event.data.frameworkVersion,
    correlationId: event.metadata.correlationId,
  };
  switch (event.type) {
    case 'MonthlyReturnSubmitted':
      return {
        ...recorded,
        kind: 'submission',
        by: event.data.submittedBy,
        at: event.data.submittedAt,
        amendmentNumber: 0,
        changes: event.data.values,
      };
    case 'MonthlyReturnAmended':
      return {
        ...recorded,
        kind: 'amendment',
        by: event.data.amendedBy,
        at: event.data.amendedAt,
        amendmentNumber: event.data.amendmentNumber,
        changes: event.data.changes,
      };
    default: {
      const _unexpected: never = event;
      throw new Error('unreachable');
    }
  }
}
