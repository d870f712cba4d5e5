import {
  readStoredStream,
  type EventStore,
  type ReadStreamOptions,
  type StoredEventRecord,
  type VerificationReport,
} from '@kpi/event-store';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/**
 * A tenant's view of the stored events, exactly as stored (nothing upcast), so anyone can
 * recompute their hashes. A stream of another tenant is answered exactly like a stream that
 * does not exist, so nobody can learn that another tenant's data exists.
 */
@Injectable()
export class AuditTrail {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async readStream(
    tenantId: string,
    streamId: string,
    options: ReadStreamOptions,
  ): Promise<StoredEventRecord[]> {
    await this.assertStreamVisibleTo(tenantId, streamId);
    return readStoredStream(this.pool, streamId, options);
  }

  async verifyStream(tenantId: string, streamId: string): Promise<VerificationReport> {
    await this.assertStreamVisibleTo(tenantId, streamId);
    return this.eventStore.verify({ streamId, tenantId });
  }

  /**
   * Checked on the stream's first event rather than on the events a read returns, so that
   * "as of" a time before the stream began is an empty history, not a 404.
   */
  private async assertStreamVisibleTo(tenantId: string, streamId: string): Promise<void> {
    const [first] = await readStoredStream(this.pool, streamId, { maxCount: 1 });
    if (first?.metadata.tenantId !== tenantId) {
      throw new NotFoundException(`No stream "${streamId}" was found`);
    }
  }
}
