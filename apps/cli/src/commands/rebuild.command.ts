import { allProjections } from '@kpi/features';
import { rebuildProjection } from '@kpi/projections';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { progressBar } from '../progress-bar';

/**
 * `cli rebuild <projection>`: rebuilds a read model from the whole log into a fresh table and
 * swaps it in. Safe while workers run: the live table serves until the swap.
 */
export async function rebuildCommand(name: string, options: { batchSize: number }): Promise<void> {
  const projection = allProjections.find((p) => p.name === name);
  if (!projection) {
    throw new Error(
      `No projection named "${name}"; projections are: ${allProjections.map((p) => p.name).join(', ')}`,
    );
  }
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  const bar = progressBar(`rebuild ${name}`, 'events');
  const started = Date.now();
  try {
    const result = await rebuildProjection(pool, store, projection, {
      batchSize: options.batchSize,
      onProgress: ({ processed, total }) => bar.update(processed, total),
      logger,
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      JSON.stringify({ projection: name, eventsProcessed: result.eventsProcessed, seconds }),
    );
  } finally {
    bar.stop();
    await pool.end();
  }
}
