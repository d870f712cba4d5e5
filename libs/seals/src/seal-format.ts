import { canonicalJson } from '@kpi/event-store';

/** The format of what a seal signs; a verifier refuses any other. */
export const SEAL_FORMAT = 'kpi-ledger-seal/1';

/**
 * A seal, as the `LogSealed` event on `platform:seals` holds it: the Merkle root of every
 * stream's head once the log's transactions below `upToTransactionId` had all ended, signed.
 */
export interface LogSealedData {
  sealNumber: number;
  sealedAt: string;
  /**
   * Every event of a transaction below this id (PostgreSQL `xid8`, as text) is under the seal,
   * and none of a later one: the log as it stood, with nothing still being written below it.
   */
  upToTransactionId: string;
  /** The highest global position under the seal. */
  globalPosition: number;
  /** Streams under the seal (every stream with an event, the seals' own stream aside). */
  streams: number;
  /** Streams whose head moved since the seal before. */
  streamsChanged: number;
  /** The Merkle root over the heads (libs/audit-bundle's, each stream from version 1). */
  merkleRoot: string;
  keyId: string;
  /** Base64 Ed25519 signature over {@link sealStatement}. */
  signature: string;
}

/** The bytes a seal's signature is over: the RFC 8785 JSON of every field but the signature. */
export function sealStatement(seal: Omit<LogSealedData, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      format: SEAL_FORMAT,
      sealNumber: seal.sealNumber,
      sealedAt: seal.sealedAt,
      upToTransactionId: seal.upToTransactionId,
      globalPosition: seal.globalPosition,
      streams: seal.streams,
      streamsChanged: seal.streamsChanged,
      merkleRoot: seal.merkleRoot,
      keyId: seal.keyId,
    }),
    'utf8',
  );
}
