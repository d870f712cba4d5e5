import { deadlinesProjection } from '@kpi/features/deadlines';
import { servicesProjection } from '@kpi/features/organisation';
import { ensureProjectionReady } from '@kpi/projections';
import { adminDatabaseUrl, waitFor } from '@kpi/testing';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * The API on a bad day, without touching the machine's shared services: Redis on a port nothing
 * listens on; PostgreSQL reached through a TCP proxy of the test's own, which it cuts and
 * restores. What needs the missing service answers 503 problem+json with Retry-After; the rest
 * goes on; the API recovers without a restart.
 */

/** Forwards 127.0.0.1:<port> to a target; `cut()` closes it and every connection through it. */
class TcpProxy {
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The read models GET /deadlines reads, made (empty) as a worker would. */
async function readModelsOf(api: ApiUnderTest): Promise<void> {
  for (const projection of [servicesProjection, deadlinesProjection]) {
    await ensureProjectionReady(api.pool, api.store, projection);
  }
}

const region = () => ({
  regionId: `r-${randomUUID().slice(0, 8)}`,
  name: 'North',
  regionalManagerId: 'rm-ola',
});

describe('the API with Redis unreachable', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest('api_redis_away', {
      env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` },
    });
    await readModelsOf(api);
  });
  afterAll(() => api?.close());

  it('takes commands and answers reads (nothing but /health needs Redis); /health says degraded', async () => {
    const token = api.tokenFor({ tenantId: 'care-redis-away', roles: ['provider-admin'] });
    const command = await api
      .http()
      .post('/regions')
      .set('Authorization', `Bearer ${token}`)
      .send(region());
    const read = await api.http().get('/deadlines').set('Authorization', `Bearer ${token}`);
    const health = await api.http().get('/health');

    expect(command.status).toBe(201);
    expect(read.status).toBe(200);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      status: 'degraded',
      checks: { redis: { status: 'down' } },
    });
  });
});

describe('the API while PostgreSQL is away', () => {
  let api: ApiUnderTest;
  let proxy: TcpProxy;
  beforeAll(async () => {
    const server = new URL(adminDatabaseUrl);
    proxy = new TcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    await proxy.open();
    api = await startApiUnderTest('api_postgres_away', {
      env: (database) => {
        const throughProxy = new URL(database.url);
        throughProxy.port = String(proxy.port);
        return { DATABASE_URL: throughProxy.toString() };
      },
    });
    await readModelsOf(api);
  });
  afterAll(async () => {
    await proxy?.cut();
    await api?.close();
  });

  const token = () => api.tokenFor({ tenantId: 'care-pg-away', roles: ['provider-admin'] });
  const readDeadlines = () =>
    api.http().get('/deadlines').set('Authorization', `Bearer ${token()}`);
  const addRegion = () =>
    api.http().post('/regions').set('Authorization', `Bearer ${token()}`).send(region());

  it('answers 503 problem+json with Retry-After for what needs it, serves the rest, and recovers without a restart', async () => {
    expect((await addRegion()).status).toBe(201);
    expect((await readDeadlines()).status).toBe(200);

    await proxy.cut();
    const [read, command, me, health] = await Promise.all([
      readDeadlines(),
      addRegion(),
      api.http().get('/me').set('Authorization', `Bearer ${token()}`),
      api.http().get('/health'),
    ]);
    for (const response of [read, command]) {
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body).toMatchObject({
        type: 'urn:kpi-ledger:problem:service-unavailable',
        title: 'Service unavailable',
        status: 503,
        detail: 'kpi-ledger cannot reach its database just now. Retry in 5 seconds.',
      });
    }
    expect(me.status).toBe(200); // a token alone: no database needed
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'down', checks: { database: { status: 'down' } } });

    await proxy.open(); // PostgreSQL is back, on the same address
    await waitFor(async () => (await readDeadlines()).status === 200, {
      description: 'reads to work again once PostgreSQL is back',
    });
    expect((await addRegion()).status).toBe(201);
    expect((await api.http().get('/health')).body).toMatchObject({ status: 'ok' });
  });
});
