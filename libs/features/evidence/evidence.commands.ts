import { createHash } from 'node:crypto';
import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import {
  judgeEvidenceFile,
  type EvidenceFileRefusal,
  type EvidenceMediaType,
  type EvidenceTarget,
} from '@kpi/domain';
import { FeatureQuery } from '@kpi/projections';

/**
 * A file as uploaded, judged at the edge (its type from its bytes, its size) and hashed. The
 * bytes are a private field: a command's input is serialised for its idempotency key (the
 * command id), and what names the file there is its hash, not ten megabytes of bytes.
 */
export class UploadedFile {
  readonly #bytes: Buffer;
  readonly sha256: string;
  readonly size: number;

  private constructor(
    bytes: Buffer,
    readonly mediaType: EvidenceMediaType,
  ) {
    this.#bytes = bytes;
    this.sha256 = createHash('sha256').update(bytes).digest('hex');
    this.size = bytes.length;
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  /**
   * The file, or why it is refused (400 empty, 413 too large, 415 a type not accepted or one
   * its bytes do not bear out): docs/decisions/0040.
   */
  static judge(
    bytes: Buffer,
    claimedType: string | undefined,
    maxBytes: number,
  ): UploadedFile | EvidenceFileRefusal {
    const judgement = judgeEvidenceFile(bytes, claimedType, maxBytes);
    if (!judgement.accepted) {
      const { accepted: _accepted, ...refusal } = judgement;
      return refusal;
    }
    return new UploadedFile(bytes, judgement.mediaType);
  }
}

export interface AttachEvidenceInput {
  attachedTo: EvidenceTarget;
  file: UploadedFile;
  /** As the request gave it (checked by the decider): sealed with a personal file. */
  fileName?: string | null;
  /**
   * Whether the file holds personal data, and whose: `subjectId` a data subject already known
   * (a complainant's, a manager's); without one, a complaint's complainant, otherwise a new
   * subject for this file.
   */
  personalData?: { subjectId?: string } | null;
}

export interface EvidenceAttachedResult {
  streamId: string;
  evidenceId: string;
  sha256: string;
  size: number;
  mediaType: EvidenceMediaType;
  /** The data subject whose key the file is encrypted with; null for a file naming nobody. */
  dataSubjectId: string | null;
  replayed: boolean;
}

export interface DetachEvidenceInput {
  attachedTo: EvidenceTarget;
  evidenceId: EntityId;
}

export interface EvidenceDetachedResult {
  streamId: string;
  evidenceId: string;
  detachedAt: string;
  replayed: boolean;
}

export class AttachEvidence extends FeatureCommand<AttachEvidenceInput, EvidenceAttachedResult> {}

export class DetachEvidence extends FeatureCommand<DetachEvidenceInput, EvidenceDetachedResult> {}

/** A file's name as read: the text, null for none, or `{ erasedOn }` once its subject was erased. */
export type OpenedFileName = string | null | { erasedOn: string };

/** One file attached, as listed. */
export interface EvidenceListItem {
  evidenceId: string;
  sha256: string;
  size: number;
  mediaType: EvidenceMediaType;
  fileName: OpenedFileName;
  /** The data subject of a file holding personal data, and the day they were erased if they were. */
  personalData: { dataSubjectId: string; erasedOn: string | null } | null;
  attachedBy: string;
  attachedAt: string;
}

export interface EvidenceList {
  attachedTo: EvidenceTarget;
  files: EvidenceListItem[];
}

/** A file's bytes for download, checked against the hash its event holds. */
export interface EvidenceDownload {
  item: EvidenceListItem;
  bytes: Buffer;
}

/** The files attached (and not detached) to one record. */
export class ListEvidence extends FeatureQuery<{ attachedTo: EvidenceTarget }, EvidenceList> {}

/** One file attached to a record, with its bytes. */
export class ReadEvidenceFile extends FeatureQuery<
  { attachedTo: EvidenceTarget; evidenceId: string },
  EvidenceDownload
> {}
