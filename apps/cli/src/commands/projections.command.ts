import { capabilityEscalationProcess } from '@kpi/features/capability';
import { allProjections } from '@kpi/features';
import { projectionStatus, type ProjectionStatus } from '@kpi/projections';
import { loadEnvironment, openDatabase } from '@kpi/runtime';

export interface ProjectionsOptions {
  /** JSON for scripts; also what a pipe or a file gets without asking. */
  json?: boolean;
}

/**
 * `cli projections`: each read model's (and process's) version and how many events it is
 * behind — a table for a person at a terminal, JSON with `--json` or when stdout is not a
 * terminal (a script piping it into `jq` should not have to know the flag).
 */
export async function projectionsCommand(options: ProjectionsOptions = {}): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    const statuses = await projectionStatus(pool, store, [
      ...allProjections,
      capabilityEscalationProcess(store),
    ]);
    const asJson = options.json === true || !process.stdout.isTTY;
    console.log(asJson ? JSON.stringify(statuses, null, 2) : projectionsTable(statuses));
  } finally {
    await pool.end();
  }
}

const HEADERS = ['Projection', 'Version', 'Position', 'Behind', 'State'] as const;

/** The statuses as an aligned text table, by name, with what each state asks of an operator. */
export function projectionsTable(statuses: readonly ProjectionStatus[]): string {
  const rows = [...statuses]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => [
      s.name,
      String(s.version),
      s.checkpoint.globalPosition.toLocaleString('en-GB'),
      s.eventsBehind.toLocaleString('en-GB'),
      stateOf(s),
    ]);
  const widths = HEADERS.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => row[i]!.length)),
  );
  // Numbers right-aligned, text left-aligned; two spaces between columns.
  const numeric = [false, true, true, true, false];
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(HEADERS),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    '',
    summaryOf(statuses),
  ].join('\n');
}

/** One line under the table: how many need anything, or that none does. */
function summaryOf(statuses: readonly ProjectionStatus[]): string {
  const count = (state: string) => statuses.filter((s) => stateOf(s).startsWith(state)).length;
  const needs = [
    [count('not built'), 'not built yet'],
    [count('built with'), 'to rebuild'],
    [count('catching up'), 'behind'],
  ] as const;
  const parts = needs.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return parts.length === 0
    ? `${statuses.length} projections, all up to date.`
    : `${statuses.length} projections: ${parts.join(', ')}. The worker builds and catches up while it runs.`;
}

function stateOf(status: ProjectionStatus): string {
  if (status.storedVersion === null) return 'not built yet: the worker builds it';
  if (status.storedVersion !== status.version)
    return `built with v${status.storedVersion}: the worker rebuilds it when it starts`;
  return status.eventsBehind === 0 ? 'up to date' : 'catching up';
}
