import {
  EventIdConflictError,
  InvalidEventError,
  InvalidReadOptionError,
  InvalidStreamIdError,
  UnregisteredEventTypeError,
} from './errors';
import type {
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
} from './event-store.port';
import type { EventTypeRegistry } from './event-type-registry';
import { findJsonProblem } from './json-safety';

export const MAX_STREAM_ID_LENGTH = 200;
const MAX_METADATA_TEXT = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const METADATA_KEYS: readonly (keyof EventMetadata)[] = [
  'tenantId',
  'actor',
  'correlationId',
  'causationId',
  'commandId',
];

/** A stream id is 1–200 characters of well-formed text without control characters. */
export function assertValidStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string') throw new InvalidStreamIdError(streamId, 'it must be a string');
  if (streamId.length === 0) throw new InvalidStreamIdError(streamId, 'it is empty');
  if (streamId.length > MAX_STREAM_ID_LENGTH) {
    throw new InvalidStreamIdError(
      streamId,
      `it is ${streamId.length} characters long; the limit is ${MAX_STREAM_ID_LENGTH}`,
    );
  }
  if (CONTROL_CHARACTERS.test(streamId))
    throw new InvalidStreamIdError(streamId, 'it contains a control character');
  if (!streamId.isWellFormed())
    throw new InvalidStreamIdError(streamId, 'it is not well-formed Unicode');
}

export function assertValidExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'any' || expected === 'no-stream') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidEventError(
    'expectedVersion',
    `must be a version (0 or more), 'no-stream' or 'any'; got ${String(expected)}`,
  );
}

/**
 * Checks a batch before anything is sent to the database: every type registered, every id a
 * distinct UUID, data JSON-safe, metadata complete, one tenant per batch.
 * @returns the tenant the batch belongs to (undefined for an empty batch)
 */
export function assertValidBatch(
  events: readonly NewEvent[],
  registry: EventTypeRegistry,
): string | undefined {
  if (!Array.isArray(events)) throw new InvalidEventError('events', 'must be an array');
  const seenIds = new Set<string>();
  let tenantId: string | undefined;
  events.forEach((event, index) => {
    const at = `events[${index}]`;
    if (typeof event !== 'object' || event === null)
      throw new InvalidEventError(at, 'must be an object');
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new InvalidEventError(
        `${at}.eventId`,
        `must be a UUID; got ${JSON.stringify(event.eventId) ?? 'undefined'}`,
      );
    }
    const eventId = event.eventId.toLowerCase();
    if (seenIds.has(eventId)) {
      throw new EventIdConflictError(event.eventId, 'appears twice in the same batch');
    }
    seenIds.add(eventId);
    if (typeof event.type !== 'string' || !registry.has(event.type)) {
      throw new UnregisteredEventTypeError(String(event.type));
    }
    const dataProblem = findJsonProblem(event.data, `${at}.data`);
    if (dataProblem) throw new InvalidEventError(dataProblem.path, dataProblem.reason);
    assertValidMetadata(event.metadata, `${at}.metadata`);
    if (tenantId !== undefined && event.metadata.tenantId !== tenantId) {
      throw new InvalidEventError(
        `${at}.metadata.tenantId`,
        'every event of a batch must belong to the same tenant',
      );
    }
    tenantId = event.metadata.tenantId;
    if (event.effectiveAt !== undefined && !isStorableDate(event.effectiveAt)) {
      throw new InvalidEventError(
        `${at}.effectiveAt`,
        'must be a valid Date in the years 1 to 9999',
      );
    }
  });
  return tenantId;
}

function assertValidMetadata(metadata: unknown, at: string): asserts metadata is EventMetadata {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidEventError(
      at,
      'must be an object with tenantId, actor, correlationId, causationId, commandId',
    );
  }
  const record = metadata as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(METADATA_KEYS as readonly string[]).includes(key)) {
      throw new InvalidEventError(
        `${at}.${key}`,
        `is not a metadata field (allowed: ${METADATA_KEYS.join(', ')})`,
      );
    }
  }
  for (const key of ['tenantId', 'actor'] as const) {
    const value = record[key];
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_METADATA_TEXT) {
      throw new InvalidEventError(
        `${at}.${key}`,
        `is required: text of 1 to ${MAX_METADATA_TEXT} characters`,
      );
    }
  }
  for (const key of ['correlationId', 'causationId', 'commandId'] as const) {
    const value = record[key];
    if (
      value !== null &&
      (typeof value !== 'string' || value === '' || value.length > MAX_METADATA_TEXT)
    ) {
      throw new InvalidEventError(
        `${at}.${key}`,
        `must be null or text of 1 to ${MAX_METADATA_TEXT} characters`,
      );
    }
  }
  for (const key of Object.keys(record)) {
    const problem = findJsonProblem(record[key], `${at}.${key}`);
    if (problem) throw new InvalidEventError(problem.path, problem.reason);
  }
}

/** A Date PostgreSQL's timestamptz (and ISO-8601 in a hash) holds exactly: years 1 to 9999. */
function isStorableDate(value: unknown): value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return false;
  const year = value.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

const isVersion = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Read options are checked like writes: a bad one is a typed error, never a database error. */
export function assertValidReadStreamOptions(options: ReadStreamOptions): void {
  for (const name of ['fromVersion', 'toVersion', 'maxCount'] as const) {
    if (options[name] !== undefined && !isVersion(options[name])) {
      throw new InvalidReadOptionError(
        name,
        `must be a whole number from 0; got ${String(options[name])}`,
      );
    }
  }
  if (options.recordedUntil !== undefined && !isStorableDate(options.recordedUntil)) {
    throw new InvalidReadOptionError(
      'recordedUntil',
      'must be a valid Date in the years 1 to 9999',
    );
  }
  if (
    options.direction !== undefined &&
    options.direction !== 'forward' &&
    options.direction !== 'backward'
  ) {
    throw new InvalidReadOptionError(
      'direction',
      `must be 'forward' or 'backward'; got ${String(options.direction)}`,
    );
  }
}

export function assertValidReadAllOptions(options: ReadAllOptions): void {
  const { limit, types } = options;
  if (
    types !== undefined &&
    !(Array.isArray(types) && types.every((type) => typeof type === 'string' && type !== ''))
  ) {
    throw new InvalidReadOptionError('types', 'must be a list of event type names');
  }
  if (
    limit !== undefined &&
    !(typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 1)
  ) {
    throw new InvalidReadOptionError(
      'limit',
      `must be a whole number from 1; got ${String(limit)}`,
    );
  }
}
