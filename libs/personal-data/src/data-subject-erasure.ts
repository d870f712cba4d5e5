import {
  eventIdFor,
  FeatureCommand,
  metadataOf,
  toDomainEvent,
  type CommandContext,
} from '@kpi/command-handling';
import {
  dataSubjectDecider,
  foldEvents,
  londonDateOf,
  NotFoundError,
  streamIds,
  type DataSubjectErased,
  type DataSubjectEvent,
  type ErasureReason,
} from '@kpi/domain';
import type { RecordedEvent, TransactionalEventStore } from '@kpi/event-store';
import type { Pool, PoolClient } from 'pg';

export interface EraseDataSubjectInput {
  subjectId: string;
  /** One of ERASURE_REASONS: checked by the decider, naming `reason`. */
  reason: ErasureReason;
}

/** A data subject erased: the event in the trail, and the day (London) reads now show. */
export interface DataSubjectErasure {
  streamId: string;
  subjectId: string;
  reason: ErasureReason;
  erasedAt: string;
  erasedOn: string;
  /** True when this request had been carried out before (same Idempotency-Key). */
  replayed: boolean;
}

export class EraseDataSubject extends FeatureCommand<EraseDataSubjectInput, DataSubjectErasure> {}

/**
 * Erasure needs the store's transactions (the event and the key's destruction commit together)
 * and the pool to open one on.
 */
export interface ErasureContext extends CommandContext {
  store: TransactionalEventStore<PoolClient>;
  pool: Pool;
  /** What else goes with the subject, in the same transaction ({@link AlsoErase}). */
  alsoErase?: readonly AlsoErase[];
}

/**
 * Personal data a feature keeps about a subject outside the vault — in a mutable table of its
 * own, because it must stay usable as it is (an account's email, which signs in) — erased with
 * them: run in the erasure's transaction (`tx`) after the key is destroyed, so when one fails
 * nothing is erased; nothing to do for a subject the feature knows nothing about. It may append
 * events of its own with `context.store.appendInTransaction(tx, …)`.
 */
export type AlsoErase = (
  tx: PoolClient,
  context: ErasureContext,
  subjectId: string,
) => Promise<void>;

/**
 * Erases a data subject of the tenant: overwrites their key with NULL (everything sealed with it
 * becomes unreadable for good), appends `DataSubjectErased` to their stream and erases what
 * features keep about them elsewhere (`alsoErase`), in one transaction, so the trail says so
 * exactly when it happened. 404 for a subject the tenant keeps
 * nothing about, 409 once erased; a retried request answers the first erasure, replayed.
 */
export async function eraseDataSubject(
  context: ErasureContext,
  { subjectId, reason }: EraseDataSubjectInput,
): Promise<DataSubjectErasure> {
  const streamId = streamIds.dataSubject(context.tenantId, subjectId);
  const client = await context.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT 1 FROM data_subject_keys WHERE tenant_id = $1 AND subject_id = $2 FOR UPDATE`,
      [context.tenantId, subjectId],
    );
    if (rows.length === 0) throw new NotFoundError(`No data subject ${subjectId}`);
    // Read under the row lock: nobody else erases this subject meanwhile.
    const history = await context.store.readStream(streamId);
    const earlier = history.find((event) => event.metadata.commandId === context.commandId);
    if (earlier) {
      await client.query('ROLLBACK');
      return erasureOf(streamId, earlier, true);
    }
    const [erased] = dataSubjectDecider.decide(
      {
        type: 'EraseDataSubject',
        data: { subjectId, reason, erasedBy: context.actor, now: context.now },
      },
      foldEvents(dataSubjectDecider, history.map(toDomainEvent<DataSubjectEvent>)),
    ) as [DataSubjectErased];
    await context.store.appendInTransaction(
      client,
      streamId,
      [
        {
          eventId: eventIdFor(context.commandId, streamId, 0),
          type: erased.type,
          data: erased.data,
          metadata: metadataOf(context),
        },
      ],
      history.length === 0 ? 'no-stream' : history[history.length - 1]!.streamVersion,
    );
    await client.query(
      `UPDATE data_subject_keys
          SET wrapped_key = NULL, erased_at = $3, erased_by = $4, erasure_reason = $5
        WHERE tenant_id = $1 AND subject_id = $2`,
      [context.tenantId, subjectId, context.now, context.actor, erased.data.reason],
    );
    for (const erase of context.alsoErase ?? []) await erase(client, context, subjectId);
    await client.query('COMMIT');
    return erasureOf(streamId, erased, false);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function erasureOf(
  streamId: string,
  { data }: Pick<RecordedEvent, 'data'> | DataSubjectErased,
  replayed: boolean,
): DataSubjectErasure {
  const { subjectId, reason, erasedAt } = data as DataSubjectErased['data'];
  return {
    streamId,
    subjectId,
    reason,
    erasedAt,
    erasedOn: londonDateOf(new Date(erasedAt)),
    replayed,
  };
}
