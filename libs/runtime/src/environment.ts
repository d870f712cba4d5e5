import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from '@kpi/config';
import { createLogger, type Logger } from '@kpi/logging';
import { config as loadDotenv } from 'dotenv';

/**
 * The first thing every process does: read `.env` from the working directory (if there is
 * one; real environment variables win), validate the configuration, make the logger.
 * A wrong setting ends the process with a message naming it.
 */
export function loadEnvironment(
  component: string,
  options: { logTo?: 'stdout' | 'stderr' } = {},
): { config: AppConfig; logger: Logger } {
  const envFile = join(process.cwd(), '.env');
  if (existsSync(envFile)) loadDotenv({ path: envFile, quiet: true });
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // A CLI keeps stdout for its results; its log lines go to stderr.
  const fd = options.logTo === 'stderr' ? 2 : 1;
  return { config, logger: createLogger(config, { name: component, fd }) };
}
