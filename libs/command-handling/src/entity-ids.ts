import { ENTITY_ID, InvalidCommandError } from '@kpi/domain';

/** Checks an id from a request: a short lowercase slug (it becomes part of a stream id). */
export function entityId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ENTITY_ID.test(value)) {
    throw InvalidCommandError.of(
      field,
      'must be 1 to 63 lowercase letters, digits or -, starting with a letter or digit',
    );
  }
  return value;
}
