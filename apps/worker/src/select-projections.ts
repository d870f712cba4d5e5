import type { Projection } from '@kpi/projections';

/**
 * The projections this worker runs: all of them, or the comma-separated names in
 * WORKER_PROJECTIONS (to spread projections over processes). An unknown name is an error.
 */
export function selectProjections(
  all: readonly Projection[],
  names: string | undefined,
): readonly Projection[] {
  if (names === undefined || names.trim() === '') return all;
  const wanted = names
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !all.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `WORKER_PROJECTIONS names unknown projections: ${unknown.join(', ')} (known: ${all.map((p) => p.name).join(', ')})`,
    );
  }
  return all.filter((p) => wanted.includes(p.name));
}
