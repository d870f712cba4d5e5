/**
 * Personal data kept apart from the event log (docs/audit-trail.md#personal-data-and-erasure):
 * what an event holds instead of the text. The text is encrypted with its data subject's key
 * in the personal-data vault; `ciphertextHash` (SHA-256 of that ciphertext, hex) is what ties
 * the event to it, so the hash chain proves which ciphertext the event meant, and still verifies
 * once the key is destroyed.
 */
export interface SealedPersonalData {
  /** The ciphertext's id in the vault (a UUID). */
  ref: string;
  /** Whose key it is encrypted with: erasing them makes it unreadable. */
  subjectId: string;
  ciphertextHash: string;
}

/**
 * Text that can name people, as an event holds it: sealed, or — in events stored before
 * personal data was kept apart (a complaint's schema version 1) — the text itself, which
 * stays as it was (stored events are never rewritten) and cannot be erased.
 */
export type PersonalText = string | SealedPersonalData;

export function isSealed(text: PersonalText | null | undefined): text is SealedPersonalData {
  return typeof text === 'object' && text !== null;
}

/**
 * A data subject's id: a person personal data is kept about, within one tenant. A complainant's
 * is a UUID (a new one per complaint unless the caller names an existing subject); a staff
 * member's is their staff id. The same id is the same person, whichever record names them.
 * Shaped like an entity id, as it becomes part of a stream id.
 */
export const DATA_SUBJECT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const DATA_SUBJECT_ID_RULE =
  'must be a data subject id: 1 to 63 lowercase letters, digits or - (a complainant’s is a UUID, a staff member’s their staff id)';

export function isDataSubjectId(value: unknown): value is string {
  return typeof value === 'string' && DATA_SUBJECT_ID.test(value);
}
