import { currentCorrelationId } from '../../apps/api/src/request-context';
import { Public } from '../../apps/api/src/auth/auth.decorators';
import { Body, Controller, Get, Inject, Module, Param, Post } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  fixtureEvent,
  PROBLEM_JSON,
  startApiUnderTest,
  uniqueStreamId,
  type ApiUnderTest,
} from './support/api-under-test';

/**
 * Endpoints that fail on purpose, mounted only in this spec, to see what the real pipeline
 * (guards, filter, logger) makes of each kind of error.
 */
@Public()
@Controller('probe')
class ProbeController {
  constructor(@Inject(PinoLogger) private readonly logger: PinoLogger) {}

  /** Appends with a stale expected version: the store's own ConcurrencyError. */
  @Get('stale-append/:streamId')
  async staleAppend(@Param('streamId') streamId: string): Promise<void> {
    await api.store.append(streamId, [fixtureEvent('tenant-a')], 1);
  }

  /** Appends to another tenant's stream: the store's TenantMismatchError. */
  @Get('foreign-append/:streamId')
  async foreignAppend(@Param('streamId') streamId: string): Promise<void> {
    await api.store.append(streamId, [fixtureEvent('tenant-a')], 'any');
  }

  /** Appends data that is not JSON-safe: the store's InvalidEventError. */
  @Get('invalid-append')
  async invalidAppend(): Promise<void> {
    const event = fixtureEvent('tenant-a', { score: Number.NaN });
    await api.store.append(uniqueStreamId('invalid'), [event], 'any');
  }

  @Get('crash')
  async crash(): Promise<void> {
    this.logger.info('about to fail');
    throw new Error('connect ECONNREFUSED 10.9.8.7:5432 (user kpi, password hunter2)');
  }

  /** The body as the handler received it. */
  @Post('body')
  body(@Body() body: unknown): { body: unknown } {
    return { body };
  }

  /** The correlation id seen by code running after an await, as a command handler would. */
  @Get('correlation-id')
  async correlationId(): Promise<{ correlationId: string | null }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { correlationId: currentCorrelationId() };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('api_errors', { imports: [ProbeModule] });
});
afterAll(() => api.close());

describe('errors from the event store', () => {
  it('answers a concurrency conflict with 409 naming the stream and versions', async () => {
    const streamId = uniqueStreamId('conflict');
    await api.appendFixtures(streamId, 'tenant-a', 2);

    const response = await api.http().get(`/probe/stale-append/${encodeURIComponent(streamId)}`);

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: 'urn:kpi-ledger:problem:concurrency-conflict',
      title: 'The stream has changed',
      status: 409,
      detail: `Stream "${streamId}" is at version 2, but version 1 was expected. Read the stream again, then retry against its current version.`,
      instance: `/probe/stale-append/${encodeURIComponent(streamId)}`,
      streamId,
      expectedVersion: 1,
      actualVersion: 2,
      requestId: response.headers['x-request-id'],
    });
  });

  it("answers an append to another tenant's stream with 404, as if it did not exist", async () => {
    const streamId = uniqueStreamId('foreign');
    await api.appendFixtures(streamId, 'tenant-b', 1);

    const response = await api.http().get(`/probe/foreign-append/${encodeURIComponent(streamId)}`);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:not-found',
      detail: `No stream "${streamId}" was found`,
    });
    expect(JSON.stringify(response.body)).not.toMatch(/tenant/i);
  });

  it('answers an invalid event with 400 naming the path of the bad value', async () => {
    const response = await api.http().get('/probe/invalid-append');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:invalid-request',
      errors: [{ field: 'events[0].data.score', reason: expect.any(String) }],
    });
  });
});

