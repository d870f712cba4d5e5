import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, deleteRedisKeys, type TestDatabase } from '@kpi/testing';

/**
 * CLI commands and both processes, with a service they need unreachable: each ends with exit
 * status 1 and one line on stderr naming the variable and the address, long before the bound
 * (a refused connection takes milliseconds; compiling the entry point takes 1.5 to 10 s,
 * depending on how busy the machine is).
 */
const repositoryRoot = join(__dirname, '..', '..');
const GENEROUS_MS = 30_000;
/** The processes' BullMQ keys (a worker that reached Redis leaves a queue's meta), deleted at the end. */
const PREFIX = `unreachable-${process.pid}`;

let database: TestDatabase;
let closedPort: number;
beforeAll(async () => {
  database = await createTestDatabase('unreachable_services');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  await database.drop();
  await deleteRedisKeys(PREFIX);
});

interface Exit {
  code: number | null;
  stderrLines: string[];
  ms: number;
}

function runEntryPoint(entry: string, args: string[], env: Record<string, string>): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './scripts/register.js', entry, ...args], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        JWT_SECRET: 'unreachable-services-test-secret-32-chars',
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        BULLMQ_PREFIX: PREFIX,
        WORKER_PROJECTIONS: 'tenant-activity',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), GENEROUS_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderrLines: stderr.trimEnd().split('\n'), ms: Date.now() - started });
    });
  });
}

const cli = (args: string, env: Record<string, string>) =>
  runEntryPoint('apps/cli/src/main.ts', args.split(' '), env);

const redisAway = () => ({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
const databaseAway = () => ({
  DATABASE_URL: `postgres://kpi:s3cret@127.0.0.1:${closedPort}/kpi_ledger`,
});
const redisLine = () => `REDIS_URL=redis://127.0.0.1:${closedPort}: connection refused`;
const databaseLine = () =>
  `DATABASE_URL=postgres://kpi:***@127.0.0.1:${closedPort}/kpi_ledger: connection refused`;

/**
 * Runs the commands one after the other (each compiles its entry point: side by side they
 * would only compete for the CPU); each result names its command, so a failure says which.
 */
async function cliAll(commands: string[], env: Record<string, string>) {
  const results = [];
  for (const command of commands) {
    const { code, stderrLines, ms } = await cli(command, env);
    results.push({ command, code, stderrLines, inTime: ms < GENEROUS_MS });
  }
  return results;
}

describe('with Redis unreachable', () => {
  it('every queue command exits 1 at once with one line naming REDIS_URL', async () => {
    const commands = ['deadlines status', 'deadlines requeue', 'call-off status'];
    expect(await cliAll(commands, redisAway())).toEqual(
      commands.map((command) => ({
        command,
        code: 1,
        stderrLines: [`error: ${redisLine()}`],
        inTime: true,
      })),
    );
  });

  it('the worker does not start, and says why in one line', async () => {
    const exit = await runEntryPoint('apps/worker/src/main.ts', [], redisAway());
    expect(exit).toMatchObject({ code: 1, stderrLines: [redisLine()] });
  });
});

describe('with PostgreSQL unreachable', () => {
  it('every database command exits 1 at once with one line naming DATABASE_URL', async () => {
    // create-database has a connection of its own; the others share openDatabase.
    const commands = ['create-database', 'migrate', 'verify', 'calendar list', 'call-off status'];
    expect(await cliAll(commands, databaseAway())).toEqual(
      commands.map((command) => ({
        command,
        code: 1,
        stderrLines: [`error: ${databaseLine()}`],
        inTime: true,
      })),
    );
  });

  it('the worker and the API do not start, and say why in one line', async () => {
    const [worker, api] = await Promise.all([
      runEntryPoint('apps/worker/src/main.ts', [], databaseAway()),
      runEntryPoint('apps/api/src/main.ts', [], databaseAway()),
    ]);
    expect(worker).toMatchObject({ code: 1, stderrLines: [databaseLine()] });
    expect(api).toMatchObject({
      code: 1,
      stderrLines: [`The API could not start: ${databaseLine()}`],
    });
    expect([worker.ms, api.ms].every((ms) => ms < GENEROUS_MS)).toBe(true);
  });
});
