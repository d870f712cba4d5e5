import type { EvidenceMediaType } from './evidence-file.policy';
import type { EvidenceTarget } from './evidence.events';

/**
 * The evidence commands. The file has been judged at the edge (type from its magic numbers,
 * size) and hashed; the decider checks what depends on the attachments so far and the name.
 */
export interface AttachEvidence {
  type: 'AttachEvidence';
  data: {
    evidenceId: string;
    attachedTo: EvidenceTarget;
    sha256: string;
    size: number;
    mediaType: EvidenceMediaType;
    /** As the request gave it: checked here, sealed with a personal file by the use case. */
    fileName: unknown;
    /** The data subject whose key a personal file is encrypted with; null for none. */
    personalSubjectId: string | null;
    attachedBy: string;
    now: Date;
  };
}

export interface DetachEvidence {
  type: 'DetachEvidence';
  data: { evidenceId: string; detachedBy: string; now: Date };
}

export type EvidenceCommand = AttachEvidence | DetachEvidence;
