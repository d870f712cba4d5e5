import { commandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import {
  OpenAuditExportBundle,
  openAuditExportBundle,
  ReadAuditExport,
  readAuditExport,
  requestAuditExport,
  RequestAuditExport,
  type AuditExportAccepted,
} from '@kpi/features/audit-exports';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { queryHandler } from '../http/buses';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import { AuditExportQueue } from './audit-export-queue';

/** Carries out a request for an export: the services checked, the row stored, the job queued. */
@CommandHandler(RequestAuditExport)
export class RequestAuditExportHandler implements ICommandHandler<
  RequestAuditExport,
  AuditExportAccepted
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(AuditExportQueue) private readonly queue: AuditExportQueue,
  ) {}

  execute({ input, issued }: RequestAuditExport): Promise<AuditExportAccepted> {
    return requestAuditExport(
      commandContext(this.store, issued),
      { db: this.pool, enqueue: (exportId) => this.queue.enqueue(exportId) },
      input,
    );
  }
}

export const auditExportsHandlers = [
  RequestAuditExportHandler,
  queryHandler(ReadAuditExport, readAuditExport),
  queryHandler(OpenAuditExportBundle, openAuditExportBundle),
];
