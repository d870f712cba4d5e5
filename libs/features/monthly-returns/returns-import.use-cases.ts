import { metadataOf, uuidFromParts, type CommandContext } from '@kpi/command-handling';
import type { EventStore, MultiStreamAppender, StreamAppend } from '@kpi/event-store';
import type { ReturnsFile } from './returns-import.file';
import {
  planReturnsImport,
  type PlannedReturn,
  type ReturnsImportProgress,
  type ReturnsImportReport,
} from './returns-import.plan';

export {
  planReturnsImport,
  type ReturnsImportProgress,
  type ReturnsImportReport,
} from './returns-import.plan';

export interface ReturnsImportOptions {
  dryRun: boolean;
  /** Returns a transaction: each chunk is stored whole or not at all (docs/decisions/0024). */
  chunkSize?: number;
  /** Transactions at once (default {@link DEFAULT_IMPORT_CONCURRENCY}). */
  concurrency?: number;
  onProgress?: (progress: ReturnsImportProgress) => void;
}

export const DEFAULT_IMPORT_CHUNK = 50;
export const DEFAULT_IMPORT_CONCURRENCY = 4;

/**
 * Imports monthly returns from a file in the KPI grid's layout (docs/decisions/0024): every
 * row is checked first, exactly as a typed submission is (the monthly return's decider, with
 * the framework version in force for the month); with any bad row — or on a dry run — nothing
 * is stored and the report lists every problem. A service-month already stored with the same
 * values is skipped, so importing a file again stores nothing new; one stored with other values
 * is a bad row (amend it). New returns are stored as `MonthlyReturnSubmitted`, in transactions
 * of `chunkSize` returns.
 */
export async function importReturns(
  context: CommandContext & { store: EventStore & MultiStreamAppender },
  file: ReturnsFile,
  {
    dryRun,
    chunkSize = DEFAULT_IMPORT_CHUNK,
    concurrency = DEFAULT_IMPORT_CONCURRENCY,
    onProgress,
  }: ReturnsImportOptions,
): Promise<ReturnsImportReport> {
  const plan = await planReturnsImport(context, file, onProgress);
  const report: ReturnsImportReport = { ...plan.report, dryRun };
  if (dryRun || report.problems.length > 0) return report;
  const metadata = metadataOf(context);
  const chunks: PlannedReturn[][] = [];
  for (let start = 0; start < plan.returns.length; start += chunkSize)
    chunks.push(plan.returns.slice(start, start + chunkSize));
  let next = 0;
  // A few transactions at once, each its own chunk of streams (no two touch the same stream).
  await Promise.all(
    Array.from({ length: Math.min(concurrency, chunks.length) }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const appends: StreamAppend[] = chunk.map(({ streamId, event }) => ({
          streamId,
          expectedVersion: 'no-stream',
          events: [
            {
              eventId: uuidFromParts(context.commandId, streamId, '0'),
              type: event.type,
              data: event.data,
              metadata: { ...metadata, commandId: uuidFromParts(context.commandId, streamId) },
            },
          ],
        }));
        const results = await context.store.appendMany(appends);
        report.stored += chunk.length;
        report.events += results.reduce((sum, result) => sum + result.events.length, 0);
        onProgress?.({ phase: 'storing', done: report.stored, total: plan.returns.length });
      }
    }),
  );
  return report;
}
