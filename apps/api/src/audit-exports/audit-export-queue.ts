import type { AppConfig } from '@kpi/config';
import {
  AUDIT_EXPORTS_QUEUE,
  enqueueAuditExport,
  type AuditExportJobData,
} from '@kpi/features/audit-exports';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, REDIS } from '../infrastructure/injection-tokens';

/** The API's end of the export queue: it adds jobs; the worker runs them. */
@Injectable()
export class AuditExportQueue implements OnModuleDestroy {
  private queue: Queue<AuditExportJobData> | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues an export's job (its id is the export's: adding it again changes nothing). */
  async enqueue(exportId: string): Promise<void> {
    this.queue ??= new Queue<AuditExportJobData>(AUDIT_EXPORTS_QUEUE, {
      connection: this.redis,
      prefix: this.config.BULLMQ_PREFIX,
    });
    await enqueueAuditExport(this.queue, exportId);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}
