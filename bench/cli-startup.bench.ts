/**
 * bench/cli-startup: wall time from launching a CLI command to its exit, for four commands and
 * four ways of running them. Prints one JSON line per command and way (median, min, max ms).
 *
 *   source  node -r ./scripts/register.js apps/cli/src/main.ts  (runtime compiler: how
 *           `npm run cli` ran before `npm run build` existed)
 *   dist    node dist/apps/cli/src/main.js                       (the compiled JavaScript)
 *   run     node scripts/run.js cli                              (what `npm run cli` runs now:
 *           checks that dist/ is up to date, then the compiled JavaScript)
 *   npm     npm run -s cli --                                    (the same, plus npm's own start)
 *
 * Builds dist/ first if it is stale. `projections` reads a throwaway database of its own. Runs
 * BENCH_ROUNDS rounds (default 5), interleaving the ways, as this machine is noisy. Where GNU
 * time is installed (/usr/bin/time) it also reports CPU time (user + system), which a busy
 * machine inflates far less than wall time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, freshAuditSigningKeys } from '@kpi/testing';
import { codeVersion, envInt, report, saveResults } from './bench-support';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const root = join(__dirname, '..');

const WAYS: Record<string, string[]> = {
  source: [process.execPath, '-r', './scripts/register.js', 'apps/cli/src/main.ts'],
  dist: [process.execPath, 'dist/apps/cli/src/main.js'],
  run: [process.execPath, 'scripts/run.js', 'cli'],
  npm: ['npm', 'run', '-s', 'cli', '--'],
};

const COMMANDS: string[][] = [
  ['--help'],
  ['verify', '--help'],
  ['token', '--tenant', 'bench-care', '--role', 'provider-admin'],
  ['projections'],
];

const GNU_TIME = '/usr/bin/time';
const withCpu = existsSync(GNU_TIME);

/** Wall and CPU milliseconds of one run (CPU NaN without GNU time). */
function timeCommand(
  way: string[],
  command: string[],
  env: NodeJS.ProcessEnv,
): { wallMs: number; cpuMs: number } {
  const argv = [...way, ...command];
  const [file, ...args] = withCpu ? [GNU_TIME, '-f', 'cpu %U %S', ...argv] : argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(file!, args, { cwd: root, env });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${argv.join(' ')} failed:\n${String(result.stderr)}`);
  }
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(String(result.stderr));
  return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]!);
};

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.js', '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  const database = await createTestDatabase('cli-startup');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_SIGNING_KEYS: freshAuditSigningKeys('bench'),
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
  };
  try {
    timeCommand(WAYS.dist!, ['migrate'], env);
    const times = new Map<string, { wallMs: number; cpuMs: number }[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const command of COMMANDS) {
        for (const [name, way] of Object.entries(WAYS)) {
          const key = `${command.join(' ')}\u0000${name}`;
          times.set(key, [...(times.get(key) ?? []), timeCommand(way, command, env)]);
        }
      }
    }
    const results = [...times].map(([key, list]) => {
      const [command, way] = key.split('\u0000');
      const wall = list.map((run) => run.wallMs);
      return {
        bench: 'cli-startup',
        command,
        way,
        rounds: list.length,
        medianMs: median(wall),
        minMs: Math.round(Math.min(...wall)),
        maxMs: Math.round(Math.max(...wall)),
        ...(withCpu ? { cpuMedianMs: median(list.map((run) => run.cpuMs)) } : {}),
        code: codeVersion(),
      };
    });
    for (const result of results) report(result);
    saveResults('cli-startup', results);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
