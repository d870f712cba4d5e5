import type { SigningKeyRing } from '@kpi/audit-bundle';
import type { PostgresEventStore } from '@kpi/event-store';
import { repeatingJobs, type RepeatingJobs, type RepeatingJobsOptions } from '@kpi/scheduling';
import { publishSeal, sealTheLog, type SealOutlets } from '@kpi/seals';
import type { Pool } from 'pg';

/** The BullMQ queue of the worker's seals. */
export const SEALING_QUEUE = 'sealing';

/** The job that seals the log (docs/decisions/0035). */
export const SEAL_THE_LOG = 'seal-the-log';

export interface SealingOptions extends RepeatingJobsOptions {
  keys: SigningKeyRing;
  outlets: SealOutlets;
  everyMs: number;
}

/**
 * Seals the log every `everyMs` (one worker does each run): the heads of the streams that moved
 * are kept, their Merkle root over every stream is signed and appended as `LogSealed`, then the
 * seal is written out of the database (the seal file, the webhook) when those are set.
 */
export function sealing(
  pool: Pool,
  store: PostgresEventStore,
  options: SealingOptions,
): RepeatingJobs {
  const { keys, outlets, everyMs, ...queueOptions } = options;
  return repeatingJobs(
    SEALING_QUEUE,
    [
      {
        name: SEAL_THE_LOG,
        everyMs,
        run: async (now) => {
          const seal = await sealTheLog(pool, store, keys.current, now);
          if (seal) await publishSeal(seal, outlets);
          return seal ? { sealNumber: seal.sealNumber, streams: seal.streams } : null;
        },
      },
    ],
    queueOptions,
  );
}
