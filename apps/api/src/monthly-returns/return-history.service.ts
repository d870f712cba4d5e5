import { streamIds, type MonthlyReturnEvent } from '@kpi/domain';
import type { EventStore, RecordedEvent } from '@kpi/event-store';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EVENT_STORE } from '../infrastructure/injection-tokens';
import type { ReturnHistoryEntryDto, ReturnWithHistoryDto } from './return-history.dto';

/** A stored monthly-return event: the domain event with where and when it was recorded. */
type RecordedReturnEvent = MonthlyReturnEvent & Omit<RecordedEvent, 'type' | 'data'>;

const isReturnEvent = (event: RecordedEvent): event is RecordedEvent & RecordedReturnEvent =>
  event.type === 'MonthlyReturnSubmitted' || event.type === 'MonthlyReturnAmended';

/**
 * A service's return for a month with its whole history, read from the return's own stream
 * (not a read model): the submission and every amendment, with who, when and why.
 */
@Injectable()
export class ReturnHistoryReader {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async read(tenantId: string, serviceId: string, period: string): Promise<ReturnWithHistoryDto> {
    const streamId = streamIds.monthlyReturn(tenantId, serviceId, period);
    const events = (await this.eventStore.readStream(streamId)).filter(
      // The stream id carries the tenant; checking the events too costs nothing.
      (event) => event.metadata.tenantId === tenantId,
    );
    const history = events.filter(isReturnEvent);
    const submission = history[0];
    const latest = history[history.length - 1];
    if (submission?.type !== 'MonthlyReturnSubmitted' || !latest) {
      throw new NotFoundException(`${serviceId} has no return for ${period}`);
    }
    return {
      streamId,
      serviceId,
      period,
      frameworkId: latest.data.frameworkId,
      frameworkVersion: latest.data.frameworkVersion,
      dueDate: submission.data.dueDate,
      submittedAt: submission.data.submittedAt,
      submittedBy: submission.data.submittedBy,
      late: submission.data.late,
      amendments: history.length - 1,
      values: latest.data.values,
      results: latest.data.results,
      bonus: latest.data.bonus,
      history: history.map(historyEntry),
    };
  }
}

function historyEntry(event: RecordedReturnEvent): ReturnHistoryEntryDto {
  const recorded = {
    type: event.type,
    eventId: event.eventId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt.toISOString(),
    values: event.data.values,
    results: event.data.results,
    bonus: event.data.bonus,
    frameworkVersion: event.data.frameworkVersion,
    correlationId: event.metadata.correlationId,
  };
  switch (event.type) {
    case 'MonthlyReturnSubmitted':
      return {
        ...recorded,
        kind: 'submission',
        by: event.data.submittedBy,
        at: event.data.submittedAt,
        amendmentNumber: 0,
        reason: null,
        changes: event.data.values,
      };
    case 'MonthlyReturnAmended':
      return {
        ...recorded,
        kind: 'amendment',
        by: event.data.amendedBy,
        at: event.data.amendedAt,
        amendmentNumber: event.data.amendmentNumber,
        reason: event.data.reason,
        changes: event.data.changes,
      };
    default: {
      const _unexpected: never = event;
      throw new Error('unreachable');
    }
  }
}
