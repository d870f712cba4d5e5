import type { ExpectedVersion } from './event-store.port';

/** Base of every error the event store raises on purpose. Nothing was written when one is thrown. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not at the version the writer expected: someone else wrote first. */
export class ConcurrencyError extends EventStoreError {
  readonly code = 'concurrency-conflict';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** The stream's version when the append was refused (0: it does not exist). */
    readonly actualVersion: number,
  ) {
    super(
      `Stream "${streamId}" is at version ${actualVersion}, but version ${String(expectedVersion)} was expected`,
    );
  }
}

/** Events must use a type registered with the store's {@link EventTypeRegistry}. */
export class UnregisteredEventTypeError extends EventStoreError {
  readonly code = 'unregistered-event-type';
  constructor(readonly eventType: string) {
    super(`Event type "${eventType}" is not registered`);
  }
}

/** An event (data, metadata, id or time) that cannot be stored as it is. */
export class InvalidEventError extends EventStoreError {
  readonly code = 'invalid-event';
  constructor(
    /** Where in the batch: `events[2].data.items[0].value`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A read option that is out of range: a version that is not a whole number, a bad date, … */
export class InvalidReadOptionError extends EventStoreError {
  readonly code = 'invalid-read-option';
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`${option}: ${reason}`);
  }
}

export class InvalidStreamIdError extends EventStoreError {
  readonly code = 'invalid-stream-id';
  constructor(
    readonly streamId: unknown,
    readonly reason: string,
  ) {
    super(`Invalid stream id: ${reason}`);
  }
}

/** An event id that is already stored with different content, or in another stream. */
export class EventIdConflictError extends EventStoreError {
  readonly code = 'event-id-conflict';
  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`Event id ${eventId} ${reason}`);
  }
}

/** A stream belongs to one tenant; appending to it for another is refused. */
export class TenantMismatchError extends EventStoreError {
  readonly code = 'tenant-mismatch';
  constructor(readonly streamId: string) {
    super(`Stream "${streamId}" belongs to another tenant`);
  }
}

/** An event stored with a schema version this code does not know how to read. */
export class UnknownSchemaVersionError extends EventStoreError {
  readonly code = 'unknown-schema-version';
  constructor(
    readonly eventType: string,
    readonly storedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `Event type "${eventType}" was stored with schema version ${storedVersion}, but this code knows up to ${currentVersion}`,
    );
  }
}
