import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  londonDateOf,
  type PersonalText,
  type SealedPersonalData,
} from '@kpi/domain';
import {
  ciphertextHash,
  decryptBytes,
  decryptText,
  encryptBytes,
  encryptText,
  newWrappedDataKey,
  parseMasterKey,
  PersonalDataIntegrityError,
  unwrapDataKey,
  type EncryptedText,
  type SubjectOf,
} from './vault-crypto';

/** What the vault queries through: a pg Pool (or a client). */
export interface VaultDatabase {
  query<Row extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Row[] }>;
}

/** A sealed text opened: the text, or the day (London) its subject was erased. */
export type OpenedPersonalData = string | { erasedOn: string };

/** Sealed bytes (a file) opened: the bytes, or the day (London) their subject was erased. */
export type OpenedPersonalBytes = Buffer | { erasedOn: string };

export interface SealInput extends SubjectOf {
  /**
   * The texts, each with the ref to keep it under, or none for a new random one. A ref derived
   * from the command (the same on a retry) seals once: sealing it again answers what was sealed.
   */
  plaintexts: readonly { ref?: string; plaintext: string }[];
}

interface KeyRow {
  wrapped_key: Buffer | null;
  erased_at: Date | null;
}

interface CiphertextRow {
  ref: string;
  tenant_id: string;
  subject_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
}

/**
 * Personal data kept apart from the event log (docs/decisions/0032): each text encrypted with
 * its data subject's key, in `personal_data`; the keys wrapped by the master key, in
 * `data_subject_keys`. An event holds only a {@link SealedPersonalData}. Erasing a subject
 * ({@link eraseDataSubject}) destroys their key, after which their texts open as `{ erasedOn }`.
 */
export class PersonalDataVault {
  private readonly masterKey: Buffer;

  /** `masterKey`: PERSONAL_DATA_KEY, 32 bytes in base64. */
  constructor(
    private readonly db: VaultDatabase,
    masterKey: string,
  ) {
    this.masterKey = parseMasterKey(masterKey);
  }

  /**
   * Encrypts texts of one subject (their key is made on first use) in two round trips, and
   * answers what an event should hold of each. A subject already erased keeps nothing new:
   * ConflictError (409).
   */
  async seal({ tenantId, subjectId, plaintexts }: SealInput): Promise<SealedPersonalData[]> {
    if (plaintexts.length === 0) return [];
    const subject = { tenantId, subjectId };
    const dataKey = await this.dataKeyOf(subject);
    const sealed = plaintexts.map(({ ref = randomUUID(), plaintext }) => ({
      ref,
      encrypted: encryptText(dataKey, plaintext, { ...subject, ref }),
    }));
    const { rows } = await this.db.query<{ ref: string }>(
      `INSERT INTO personal_data (ref, tenant_id, subject_id, iv, ciphertext, auth_tag)
       SELECT ref, $2, $3, iv, ciphertext, auth_tag
         FROM unnest($1::uuid[], $4::bytea[], $5::bytea[], $6::bytea[]) AS s(ref, iv, ciphertext, auth_tag)
       ON CONFLICT (ref) DO NOTHING
       RETURNING ref`,
      [
        sealed.map((s) => s.ref),
        tenantId,
        subjectId,
        sealed.map((s) => s.encrypted.iv),
        sealed.map((s) => s.encrypted.ciphertext),
        sealed.map((s) => s.encrypted.authTag),
      ],
    );
    const written = new Set(rows.map((row) => row.ref));
    const earlier = await this.sealedBefore(
      subject,
      sealed.filter((s) => !written.has(s.ref)).map((s) => s.ref),
    );
    return sealed.map(({ ref, encrypted }) => ({
      ref,
      subjectId,
      ciphertextHash: ciphertextHash(earlier.get(ref) ?? encrypted),
    }));
  }

