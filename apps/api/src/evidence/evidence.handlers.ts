import { commandContext, type FeatureCommand } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import {
  AttachEvidence,
  attachEvidence,
  DetachEvidence,
  detachEvidence,
  EvidenceFiles,
  ListEvidence,
  listEvidence,
  ReadEvidenceFile,
  readEvidenceFile,
  type AttachEvidenceInput,
  type EvidenceAttachedResult,
} from '@kpi/features/evidence';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { Queryable } from '@kpi/projections';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandHandler } from '../http/buses';
import { queryHandlerWithVault } from '../http/vault-handlers';
import { EVENT_STORE, PERSONAL_DATA_VAULT, PG_POOL } from '../infrastructure/injection-tokens';

/** Attaching stores the bytes: by hash in `evidence_files` (the pool), or in the vault. */
@CommandHandler(AttachEvidence)
export class AttachEvidenceHandler implements ICommandHandler<
  AttachEvidence,
  EvidenceAttachedResult
> {
  private readonly files: EvidenceFiles;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(PG_POOL) db: Queryable,
  ) {
    this.files = new EvidenceFiles(db);
  }

  execute({
    input,
    issued,
  }: FeatureCommand<AttachEvidenceInput, EvidenceAttachedResult>): Promise<EvidenceAttachedResult> {
    return attachEvidence(
      commandContext(this.store, issued),
      { vault: this.vault, files: this.files },
      input,
    );
  }
}

/** The handlers of the evidence feature's commands and queries. */
export const evidenceHandlers = [
  AttachEvidenceHandler,
  commandHandler(DetachEvidence, detachEvidence),
  queryHandlerWithVault(ListEvidence, listEvidence),
  queryHandlerWithVault(ReadEvidenceFile, readEvidenceFile),
];
