import type {
  EventStore,
  ReadStreamOptions,
  RecordedEvent,
  VerificationReport,
} from '@kpi/event-store';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EVENT_STORE } from '../infrastructure/injection-tokens';

/**
 * A tenant's view of the stored events. A stream of another tenant is answered exactly like
 * a stream that does not exist, so nobody can learn that another tenant's data exists.
 */
@Injectable()
export class AuditTrail {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async readStream(
    tenantId: string,
    streamId: string,
    options: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    await this.assertStreamVisibleTo(tenantId, streamId);
    return this.eventStore.readStream(streamId, options);
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
    const [first] = await this.eventStore.readStream(streamId, { maxCount: 1 });
    if (first?.metadata.tenantId !== tenantId) {
      throw new NotFoundException(`No stream "${streamId}" was found`);
    }
  }
}
