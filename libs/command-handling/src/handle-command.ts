import { createHash } from 'node:crypto';
import { foldEvents, type Decider } from '@kpi/domain';
import {
  ConcurrencyError,
  type AppendResult,
  type EventMetadata,
  type RecordedEvent,
} from '@kpi/event-store';
import type { CommandContext } from './command-context';

/** A domain event as deciders produce it: a stable type name and JSON-safe data. */
export interface DomainEvent {
  type: string;
  data: object;
}

export interface CommandOutcome<Event extends DomainEvent, State = unknown> {
  streamId: string;
  events: Event[];
  /** The aggregate's state after the command (its events folded in): no need to read it again. */
  state: State;
  /** The stream's version after the command (unchanged when it decided nothing). */
  streamVersion: number;
  appended: AppendResult['events'];
  /** True when this command had already been carried out: its stored events are returned. */
  replayed: boolean;
}

/**
 * How a command reads its stream before deciding:
 * - `whole` (the default): every event, from the first;
 * - `known`: the stream as the caller has just read it (saves a round trip; after a conflict it
 *   is read again whole);
 * - `last`: only the latest `count` events, for a stream that only grows and whose decider needs
 *   only the recent past (a framework's rotation of referrals).
 */
export type StreamRead =
  | { kind: 'whole' }
  | { kind: 'known'; history: readonly RecordedEvent[] }
  | { kind: 'last'; count: number };

export interface HandleCommandOptions<State = unknown, Event extends DomainEvent = DomainEvent> {
  read?: StreamRead;
  /** Tries in all when other writers keep getting there first (default 3). */
  attempts?: number;
  /**
   * Turns the decided events into what is stored, given the state they were decided on: e.g.
   * texts naming people sealed into the personal-data vault, the events keeping references.
   * Runs after each decision that has events, before its append (so again after a conflict);
   * a refused command never gets here.
   */
  beforeAppend?: (events: Event[], state: State) => Promise<Event[]>;
}

const DEFAULT_ATTEMPTS = 3;

/**
 * The one way commands change state: read the stream, fold it, decide, append at the version
 * read. When another writer got there first (ConcurrencyError) it reads and decides again on
 * the new state, up to `attempts` times. Event ids derive from the command id, so a command
 * retried with the same id writes nothing twice: its stored events are answered instead.
 */
export async function handleCommand<Command, State, Event extends DomainEvent>(
  context: CommandContext,
  streamId: string,
  decider: Decider<Command, State, Event>,
  command: Command,
  {
    read = { kind: 'whole' },
    attempts = DEFAULT_ATTEMPTS,
    beforeAppend,
  }: HandleCommandOptions<State, Event> = {},
): Promise<CommandOutcome<Event, State>> {
  for (let attempt = 1; ; attempt++) {
    const history = await readForCommand(context, streamId, attempt === 1 ? read : reread(read));
    const version = history.length === 0 ? 0 : history[history.length - 1]!.streamVersion;
    const earlier = history.filter((event) => event.metadata.commandId === context.commandId);
    if (earlier.length > 0) {
      return {
        streamId,
        events: earlier.map(toDomainEvent<Event>),
        state: foldEvents(decider, history.map(toDomainEvent<Event>)),
        streamVersion: version,
        appended: earlier.map(({ eventId, streamVersion, globalPosition }) => ({
          eventId,
          streamVersion,
          globalPosition,
        })),
        replayed: true,
      };
    }
    const state = foldEvents(decider, history.map(toDomainEvent<Event>));
    const decided = decider.decide(command, state);
    const events =
      beforeAppend && decided.length > 0 ? await beforeAppend(decided, state) : decided;
    if (events.length === 0)
      return { streamId, events, state, streamVersion: version, appended: [], replayed: false };
    try {
      const result = await context.store.append(
        streamId,
        events.map((event, index) => ({
          eventId: eventIdFor(context.commandId, streamId, index),
          type: event.type,
          data: event.data,
          metadata: metadataOf(context),
        })),
        version === 0 ? 'no-stream' : version,
      );
      return {
        streamId,
        events,
        state: events.reduce((folded, event) => decider.evolve(folded, event), state),
        streamVersion: result.nextExpectedVersion,
        appended: result.events,
        replayed: false,
      };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
    }
  }
}

/** The stream's events, oldest first, as `read` asks. */
async function readForCommand(
  context: CommandContext,
  streamId: string,
  read: StreamRead,
): Promise<readonly RecordedEvent[]> {
  switch (read.kind) {
    case 'whole':
      return context.store.readStream(streamId);
    case 'known':
      return read.history;
    case 'last':
      return (
        await context.store.readStream(streamId, { direction: 'backward', maxCount: read.count })
      ).reverse();
  }
}

/** After a conflict the caller's copy is stale: read again, the same way otherwise. */
const reread = (read: StreamRead): StreamRead => (read.kind === 'known' ? { kind: 'whole' } : read);

/** What every event a command writes says of who, for whom and why. */
export function metadataOf(context: CommandContext): EventMetadata {
  return {
    tenantId: context.tenantId,
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.commandId,
    commandId: context.commandId,
  };
}

/** Reads the current state of a stream without deciding anything (for checks across aggregates). */
export async function loadState<State, Event extends DomainEvent>(
  context: Pick<CommandContext, 'store'>,
  streamId: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
): Promise<State> {
  const history = await context.store.readStream(streamId);
  return foldEvents(decider, history.map(toDomainEvent<Event>));
}

export function toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent): Event {
  return { type: recorded.type, data: recorded.data } as Event;
}

/** A UUID (version-8 layout) derived from the command, the stream and the event's place. */
export function eventIdFor(commandId: string, streamId: string, index: number): string {
  return uuidFromParts(commandId, streamId, String(index));
}

/**
 * A deterministic UUID (RFC 9562 version 8: SHA-256 of the parts, NUL-separated): the same
 * parts always give the same id, so a retried command or event is recognised as the same.
 */
export function uuidFromParts(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
