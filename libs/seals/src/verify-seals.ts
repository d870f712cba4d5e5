import type { SigningKeyRing } from '@kpi/audit-bundle';
import type { EventStore } from '@kpi/event-store';
import type { Queryable } from '@kpi/projections';
import { sealStatement, type LogSealedData } from './seal-format';
import { headsAtSeal, headsMerkleRoot, type SealedHead } from './seal-heads';
import { readSeals } from './seal-the-log';

/** Why a seal, or a stream against it, does not hold. */
export type SealProblemReason =
  /** The seal's signature is not its key's (or the key is not one of ours). */
  | 'seal-signature'
  /** The stream heads kept for the seal no longer give its signed Merkle root. */
  | 'sealed-heads-changed'
  /** The stream's event at its sealed version is missing or has another hash: rewritten. */
  | 'rewritten-before-seal'
  /** A seal written out of the database is missing from the log, or differs from it. */
  | 'seal-missing-from-log';

export interface SealProblem {
  sealNumber: number;
  reason: SealProblemReason;
  streamId?: string;
  version?: number;
  detail: string;
}

export interface SealVerificationReport {
  sealsChecked: number;
  /** The seal the streams were checked against (the last one), or null when there is none. */
  lastSeal: { sealNumber: number; sealedAt: string; merkleRoot: string } | null;
  streamsChecked: number;
  problems: SealProblem[];
}

export interface VerifySealsOptions {
  /** Seals kept out of the database (the seal file, a webhook's receiver), to compare. */
  externalSeals?: readonly LogSealedData[];
  /** Only these streams are checked against the last seal (every stream when left out). */
  streamFilter?: (streamId: string) => boolean;
}

/**
 * Checks the log against its seals: every seal's signature; that the heads kept for the last
 * seal still give its signed Merkle root; and that each stream's event at its sealed version
 * still has the sealed hash — so a stream rewritten before the seal, its hashes recomputed, is
 * named even though its own chain holds. Seals kept outside the database, when given, must each
 * be in the log unchanged (a seal deleted with the triggers off is found this way).
 */
export async function verifySeals(
  db: Queryable,
  store: EventStore,
  keys: SigningKeyRing,
  options: VerifySealsOptions = {},
): Promise<SealVerificationReport> {
  const seals = await readSeals(store);
  const problems: SealProblem[] = [];
  for (const seal of seals) {
    const { signature, ...unsigned } = seal;
    if (!keys.verifies(seal.keyId, sealStatement(unsigned), Buffer.from(signature, 'base64'))) {
      problems.push({
        sealNumber: seal.sealNumber,
        reason: 'seal-signature',
        detail: `seal ${seal.sealNumber}'s signature does not verify with key "${seal.keyId}" (unknown, or not the key that signed it)`,
      });
    }
  }
  const bySealNumber = new Map(seals.map((seal) => [seal.sealNumber, seal]));
  for (const external of options.externalSeals ?? []) {
    const inLog = bySealNumber.get(external.sealNumber);
    if (
      !inLog ||
      inLog.merkleRoot !== external.merkleRoot ||
      inLog.signature !== external.signature
    ) {
      problems.push({
        sealNumber: external.sealNumber,
        reason: 'seal-missing-from-log',
        detail: inLog
          ? `seal ${external.sealNumber} in the log differs from the copy kept outside it`
          : `seal ${external.sealNumber} (${external.sealedAt}) is kept outside the database but is not in the log`,
      });
    }
  }
  const last = seals.at(-1);
  if (!last) return { sealsChecked: 0, lastSeal: null, streamsChecked: 0, problems };

  const heads = await headsAtSeal(db, last.sealNumber);
  if (headsMerkleRoot(heads) !== last.merkleRoot || heads.length !== last.streams) {
    problems.push({
      sealNumber: last.sealNumber,
      reason: 'sealed-heads-changed',
      detail: `the stream heads kept for seal ${last.sealNumber} no longer give its signed Merkle root ${last.merkleRoot}`,
    });
  }
  const checked = options.streamFilter
    ? heads.filter((h) => options.streamFilter!(h.streamId))
    : heads;
  problems.push(...(await rewrittenStreams(db, checked, last.sealNumber)));
  return {
    sealsChecked: seals.length,
    lastSeal: { sealNumber: last.sealNumber, sealedAt: last.sealedAt, merkleRoot: last.merkleRoot },
    streamsChecked: checked.length,
    problems,
  };
}

/** The heads whose stored event at the sealed version is gone or has another hash, 5,000 a query. */
async function rewrittenStreams(
  db: Queryable,
  heads: readonly SealedHead[],
  sealNumber: number,
): Promise<SealProblem[]> {
  const problems: SealProblem[] = [];
  for (let start = 0; start < heads.length; start += 5000) {
    const batch = heads.slice(start, start + 5000);
    const { rows } = await db.query<{ stream_id: string; hash: string }>(
      `SELECT e.stream_id, e.hash
         FROM unnest($1::text[], $2::bigint[]) AS h(stream_id, version)
         JOIN events e ON e.stream_id = h.stream_id AND e.stream_version = h.version`,
      [batch.map((h) => h.streamId), batch.map((h) => h.version)],
    );
    const stored = new Map(rows.map((row) => [row.stream_id, row.hash]));
    for (const head of batch) {
      const now = stored.get(head.streamId);
      if (now === head.hash) continue;
      problems.push({
        sealNumber,
        reason: 'rewritten-before-seal',
        streamId: head.streamId,
        version: head.version,
        detail:
          now === undefined
            ? `${head.streamId} has no version ${head.version}, which seal ${sealNumber} sealed`
            : `${head.streamId} version ${head.version} has hash ${now}; seal ${sealNumber} sealed ${head.hash}: the stream was rewritten`,
      });
    }
  }
  return problems;
}
