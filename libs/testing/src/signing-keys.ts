import { generateKeyPairSync } from 'node:crypto';

/**
 * An `AUDIT_SIGNING_KEYS` value with a fresh Ed25519 key, for processes started in production
 * mode (which refuses to run without one).
 */
export function freshAuditSigningKeys(keyId = 'test-key'): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify([
    { keyId, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  ]);
}