  /**
   * Seals texts under a subject made for them (a new id per record, derived from the command):
   * the subject's key and the ciphertexts in one statement. When the subject has a key already
   * (the command retried after its append failed, or an id named before), sealed as
   * {@link seal} does: the same answer, an erased subject refused (409).
   */
  async sealForNewSubject({
    tenantId,
    subjectId,
    plaintexts,
  }: SealInput): Promise<SealedPersonalData[]> {
    if (plaintexts.length === 0) return [];
    const subject = { tenantId, subjectId };
    const wrappedKey = newWrappedDataKey(this.masterKey, subject);
    const dataKey = unwrapDataKey(this.masterKey, wrappedKey, subject);
    const sealed = plaintexts.map(({ ref = randomUUID(), plaintext }) => ({
      ref,
      plaintext,
      encrypted: encryptText(dataKey, plaintext, { ...subject, ref }),
    }));
    // The texts go in only with a key this statement made (a cross join with what it inserted).
    const { rows } = await this.db.query<{ ref: string }>(
      `WITH made AS (
         INSERT INTO data_subject_keys (tenant_id, subject_id, wrapped_key) VALUES ($2, $3, $7)
         ON CONFLICT (tenant_id, subject_id) DO NOTHING
         RETURNING tenant_id, subject_id)
       INSERT INTO personal_data (ref, tenant_id, subject_id, iv, ciphertext, auth_tag)
       SELECT s.ref, made.tenant_id, made.subject_id, s.iv, s.ciphertext, s.auth_tag
         FROM made, unnest($1::uuid[], $4::bytea[], $5::bytea[], $6::bytea[]) AS s(ref, iv, ciphertext, auth_tag)
       ON CONFLICT (ref) DO NOTHING
       RETURNING ref`,
      [
        sealed.map((s) => s.ref),
        tenantId,
        subjectId,
        sealed.map((s) => s.encrypted.iv),
        sealed.map((s) => s.encrypted.ciphertext),
        sealed.map((s) => s.encrypted.authTag),
        wrappedKey,
      ],
    );
    if (rows.length < sealed.length) {
      return this.seal({ tenantId, subjectId, plaintexts: sealed });
    }
    return sealed.map(({ ref, encrypted }) => ({
      ref,
      subjectId,
      ciphertextHash: ciphertextHash(encrypted),
    }));
  }

  /**
   * Opens sealed texts of a tenant in one query: each ref's text, or `{ erasedOn }` once its
   * subject is erased. A ciphertext missing, or not the one its event names (its hash), or
   * not authenticating, is refused ({@link PersonalDataIntegrityError}), never shown.
   */
  async open(
    tenantId: string,
    sealed: readonly SealedPersonalData[],
  ): Promise<Map<string, OpenedPersonalData>> {
    const opened = new Map<string, OpenedPersonalData>();
    if (sealed.length === 0) return opened;
    const { rows } = await this.db.query<CiphertextRow & KeyRow>(
      `SELECT p.ref, p.tenant_id, p.subject_id, p.iv, p.ciphertext, p.auth_tag,
              k.wrapped_key, k.erased_at
         FROM personal_data p JOIN data_subject_keys k USING (tenant_id, subject_id)
        WHERE p.tenant_id = $1 AND p.ref = ANY($2::uuid[])`,
      [tenantId, [...new Set(sealed.map((s) => s.ref))]],
    );
    const byRef = new Map(rows.map((row) => [row.ref, row]));
    const dataKeys = new Map<string, Buffer>();
    for (const { ref, subjectId, ciphertextHash: hash } of sealed) {
      const row = byRef.get(ref);
      if (!row || row.subject_id !== subjectId || ciphertextHash(encryptedOf(row)) !== hash) {
        throw new PersonalDataIntegrityError(`Personal data ${ref} as its event names it`);
      }
      if (row.erased_at) {
        opened.set(ref, { erasedOn: londonDateOf(row.erased_at) });
        continue;
      }
      const subject = { tenantId, subjectId };
      let dataKey = dataKeys.get(subjectId);
      if (!dataKey) {
        // A key row has its wrapped key until it is erased (a CHECK constraint).
        dataKey = unwrapDataKey(this.masterKey, row.wrapped_key!, subject);
        dataKeys.set(subjectId, dataKey);
      }
      opened.set(ref, decryptText(dataKey, encryptedOf(row), { ...subject, ref }));
    }
    return opened;
  }

  /**
   * Encrypts a file's bytes under its subject's key (made on first use), kept under `ref`: a
   * ref sealed before (the same file of the same subject, or a retry) is not written again and
   * answers what was sealed. An erased subject keeps nothing new: ConflictError (409).
   */
  async sealBytes({
    tenantId,
    subjectId,
    ref,
    bytes,
  }: SubjectOf & { ref: string; bytes: Buffer }): Promise<SealedPersonalData> {
    const subject = { tenantId, subjectId };
    const dataKey = await this.dataKeyOf(subject);
    const encrypted = encryptBytes(dataKey, bytes, { ...subject, ref });
    const { rows } = await this.db.query<{ ref: string }>(
      `INSERT INTO personal_data (ref, tenant_id, subject_id, iv, ciphertext, auth_tag)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (ref) DO NOTHING
       RETURNING ref`,
      [ref, tenantId, subjectId, encrypted.iv, encrypted.ciphertext, encrypted.authTag],
    );
    const earlier =
      rows.length === 1
        ? new Map<string, EncryptedText>()
        : await this.sealedBefore(subject, [ref]);
    return { ref, subjectId, ciphertextHash: ciphertextHash(earlier.get(ref) ?? encrypted) };
  }

