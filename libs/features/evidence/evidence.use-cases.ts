import { handleCommand, uuidFromParts, type CommandContext } from '@kpi/command-handling';
import {
  evidenceDecider,
  type EvidenceAttached,
  type EvidenceDetached,
  type EvidenceEvent,
} from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
import type {
  AttachEvidenceInput,
  DetachEvidenceInput,
  EvidenceAttachedResult,
  EvidenceDetachedResult,
  UploadedFile,
} from './evidence.commands';
import type { EvidenceFiles } from './evidence-files';
import { evidenceStreamId, evidenceTargetOf } from './evidence-targets';

/** Where evidence is kept: files naming nobody by hash, personal ones in the vault. */
export interface EvidenceStores {
  vault: PersonalDataVault;
  files: EvidenceFiles;
}

/**
 * Attaches a file to a record (docs/decisions/0040). The file was judged and hashed at the edge;
 * the decider checks the name and what is attached already. Between the decision and the append
 * the bytes are stored: by hash for a file naming nobody (once per tenant however often it is
 * attached), or encrypted under the data subject's key in the vault (with the file's name) for
 * one holding personal data, so erasing the subject makes it unreadable. A refused command
 * stores nothing; a retried one stores nothing twice.
 */
export async function attachEvidence(
  context: CommandContext,
  stores: EvidenceStores,
  { attachedTo, file, fileName, personalData }: AttachEvidenceInput,
): Promise<EvidenceAttachedResult> {
  const { defaultSubjectId } = await evidenceTargetOf(context, attachedTo);
  const personalSubjectId = personalData
    ? (personalData.subjectId ??
      defaultSubjectId ??
      uuidFromParts(context.commandId, 'evidence-subject'))
    : null;
  const outcome = await handleCommand(
    context,
    evidenceStreamId(context.tenantId, attachedTo),
    evidenceDecider,
    {
      type: 'AttachEvidence',
      data: {
        evidenceId: uuidFromParts(context.commandId, 'evidence'),
        attachedTo,
        sha256: file.sha256,
        size: file.size,
        mediaType: file.mediaType,
        fileName,
        personalSubjectId,
        attachedBy: context.actor,
        now: context.now,
      },
    },
    { beforeAppend: storeFile(context, stores, file) },
  );
  const attached = outcome.events.find((e): e is EvidenceAttached => e.type === 'EvidenceAttached');
  if (!attached) throw new Error(`${outcome.streamId}: the command wrote no EvidenceAttached`);
  const { data } = attached;
  return {
    streamId: outcome.streamId,
    evidenceId: data.evidenceId,
    sha256: data.sha256,
    size: data.size,
    mediaType: data.mediaType,
    dataSubjectId: data.personalData?.subjectId ?? null,
    replayed: outcome.replayed,
  };
}

/** Takes a file off a record: it is no longer listed or downloadable; nothing is deleted. */
export async function detachEvidence(
  context: CommandContext,
  { attachedTo, evidenceId }: DetachEvidenceInput,
): Promise<EvidenceDetachedResult> {
  const outcome = await handleCommand(
    context,
    evidenceStreamId(context.tenantId, attachedTo),
    evidenceDecider,
    {
      type: 'DetachEvidence',
      data: { evidenceId, detachedBy: context.actor, now: context.now },
    },
  );
  const detached = outcome.events.find((e): e is EvidenceDetached => e.type === 'EvidenceDetached');
  if (!detached) throw new Error(`${outcome.streamId}: the command wrote no EvidenceDetached`);
  return {
    streamId: outcome.streamId,
    evidenceId: detached.data.evidenceId,
    detachedAt: detached.data.detachedAt,
    replayed: outcome.replayed,
  };
}

/**
 * Stores the bytes of the file an `EvidenceAttached` names, before it is appended. A personal
 * file's bytes are kept under a ref derived from the tenant, subject and hash (the same file
 * of the same subject is kept once), its name under one derived from the command.
 */
function storeFile(context: CommandContext, { vault, files }: EvidenceStores, file: UploadedFile) {
  return (events: EvidenceEvent[]): Promise<EvidenceEvent[]> =>
    Promise.all(
      events.map(async (event): Promise<EvidenceEvent> => {
        if (event.type !== 'EvidenceAttached') return event;
        const { personalData, fileName, sha256, evidenceId } = event.data;
        if (!personalData) {
          await files.store(context.tenantId, sha256, file.bytes);
          return event;
        }
        const { subjectId } = personalData;
        const content = await vault.sealBytes({
          tenantId: context.tenantId,
          subjectId,
          ref: uuidFromParts(context.tenantId, subjectId, sha256, 'evidence-bytes'),
          bytes: file.bytes,
        });
        const [sealedName] =
          typeof fileName === 'string'
            ? await vault.seal({
                tenantId: context.tenantId,
                subjectId,
                plaintexts: [
                  {
                    ref: uuidFromParts(context.commandId, evidenceId, 'fileName'),
                    plaintext: fileName,
                  },
                ],
              })
            : [fileName];
        return {
          ...event,
          data: {
            ...event.data,
            fileName: sealedName ?? null,
            personalData: { subjectId, content },
          },
        };
      }),
    );
}
