import {
  evidenceDecider,
  foldEvents,
  isSealed,
  NotFoundError,
  type AttachedEvidence,
  type EvidenceEvent,
  type EvidenceTarget,
} from '@kpi/domain';
import { toDomainEvent } from '@kpi/command-handling';
import { openedText, type PersonalDataVault } from '@kpi/personal-data';
import type { Queryable, QueryReading } from '@kpi/projections';
import type { EvidenceDownload, EvidenceList, EvidenceListItem } from './evidence.commands';
import { EvidenceFiles, EvidenceIntegrityError, sha256Of } from './evidence-files';
import { evidenceStreamId, evidenceTargetOf } from './evidence-targets';

type Reading = QueryReading & { vault: PersonalDataVault };

/** A personal file whose data subject was erased: its bytes cannot be read any more (410). */
export class EvidenceErasedError extends Error {
  constructor(
    readonly evidenceId: string,
    readonly erasedOn: string,
  ) {
    super(`Evidence ${evidenceId} held personal data of a subject erased on ${erasedOn}`);
    this.name = 'EvidenceErasedError';
  }
}

/**
 * The files attached to a record and not detached, in attaching order, from the record's
 * evidence stream: names opened from the vault in one query, erased subjects shown with the
 * day. Another tenant's record, like one that does not exist, is 404.
 */
export async function listEvidence(
  _db: Queryable,
  tenantId: string,
  { attachedTo }: { attachedTo: EvidenceTarget },
  { store, vault }: Reading,
): Promise<EvidenceList> {
  const attachments = await attachmentsOf(tenantId, attachedTo, store);
  return { attachedTo, files: await listed(tenantId, attachments, vault) };
}

/**
 * One attached file with its bytes, checked against the SHA-256 its event holds (a file changed
 * in storage is refused, never served). A personal file whose subject was erased:
 * {@link EvidenceErasedError}. Detached, unknown or another tenant's: 404.
 */
export async function readEvidenceFile(
  db: Queryable,
  tenantId: string,
  { attachedTo, evidenceId }: { attachedTo: EvidenceTarget; evidenceId: string },
  { store, vault }: Reading,
): Promise<EvidenceDownload> {
  const attachments = await attachmentsOf(tenantId, attachedTo, store);
  const attachment = attachments.find((a) => a.evidenceId === evidenceId);
  if (!attachment) throw new NotFoundError(`No evidence ${evidenceId} here`);
  const [item] = await listed(tenantId, [attachment], vault);
  let bytes: Buffer;
  if (attachment.personalData) {
    const content = attachment.personalData.content!;
    const opened = await vault.openBytes(tenantId, content);
    if (!Buffer.isBuffer(opened)) throw new EvidenceErasedError(evidenceId, opened.erasedOn);
    bytes = opened;
  } else {
    bytes = await new EvidenceFiles(db).read(tenantId, attachment.sha256);
  }
  if (sha256Of(bytes) !== attachment.sha256) {
    throw new EvidenceIntegrityError(`Evidence ${evidenceId}`);
  }
  return { item: item!, bytes };
}

async function attachmentsOf(
  tenantId: string,
  attachedTo: EvidenceTarget,
  store: QueryReading['store'],
): Promise<AttachedEvidence[]> {
  await evidenceTargetOf({ store, tenantId }, attachedTo);
  const history = await store.readStream(evidenceStreamId(tenantId, attachedTo));
  const state = foldEvents(evidenceDecider, history.map(toDomainEvent<EvidenceEvent>));
  return state.attachments.filter((a) => a.detachedAt === null);
}

async function listed(
  tenantId: string,
  attachments: readonly AttachedEvidence[],
  vault: PersonalDataVault,
): Promise<EvidenceListItem[]> {
  const names = attachments.map((a) => a.fileName).filter(isSealed);
  const opened = await vault.open(tenantId, names);
  const erasures = await vault.erasures(
    tenantId,
    attachments.flatMap((a) => (a.personalData ? [a.personalData.subjectId] : [])),
  );
  return attachments.map((a) => ({
    evidenceId: a.evidenceId,
    sha256: a.sha256,
    size: a.size,
    mediaType: a.mediaType,
    fileName: a.fileName === null ? null : openedText(a.fileName, opened),
    personalData: a.personalData
      ? {
          dataSubjectId: a.personalData.subjectId,
          erasedOn: erasures.get(a.personalData.subjectId) ?? null,
        }
      : null,
    attachedBy: a.attachedBy,
    attachedAt: a.attachedAt,
  }));
}
