import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';

const repositoryRoot = join(__dirname, '..', '..', '..');

describe('the API entry point on a taken port', () => {
  let occupier: Server;
  let port: number;

  beforeAll(async () => {
    occupier = createServer();
    occupier.listen(0, '::');
    await once(occupier, 'listening');
    port = (occupier.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => occupier.close(resolve)));

  it('exits at once with one line naming the port and PORT, no stack', async () => {
    const api = spawn(process.execPath, ['-r', './scripts/register.js', 'apps/api/src/main.ts'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        JWT_SECRET: 'port-check-test-secret-of-32-characters',
        // Never reached: the port is checked before anything connects.
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    api.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    api.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(api, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toBe(
      `port ${port} is in use — another kpi-ledger? set PORT=… (in .env or the environment) to use another\n`,
    );
    expect(stdout).toBe('');
  });
});
