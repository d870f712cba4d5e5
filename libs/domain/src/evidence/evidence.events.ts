import type { PersonalText, SealedPersonalData } from '../data-subject/personal-data';
import type { EvidenceMediaType } from './evidence-file.policy';

/** What evidence can be attached to. */
export const EVIDENCE_TARGET_KINDS = [
  'monthly-return',
  'complaint',
  'capability-review',
  'action',
] as const;
export type EvidenceTargetKind = (typeof EVIDENCE_TARGET_KINDS)[number];

/**
 * What a file is evidence for: a service's monthly return (service and month), a complaint, a
 * capability review, or an action (actions are a feature of their own; any id is taken).
 */
export type EvidenceTarget =
  | { kind: 'monthly-return'; serviceId: string; period: string }
  | { kind: 'complaint'; complaintId: string }
  | { kind: 'capability-review'; reviewId: string }
  | { kind: 'action'; actionId: string };

/** The key of a target within its kind: its stream's last part. */
export function evidenceTargetKey(target: EvidenceTarget): string {
  switch (target.kind) {
    case 'monthly-return':
      return `${target.serviceId}:${target.period}`;
    case 'complaint':
      return target.complaintId;
    case 'capability-review':
      return target.reviewId;
    case 'action':
      return target.actionId;
    default: {
      const unexpected: never = target;
      return unexpected;
    }
  }
}

/**
 * A file holding personal data: its bytes are encrypted with the data subject's key in the
 * personal-data vault (docs/decisions/0032), so erasing the subject makes the file unreadable.
 * `content` ties the event to that ciphertext as a sealed text does.
 */
export interface PersonalEvidence {
  subjectId: string;
  /**
   * The ciphertext of the bytes in the vault. Null only between the decision and the append (the
   * use case seals the bytes then, so a refused command seals nothing): stored events hold it.
   */
  content: SealedPersonalData | null;
}

/**
 * A file attached as evidence (docs/decisions/0040). `sha256` is the hex SHA-256 of the file's
 * bytes — its address in the evidence store, and what a download is checked against; it stays
 * true of the file after an erasure, so the trail still proves which file was attached. The
 * file's name can name people: sealed under the data subject for a personal file, text otherwise.
 */
export interface EvidenceAttached {
  type: 'EvidenceAttached';
  data: {
    evidenceId: string;
    attachedTo: EvidenceTarget;
    sha256: string;
    size: number;
    mediaType: EvidenceMediaType;
    fileName: PersonalText | null;
    /** Null for a file that names nobody (stored once per tenant and hash, in the clear). */
    personalData: PersonalEvidence | null;
    attachedBy: string;
    attachedAt: string;
  };
}

/** A file taken off what it was attached to: no longer listed or downloadable; the bytes stay. */
export interface EvidenceDetached {
  type: 'EvidenceDetached';
  data: {
    evidenceId: string;
    attachedTo: EvidenceTarget;
    detachedBy: string;
    detachedAt: string;
  };
}

export type EvidenceEvent = EvidenceAttached | EvidenceDetached;
