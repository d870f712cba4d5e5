import { saveCheckpoint, START_OF_LOG } from '@kpi/event-store';
import { waitFor } from '@kpi/testing';
import { startApiUnderTest, uniqueStreamId, type ApiUnderTest } from './support/api-under-test';

describe('GET /health with the database and Redis up', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest('api_health');
  });
  afterAll(() => api.close());

  it('is 200 ok and shows how far each projection is behind', async () => {
    // Five events in this database; the projection has handled the first two.
    await api.appendFixtures(uniqueStreamId('health'), 'tenant-a', 5);
    // All five readable: another database's open transaction can hold new events back a moment.
    const { events } = await waitFor(
      async () => {
        const read = await api.store.readAll(START_OF_LOG, { limit: 5 });
        return read.events.length === 5 ? read : null;
      },
      { description: "the five events to be readable past the server's horizon" },
    );
    const handled = {
      transactionId: events[1]!.transactionId,
      globalPosition: events[1]!.globalPosition,
    };
    await saveCheckpoint(api.pool, 'projection:kpi-status', handled);
    await saveCheckpoint(api.pool, 'reactor:deadlines', handled); // not a projection: not listed

    const response = await api.http().get('/health');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      status: 'ok',
      checks: {
        database: { status: 'up', latencyMs: expect.any(Number) },
        redis: { status: 'up', latencyMs: expect.any(Number) },
        projections: [{ name: 'kpi-status', eventsBehind: 3, checkpoint: handled }],
        // This test's API has its own Redis keys: empty queues.
        queues: {
          deadlines: { waiting: 0, delayed: 0, active: 0, failed: 0, completed: 0 },
          callOff: { waiting: 0, delayed: 0, active: 0, failed: 0, completed: 0 },
          notifications: { waiting: 0, delayed: 0, active: 0, failed: 0, completed: 0 },
        },
      },
    });
  });
});

describe('GET /health with Redis unreachable', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    // Port 1 refuses connections at once: Redis is "down" without waiting for a timeout.
    api = await startApiUnderTest('api_health_down', { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => api.close());

  it('is 503 degraded, still reporting the database', async () => {
    const response = await api.http().get('/health');

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'degraded',
      checks: {
        database: { status: 'up', latencyMs: expect.any(Number) },
        redis: { status: 'down', latencyMs: expect.any(Number) },
        projections: [],
        queues: { deadlines: null, callOff: null, notifications: null },
      },
    });
  });
});