describe('an unexpected error', () => {
  it('is a 500 that reveals nothing, logged in full under the request id', async () => {
    const response = await api.http().get('/probe/crash');

    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    const requestId = response.headers['x-request-id'];
    expect(response.body).toEqual({
      type: 'urn:kpi-ledger:problem:internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'Something went wrong on our side. Quote the requestId if you report it.',
      instance: '/probe/crash',
      requestId,
    });
    expect(response.text).not.toMatch(/ECONNREFUSED|hunter2|10\.9\.8\.7|at ProbeController/);

    const logged = api.logLines.filter((line) => line.requestId === requestId);
    expect(logged).toEqual([
      expect.objectContaining({ level: 30, msg: 'about to fail' }),
      expect.objectContaining({
        level: 50,
        msg: 'request errored',
        res: expect.objectContaining({ statusCode: 500 }),
        err: expect.objectContaining({
          message: expect.stringContaining('ECONNREFUSED'),
          stack: expect.stringContaining('ProbeController.crash'),
        }),
      }),
    ]);
  });
});

describe('request bodies', () => {
  const post = (contentType: string, body: string) =>
    api.http().post('/probe/body').set('Content-Type', contentType).send(body);

  it('reads JSON, an empty body as {}', async () => {
    expect((await post('application/json', '{"a":[1]}')).body).toEqual({ body: { a: [1] } });
    expect((await post('application/json; charset=utf-8', '')).body).toEqual({ body: {} });
  });

  it.each([
    ['malformed JSON', '{"a":', 'Unexpected end of JSON input'],
    ['JSON that is not an object or array', '1', `Unexpected token '1', "1" is not valid JSON`],
  ])('answers %s with a 400 saying what is wrong', async (_case, body, detail) => {
    const response = await post('application/json', body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ type: 'urn:kpi-ledger:problem:invalid-request', detail });
  });

  it('does not read a body of another type', async () => {
    expect((await post('text/plain', '{"a":1}')).body).toEqual({});
  });

  it('takes up to 100 kB, and answers a larger body with 413', async () => {
    const ofSize = (bytes: number) => JSON.stringify({ a: 'x'.repeat(bytes - 8) });
    expect((await post('application/json', ofSize(100 * 1024))).status).toBe(201);
    const response = await post('application/json', ofSize(100 * 1024 + 1));
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ type: 'about:blank', title: 'Payload Too Large' });
  });
});

describe('an unknown route', () => {
  it('is a 404 problem', async () => {
    const response = await api.http().get('/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ type: 'urn:kpi-ledger:problem:not-found', status: 404 });
  });
});

describe('request ids', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it("echoes the caller's x-request-id and uses it as the correlation id", async () => {
    const response = await api
      .http()
      .get('/probe/correlation-id')
      .set('x-request-id', 'trace:abc-123.4_5');
    expect(response.headers['x-request-id']).toBe('trace:abc-123.4_5');
    expect(response.body).toEqual({ correlationId: 'trace:abc-123.4_5' });
  });

  it('generates a UUID when none is given', async () => {
    const response = await api.http().get('/probe/correlation-id');
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.body).toEqual({ correlationId: response.headers['x-request-id'] });
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['with spaces', 'a b'],
    ['with a comma (two headers joined)', 'a,b'],
  ])('replaces one %s with a UUID', async (_case, given) => {
    const response = await api.http().get('/probe/correlation-id').set('x-request-id', given);
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('is echoed on error responses and named in their body', async () => {
    const response = await api.http().get('/me').set('x-request-id', 'req-401');
    expect(response.status).toBe(401);
    expect(response.headers['x-request-id']).toBe('req-401');
    expect(response.body.requestId).toBe('req-401');
  });

  it('is on every log line of the request, and no bearer token is', async () => {
    const token = api.tokenFor({ tenantId: 'tenant-a', roles: ['hr'] });
    await api
      .http()
      .get('/me')
      .set('x-request-id', 'req-logged')
      .set('Authorization', `Bearer ${token}`);
    const completed = api.logLines.find(
      (line) => line.msg === 'request completed' && line.requestId === 'req-logged',
    );
    expect(completed).toMatchObject({ req: { headers: { authorization: '[redacted]' } } });
    expect(JSON.stringify(api.logLines)).not.toContain(token);
  });
});

describe('outside a request', () => {
  it('there is no correlation id', () => {
    expect(currentCorrelationId()).toBeNull();
  });
});
