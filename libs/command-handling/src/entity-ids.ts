import { ENTITY_ID, InvalidCommandError } from '@kpi/domain';

/** An id of something a tenant names (service, region, staff member…), checked: it becomes part of a stream id. */
export type EntityId = string & { readonly __brand: 'EntityId' };

export function isEntityId(value: unknown): value is EntityId {
  return typeof value === 'string' && ENTITY_ID.test(value);
}

/** Checks an id from a request: a short lowercase slug (it becomes part of a stream id). */
export function entityId(value: unknown, field: string): EntityId {
  if (!isEntityId(value)) {
    throw InvalidCommandError.of(
      field,
      'must be 1 to 63 lowercase letters, digits or -, starting with a letter or digit',
    );
  }
  return value;
}
