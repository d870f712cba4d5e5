import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** One Ed25519 key of `AUDIT_SIGNING_KEYS`: exactly one of the two PEMs. */
export interface AuditSigningKeyConfig {
  /** Names the key in signatures and in the published key set. */
  keyId: string;
  /** PKCS#8 PEM of a private key: the key can sign (the first of the list does). */
  privateKeyPem?: string;
  /** SPKI PEM of a public key: a retired key, kept so that what it signed still verifies. */
  publicKeyPem?: string;
}

/**
 * The key development and test machines sign with when `AUDIT_SIGNING_KEYS` is unset. Its
 * private key is derived from a sentence printed here, so anyone can forge what it signs: a
 * bundle signed with it proves nothing, and production refuses it.
 */
export const DEVELOPMENT_SIGNING_KEY_ID = 'development-only-not-secret';
const DEVELOPMENT_SEED = createHash('sha256')
  .update('kpi-ledger development signing key: anyone can derive it, never use it for evidence')
  .digest();
/** A PKCS#8 Ed25519 private key is this DER prefix followed by its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const developmentPrivateKey = createPrivateKey({
  key: Buffer.concat([ED25519_PKCS8_PREFIX, DEVELOPMENT_SEED]),
  format: 'der',
  type: 'pkcs8',
});

export const DEVELOPMENT_SIGNING_KEYS: readonly AuditSigningKeyConfig[] = Object.freeze([
  {
    keyId: DEVELOPMENT_SIGNING_KEY_ID,
    privateKeyPem: developmentPrivateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  },
]);

const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const SHAPE =
  'must be a JSON list of {"keyId", "privateKeyPem"} (Ed25519, PKCS#8 PEM; the first signs) or ' +
  '{"keyId", "publicKeyPem"} (a retired key that only verifies)';

/**
 * `AUDIT_SIGNING_KEYS`: the Ed25519 keys evidence bundles are signed with. Unset: null (the
 * caller decides between the development key and refusing).
 */
export const auditSigningKeysSchema = z
  .string()
  .optional()
  .transform((raw, ctx): AuditSigningKeyConfig[] | null => {
    if (raw === undefined || raw.trim() === '') return null;
    const problem = (message: string) => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return problem(`${SHAPE} (it is not JSON)`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return problem(`${SHAPE} (got no list)`);
    const keys: AuditSigningKeyConfig[] = [];
    for (const [index, entry] of parsed.entries()) {
      const key = readKey(entry, index);
      if (typeof key === 'string') return problem(key);
      if (keys.some((k) => k.keyId === key.keyId)) {
        return problem(`has the key id "${key.keyId}" twice`);
      }
      keys.push(key);
    }
    if (keys[0]!.privateKeyPem === undefined) {
      return problem(`must start with a private key: the first key "${keys[0]!.keyId}" signs`);
    }
    return keys;
  });

/** The key, or what is wrong with it. */
function readKey(entry: unknown, index: number): AuditSigningKeyConfig | string {
  const at = `key ${index + 1}`;
  if (typeof entry !== 'object' || entry === null) return `${SHAPE} (${at} is not an object)`;
  const { keyId, privateKeyPem, publicKeyPem, ...rest } = entry as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return `${at} has unknown fields: ${extra.join(', ')}`;
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) {
    return `${at} needs a keyId of 1 to 64 letters, digits, . _ : or -`;
  }
  if ((privateKeyPem === undefined) === (publicKeyPem === undefined)) {
    return `key "${keyId}" needs exactly one of privateKeyPem and publicKeyPem`;
  }
  const pem = privateKeyPem ?? publicKeyPem;
  if (typeof pem !== 'string') return `key "${keyId}": the PEM must be a string`;
  let key: KeyObject;
  try {
    key = privateKeyPem === undefined ? createPublicKey(pem) : createPrivateKey(pem);
  } catch {
    return `key "${keyId}" is not a readable ${privateKeyPem === undefined ? 'public' : 'private'} key PEM`;
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    return `key "${keyId}" is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`;
  }
  return privateKeyPem === undefined ? { keyId, publicKeyPem: pem } : { keyId, privateKeyPem: pem };
}

/** Whether a configured key is the development key (by id or by its public key). */
export function isDevelopmentKey(key: AuditSigningKeyConfig): boolean {
  if (key.keyId === DEVELOPMENT_SIGNING_KEY_ID) return true;
  const pem = key.privateKeyPem ?? key.publicKeyPem!;
  const publicKey = createPublicKey(pem).export({ format: 'der', type: 'spki' });
  const developmentPublicKey = createPublicKey(developmentPrivateKey).export({
    format: 'der',
    type: 'spki',
  });
  return publicKey.equals(developmentPublicKey);
}