  /**
   * Opens one sealed file of a tenant: its bytes, or `{ erasedOn }` once its subject is erased.
   * Refused as {@link open} refuses a text ({@link PersonalDataIntegrityError}).
   */
  async openBytes(tenantId: string, sealed: SealedPersonalData): Promise<OpenedPersonalBytes> {
    const { rows } = await this.db.query<CiphertextRow & KeyRow>(
      `SELECT p.ref, p.tenant_id, p.subject_id, p.iv, p.ciphertext, p.auth_tag,
              k.wrapped_key, k.erased_at
         FROM personal_data p JOIN data_subject_keys k USING (tenant_id, subject_id)
        WHERE p.tenant_id = $1 AND p.ref = $2::uuid`,
      [tenantId, sealed.ref],
    );
    const row = rows[0];
    if (
      !row ||
      row.subject_id !== sealed.subjectId ||
      ciphertextHash(encryptedOf(row)) !== sealed.ciphertextHash
    ) {
      throw new PersonalDataIntegrityError(`Personal data ${sealed.ref} as its event names it`);
    }
    if (row.erased_at) return { erasedOn: londonDateOf(row.erased_at) };
    const subject = { tenantId, subjectId: sealed.subjectId };
    const dataKey = unwrapDataKey(this.masterKey, row.wrapped_key!, subject);
    return decryptBytes(dataKey, encryptedOf(row), { ...subject, ref: sealed.ref });
  }

  /**
   * Which of these subjects of a tenant are erased, each with the day (London) it was done, in
   * one query: for personal data a feature keeps in a table of its own (an account's email) and
   * clears on erasure, so its reads can say so as the vault's do (`{ erasedOn }`).
   */
  async erasures(tenantId: string, subjectIds: readonly string[]): Promise<Map<string, string>> {
    if (subjectIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ subject_id: string; erased_at: Date }>(
      `SELECT subject_id, erased_at FROM data_subject_keys
        WHERE tenant_id = $1 AND subject_id = ANY($2::text[]) AND erased_at IS NOT NULL`,
      [tenantId, [...new Set(subjectIds)]],
    );
    return new Map(rows.map((row) => [row.subject_id, londonDateOf(row.erased_at)]));
  }

  /** The subject's data key, made and stored (wrapped) if they have none yet. */
  private async dataKeyOf(subject: SubjectOf): Promise<Buffer> {
    const candidate = newWrappedDataKey(this.masterKey, subject);
    // Inserted, or the row already there; none when another transaction inserted it after this
    // statement's snapshot was taken: then ask again.
    for (let attempt = 1; ; attempt++) {
      const { rows } = await this.db.query<KeyRow>(
        `WITH inserted AS (
           INSERT INTO data_subject_keys (tenant_id, subject_id, wrapped_key) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, subject_id) DO NOTHING
           RETURNING wrapped_key, erased_at)
         SELECT wrapped_key, erased_at FROM inserted
         UNION ALL
         SELECT wrapped_key, erased_at FROM data_subject_keys WHERE tenant_id = $1 AND subject_id = $2`,
        [subject.tenantId, subject.subjectId, candidate],
      );
      const row = rows[0];
      if (!row) {
        if (attempt < 3) continue;
        throw new Error(`The key of data subject ${subject.subjectId} could not be read`);
      }
      if (row.erased_at) {
        const erasedOn = londonDateOf(row.erased_at);
        throw new ConflictError(
          `Data subject ${subject.subjectId} was erased on ${erasedOn}: nothing more is kept about them`,
          { subjectId: subject.subjectId, erasedOn },
        );
      }
      return unwrapDataKey(this.masterKey, row.wrapped_key!, subject);
    }
  }

  /** Ciphertexts sealed already under these refs (a retried command), checked to be the subject's. */
  private async sealedBefore(
    subject: SubjectOf,
    refs: readonly string[],
  ): Promise<Map<string, EncryptedText>> {
    if (refs.length === 0) return new Map();
    const { rows } = await this.db.query<CiphertextRow>(
      `SELECT ref, tenant_id, subject_id, iv, ciphertext, auth_tag
         FROM personal_data WHERE ref = ANY($1::uuid[])`,
      [refs],
    );
    for (const row of rows) {
      if (row.tenant_id !== subject.tenantId || row.subject_id !== subject.subjectId) {
        throw new ConflictError(`Personal data ${row.ref} is sealed for another data subject`);
      }
    }
    return new Map(rows.map((row) => [row.ref, encryptedOf(row)]));
  }
}

/** A text as an event holds it, opened: plain text of an old event as it is, a sealed one from `opened`. */
export function openedText(
  text: PersonalText,
  opened: ReadonlyMap<string, OpenedPersonalData>,
): OpenedPersonalData {
  if (typeof text === 'string') return text;
  const found = opened.get(text.ref);
  if (found === undefined) throw new Error(`Personal data ${text.ref} was not opened`);
  return found;
}

const encryptedOf = (row: CiphertextRow): EncryptedText => ({
  iv: row.iv,
  ciphertext: row.ciphertext,
  authTag: row.auth_tag,
});
