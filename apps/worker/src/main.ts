import { allProjections, ProjectionRunner } from '@kpi/projections';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import { selectProjections } from './select-projections';

/**
 * The worker: keeps every read model up to date with the event log (and, in later issues, runs
 * reactors and scheduled jobs). Many workers may run at once; each projection is run by one.
 */
async function main(): Promise<void> {
  const { config, logger } = loadEnvironment('worker');
  const { pool, store } = await openDatabase(config, logger, { component: 'worker' });
  const projections = selectProjections(allProjections, process.env.WORKER_PROJECTIONS);
  // One runner for all of this worker's read models: each batch of the log is read once and
  // applied to every projection in one transaction (docs/decisions/0006).
  const runners = [
    new ProjectionRunner(pool, store, projections, {
      batchSize: config.PROJECTION_BATCH_SIZE,
      idlePollMs: config.PROJECTION_IDLE_POLL_MS,
      logger,
    }),
  ];
  for (const runner of runners) runner.start();
  logger.info({ projections: projections.map((p) => p.name) }, 'worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    await Promise.all(runners.map((runner) => runner.stop()));
    await pool.end();
    logger.info({}, 'worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
