import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { adminDatabaseUrl } from '@kpi/testing';

const repositoryRoot = join(__dirname, '..', '..');
/** Far above what a refused connection takes (well under a second): only a hang fails it. */
const GENEROUS_MS = 15_000;

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), GENEROUS_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

/** A port of this machine nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const probe = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['scripts/probe-services.js', ...args], env);

const realServices = {
  DATABASE_URL: adminDatabaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

describe('scripts/probe-services.js', () => {
  it('passes for the PostgreSQL and Redis the tests use', async () => {
    const result = await probe(['postgres', 'redis'], realServices);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('fails fast on a REDIS_URL pointing at nothing, naming the variable and the address', async () => {
    const port = await closedPort();
    const result = await probe(['postgres', 'redis'], {
      ...realServices,
      REDIS_URL: `redis://127.0.0.1:${port}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`REDIS_URL=redis://127.0.0.1:${port}: connection refused\n`);
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  it('names DATABASE_URL with its password hidden', async () => {
    const port = await closedPort();
    const result = await probe(['postgres'], {
      DATABASE_URL: `postgres://kpi:s3cret@127.0.0.1:${port}/kpi_ledger`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `DATABASE_URL=postgres://kpi:***@127.0.0.1:${port}/kpi_ledger: connection refused\n`,
    );
  });

  it('counts a server without the database yet as up (cli create-database makes it)', async () => {
    const url = new URL(adminDatabaseUrl);
    url.pathname = '/kpi_probe_no_such_database';
    expect(await probe(['postgres'], { DATABASE_URL: url.toString() })).toMatchObject({ code: 0 });
  });

  it("tells whether a URL is this machine's default port (a server it may start)", async () => {
    const local = await probe(['--local-default', 'redis'], { REDIS_URL: 'redis://localhost' });
    const other = await probe(['--local-default', 'redis'], {
      REDIS_URL: 'redis://127.0.0.1:6390',
    });
    expect([local.code, other.code]).toEqual([0, 1]);
  });
});

describe('scripts/ensure-services.sh', () => {
  it('reads DATABASE_URL and REDIS_URL and names every one that does not answer', async () => {
    const [databasePort, redisPort] = [await closedPort(), await closedPort()];
    const result = await run('bash', ['scripts/ensure-services.sh'], {
      KPI_SKIP_SERVICE_START: '1',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${databasePort}/kpi_ledger`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `ensure-services: DATABASE_URL=postgres://postgres@127.0.0.1:${databasePort}/kpi_ledger: connection refused`,
      `ensure-services: REDIS_URL=redis://127.0.0.1:${redisPort}: connection refused`,
    ]);
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  it('passes when both answer', async () => {
    const result = await run('bash', ['scripts/ensure-services.sh'], {
      KPI_SKIP_SERVICE_START: '1',
      ...realServices,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
