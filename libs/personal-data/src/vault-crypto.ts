import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * The vault's cryptography, pure (no database): AES-256-GCM throughout, with node:crypto.
 * - Each data subject has a data key of 32 random bytes, stored only wrapped (encrypted) by the
 *   master key, with the tenant and subject as additional data: a wrapped key copied to another
 *   subject's row does not open.
 * - Each text is encrypted with its subject's data key and a random 96-bit IV, with its ref,
 *   tenant and subject as additional data: a ciphertext moved to another ref does not open.
 * - GCM's 128-bit tag authenticates both: a changed byte, a short tag or the wrong master key
 *   is refused ({@link PersonalDataIntegrityError}), never decrypted into garbage.
 */

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A wrapped key as stored: IV, tag, then the encrypted 32-byte data key. */
const WRAPPED_KEY_BYTES = IV_BYTES + TAG_BYTES + KEY_BYTES;

/** A wrapped key or a ciphertext that does not authenticate: changed, moved or truncated, or
 * sealed under another master key. */
export class PersonalDataIntegrityError extends Error {
  constructor(what: string) {
    super(
      `${what} does not authenticate: it was changed or moved, or PERSONAL_DATA_KEY is not the key it was sealed with`,
    );
    this.name = 'PersonalDataIntegrityError';
  }
}

/** Whose data it is: a key is wrapped, and a text encrypted, for one subject of one tenant. */
export interface SubjectOf {
  tenantId: string;
  subjectId: string;
}

/** A text as the vault stores it. */
export interface EncryptedText {
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/** The master key from its configuration (32 bytes, base64). */
export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new Error('PERSONAL_DATA_KEY must be 32 bytes in base64');
  return key;
}

/** A new data key for a subject, wrapped by the master key: what `data_subject_keys` keeps. */
export function newWrappedDataKey(masterKey: Buffer, subject: SubjectOf): Buffer {
  const { iv, ciphertext, authTag } = encrypt(
    masterKey,
    randomBytes(KEY_BYTES),
    additionalData('data-key', subject.tenantId, subject.subjectId),
  );
  return Buffer.concat([iv, authTag, ciphertext]);
}

/** The subject's data key, unwrapped; refuses a wrapped key that does not authenticate. */
export function unwrapDataKey(masterKey: Buffer, wrapped: Buffer, subject: SubjectOf): Buffer {
  const what = `The key of data subject ${subject.subjectId}`;
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new PersonalDataIntegrityError(what);
  const encrypted = {
    iv: wrapped.subarray(0, IV_BYTES),
    authTag: wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: wrapped.subarray(IV_BYTES + TAG_BYTES),
  };
  return decrypt(
    masterKey,
    encrypted,
    additionalData('data-key', subject.tenantId, subject.subjectId),
    what,
  );
}

/** A text encrypted with its subject's data key, bound to its ref. */
export function encryptText(
  dataKey: Buffer,
  plaintext: string,
  at: SubjectOf & { ref: string },
): EncryptedText {
  return encrypt(
    dataKey,
    Buffer.from(plaintext, 'utf8'),
    additionalData('text', at.tenantId, at.subjectId, at.ref),
  );
}

/** The text back; refuses a ciphertext that does not authenticate. */
export function decryptText(
  dataKey: Buffer,
  encrypted: EncryptedText,
  at: SubjectOf & { ref: string },
): string {
  return decrypt(
    dataKey,
    encrypted,
    additionalData('text', at.tenantId, at.subjectId, at.ref),
    `Personal data ${at.ref}`,
  ).toString('utf8');
}

/**
 * A file's bytes encrypted with its subject's data key, bound to its ref (as a text is, under
 * another label: a text's ciphertext does not open as a file's, nor the other way round).
 */
export function encryptBytes(
  dataKey: Buffer,
  plaintext: Buffer,
  at: SubjectOf & { ref: string },
): EncryptedText {
  return encrypt(dataKey, plaintext, additionalData('bytes', at.tenantId, at.subjectId, at.ref));
}

/** The bytes back; refuses a ciphertext that does not authenticate. */
export function decryptBytes(
  dataKey: Buffer,
  encrypted: EncryptedText,
  at: SubjectOf & { ref: string },
): Buffer {
  return decrypt(
    dataKey,
    encrypted,
    additionalData('bytes', at.tenantId, at.subjectId, at.ref),
    `Personal data ${at.ref}`,
  );
}

/**
 * What an event holds of its ciphertext: hex SHA-256 of IV, ciphertext and tag, concatenated
 * in that order. Anyone with the `personal_data` row can recompute it, key or no key.
 */
export function ciphertextHash({ iv, ciphertext, authTag }: EncryptedText): string {
  return createHash('sha256').update(iv).update(ciphertext).update(authTag).digest('hex');
}

/** How a secret sealed at rest starts: the format's version. */
const SEALED_SECRET_PREFIX = 'sealed-v1:';

/**
 * A secret the system must send on (an identity provider's client secret), sealed at rest under
 * the master key, bound to its purpose and tenant: `sealed-v1:` then IV, tag and ciphertext in
 * base64url. A database dump alone does not give it away; a sealed value copied to another
 * tenant's row does not open.
 */
export function sealSecret(
  masterKey: Buffer,
  plaintext: string,
  at: { purpose: string; tenantId: string },
): string {
  const { iv, ciphertext, authTag } = encrypt(
    masterKey,
    Buffer.from(plaintext, 'utf8'),
    additionalData('secret', at.purpose, at.tenantId),
  );
  return SEALED_SECRET_PREFIX + Buffer.concat([iv, authTag, ciphertext]).toString('base64url');
}

/**
 * The secret back. A value without the prefix was stored in clear before secrets were sealed
 * and is given back as it is (it is sealed when next saved); one that does not authenticate is
 * refused ({@link PersonalDataIntegrityError}).
 */
export function openSecret(
  masterKey: Buffer,
  stored: string,
  at: { purpose: string; tenantId: string },
): string {
  if (!stored.startsWith(SEALED_SECRET_PREFIX)) return stored;
  const bytes = Buffer.from(stored.slice(SEALED_SECRET_PREFIX.length), 'base64url');
  return decrypt(
    masterKey,
    {
      iv: bytes.subarray(0, IV_BYTES),
      authTag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
      ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
    },
    additionalData('secret', at.purpose, at.tenantId),
    `The ${at.purpose} of ${at.tenantId}`,
  ).toString('utf8');
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): EncryptedText {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

function decrypt(
  key: Buffer,
  { iv, ciphertext, authTag }: EncryptedText,
  aad: Buffer,
  what: string,
) {
  if (iv.length !== IV_BYTES || authTag.length !== TAG_BYTES) {
    throw new PersonalDataIntegrityError(what);
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new PersonalDataIntegrityError(what);
  }
}

/** What a ciphertext is bound to, unambiguously (a JSON array of its parts). */
function additionalData(...parts: string[]): Buffer {
  return Buffer.from(JSON.stringify(parts), 'utf8');
}
