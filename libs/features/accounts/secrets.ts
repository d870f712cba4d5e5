import { createHash, randomBytes } from 'node:crypto';

/** A new random 256-bit secret (session id, invitation token), URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a secret: its SHA-256, so a copy of the table opens no session. */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
