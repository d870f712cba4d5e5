import { capabilityEscalationProcess } from '@kpi/features/capability';
import { allProjections } from '@kpi/features';
import { projectionStatus } from '@kpi/projections';
import { loadEnvironment, openDatabase } from '@kpi/runtime';

/** `cli projections`: each read model's (and process's) version and how many events it is behind. */
export async function projectionsCommand(): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    console.log(
      JSON.stringify(
        await projectionStatus(pool, store, [
          ...allProjections,
          capabilityEscalationProcess(store),
        ]),
        null,
        2,
      ),
    );
  } finally {
    await pool.end();
  }
}
