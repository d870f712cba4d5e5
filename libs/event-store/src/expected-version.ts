import { ConcurrencyError } from './errors';
import type { ExpectedVersion } from './event-store.port';

/**
 * Throws {@link ConcurrencyError} when a stream at `actualVersion` is not what the writer
 * expected. Adapters use it where no database check runs (an empty batch).
 */
export function assertExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actualVersion: number,
): void {
  const matches =
    expected === 'any' ||
    (expected === 'no-stream' ? actualVersion === 0 : expected === actualVersion);
  if (!matches) throw new ConcurrencyError(streamId, expected, actualVersion);
}
