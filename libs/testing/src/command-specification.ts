import { randomUUID } from 'node:crypto';
import type { CommandContext, DomainEvent } from '@kpi/command-handling';
import {
  InMemoryEventStore,
  START_OF_LOG,
  type EventMetadata,
  type GlobalCheckpoint,
  type RecordedEvent,
} from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';

/** What a command wrote: each new event's stream, type and data, in log order. */
export interface WrittenEvent {
  streamId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface CommandSpecificationOptions {
  tenantId?: string;
  actor?: string;
  now?: Date;
}

/**
 * Given / when / then for a feature's commands, on the in-memory event store (unit tier, no
 * PostgreSQL):
 *
 *   const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
 *   await spec.given('acme:service:home-17', [serviceRegistered]);   // or run set-up commands
 *   const { result, events } = await spec.when(submitMonthlyReturn, input);
 *   expect(events).toMatchObject([{ type: 'MonthlyReturnSubmitted', data: { late: false } }]);
 *   await expect(spec.when(submitMonthlyReturn, input)).rejects.toThrow(ConflictError);
 *
 * `given` appends events as they were (the tenant's, by a set-up actor); `context` gives the
 * context a set-up command runs in; `when` runs a command and answers its result with the
 * events it wrote, and nothing else.
 */
export function commandSpecification({
  tenantId = 'acme',
  actor = 'user:rm-1',
  now = new Date('2026-10-12T09:00:00Z'),
}: CommandSpecificationOptions = {}) {
  const store = new InMemoryEventStore(eventTypeRegistry(), { clock: () => now });
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    store,
    tenantId,
    actor,
    correlationId: null,
    commandId: randomUUID(),
    now,
    ...overrides,
  });

  /** Every event of the log after `after`, and where the log ends. */
  const logAfter = async (after: GlobalCheckpoint) => {
    const events: RecordedEvent[] = [];
    for (let checkpoint = after; ;) {
      const batch = await store.readAll(checkpoint, { limit: 10_000 });
      events.push(...batch.events);
      checkpoint = batch.checkpoint;
      if (batch.caughtUp) return { events, checkpoint };
    }
  };

  return {
    store,
    tenantId,
    context,

    /** Appends `events` to `streamId` as history, before the command under test. */
    async given(streamId: string, events: readonly DomainEvent[]): Promise<void> {
      const commandId = randomUUID();
      await store.append(
        streamId,
        events.map((event) => ({
          eventId: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: {
            tenantId,
            actor: 'user:set-up',
            correlationId: null,
            causationId: null,
            commandId,
          },
        })),
        'any',
      );
    },

    /** Runs the command with `input` (in `context(overrides)`): its result and what it wrote. */
    async when<Input, Result>(
      carryOut: (context: CommandContext, input: Input) => Promise<Result>,
      input: Input,
      overrides: Partial<CommandContext> = {},
    ): Promise<{ result: Result; events: WrittenEvent[] }> {
      const { checkpoint: before } = await logAfter(START_OF_LOG);
      const result = await carryOut(context(overrides), input);
      const { events } = await logAfter(before);
      return {
        result,
        events: events.map(({ streamId, type, data, metadata }) => ({
          streamId,
          type,
          data,
          metadata,
        })),
      };
    },
  };
}
