import { waitFor } from '@kpi/testing';
import {
  PROBLEM_JSON,
  startApiUnderTest,
  uniqueStreamId,
  type ApiUnderTest,
} from './support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('api_audit');
});
afterAll(() => api.close());

const TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';

function getAs(tenantId: string, path: string) {
  const token = api.tokenFor({ tenantId, roles: ['regulator'] });
  return api.http().get(path).set('Authorization', `Bearer ${token}`);
}
const eventsPath = (streamId: string, query = '') =>
  `/audit/streams/${encodeURIComponent(streamId)}/events${query}`;
const verificationPath = (streamId: string) =>
  `/audit/streams/${encodeURIComponent(streamId)}/verification`;

/** A problem body with what legitimately differs between two requests (id, stream) taken out. */
function comparable(body: Record<string, unknown>, streamId: string): Record<string, unknown> {
  const { requestId: _requestId, ...rest } = body;
  return JSON.parse(
    JSON.stringify(rest)
      .replaceAll(encodeURIComponent(streamId), '<stream>')
      .replaceAll(streamId, '<stream>'),
  );
}

describe('reading a stream of your tenant', () => {
  it('returns its events as stored, with their positions, metadata, times and hashes', async () => {
    const streamId = uniqueStreamId('audit');
    const appended = await api.appendFixtures(streamId, TENANT, 2);

    const response = await getAs(TENANT, eventsPath(streamId));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const [first, second] = response.body.events;
    expect(response.body.streamId).toBe(streamId);
    expect(response.body.events).toHaveLength(2);
    expect(first).toEqual({
      eventId: appended[0]!.events[0]!.eventId,
      streamVersion: 1,
      globalPosition: appended[0]!.events[0]!.globalPosition,
      type: 'AuditFixtureRecorded',
      schemaVersion: 1,
      data: { n: 1 },
      metadata: {
        tenantId: TENANT,
        actor: 'user:fixture',
        correlationId: null,
        causationId: null,
        commandId: null,
      },
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      recordedAtMicros: `${Date.parse(first.recordedAt)}000`,
      effectiveAt: null,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousHash: '',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(second).toMatchObject({ streamVersion: 2, data: { n: 2 }, previousHash: first.hash });
  });

  it('reads newest first and at most `limit` events', async () => {
    const streamId = uniqueStreamId('audit');
    await api.appendFixtures(streamId, TENANT, 4);
    const response = await getAs(TENANT, eventsPath(streamId, '?direction=backward&limit=2'));
    expect(response.status).toBe(200);
    expect(response.body.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([
      4, 3,
    ]);
  });

  it('pages forward from a version', async () => {
    const streamId = uniqueStreamId('audit');
    await api.appendFixtures(streamId, TENANT, 4);
    const response = await getAs(TENANT, eventsPath(streamId, '?fromVersion=3'));
    expect(response.body.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([
      3, 4,
    ]);
  });
});

describe('time travel', () => {
  it('reads the stream as it was at a version', async () => {
    const streamId = uniqueStreamId('travel');
    await api.appendFixtures(streamId, TENANT, 3);
    const response = await getAs(TENANT, eventsPath(streamId, '?toVersion=2'));
    expect(response.status).toBe(200);
    expect(response.body.events.map((e: { data: unknown }) => e.data)).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
  });

  it('reads the stream as it was known at a recorded time', async () => {
    const streamId = uniqueStreamId('travel');
    const [first] = await api.appendFixtures(streamId, TENANT, 1);
    const [recordedFirst] = await api.store.readStream(streamId);
    await untilTheDatabaseClockHasPassed(recordedFirst!.recordedAt);
    await api.appendFixtures(streamId, TENANT, 2);

    const asKnownThen = await getAs(
      TENANT,
      eventsPath(streamId, `?recordedUntil=${recordedFirst!.recordedAt.toISOString()}`),
    );
    const now = await getAs(TENANT, eventsPath(streamId));

    expect(asKnownThen.status).toBe(200);
    expect(asKnownThen.body.events.map((e: { eventId: string }) => e.eventId)).toEqual([
      first!.events[0]!.eventId,
    ]);
    expect(now.body.events).toHaveLength(3);
  });

  it('answers an empty history, not 404, for a time before the stream began', async () => {
    const streamId = uniqueStreamId('travel');
    await api.appendFixtures(streamId, TENANT, 1);
    const response = await getAs(
      TENANT,
      eventsPath(streamId, '?recordedUntil=2000-01-01T00:00:00Z'),
    );
    expect(response.status).toBe(200);
    expect(response.body.events).toEqual([]);
  });

  /** Appends record the database clock to the millisecond; wait (on the condition) for the next one. */
  async function untilTheDatabaseClockHasPassed(instant: Date): Promise<void> {
    await waitFor(
      async () => {
        const { rows } = await api.pool.query<{ passed: boolean }>(
          `SELECT date_trunc('milliseconds', clock_timestamp()) > $1 AS passed`,
          [instant],
        );
        return rows[0]!.passed;
      },
      { description: `the database clock to pass ${instant.toISOString()}`, intervalMs: 1 },
    );
  }
});

describe("another tenant's stream", () => {
  it('is answered exactly like a stream that does not exist (404)', async () => {
    const theirs = uniqueStreamId('audit');
    await api.appendFixtures(theirs, OTHER_TENANT, 1);
    const missing = uniqueStreamId('audit');

    const forTheirs = await getAs(TENANT, eventsPath(theirs));
    const forMissing = await getAs(TENANT, eventsPath(missing));

    expect(forTheirs.status).toBe(404);
    expect(forMissing.status).toBe(404);
    expect(forTheirs.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(forTheirs.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:not-found',
      detail: `No stream "${theirs}" was found`,
    });
    expect(comparable(forTheirs.body, theirs)).toEqual(comparable(forMissing.body, missing));
  });

  it('stays hidden whatever the request says its tenant is', async () => {
    const theirs = uniqueStreamId('audit');
    await api.appendFixtures(theirs, OTHER_TENANT, 1);
    const response = await getAs(TENANT, eventsPath(theirs)).set('x-tenant-id', OTHER_TENANT);
    expect(response.status).toBe(404);
  });

  it('cannot be verified either: 404 like a missing stream', async () => {
    const theirs = uniqueStreamId('audit');
    await api.appendFixtures(theirs, OTHER_TENANT, 1);
    const missing = uniqueStreamId('audit');

    const forTheirs = await getAs(TENANT, verificationPath(theirs));
    const forMissing = await getAs(TENANT, verificationPath(missing));

    expect(forTheirs.status).toBe(404);
    expect(comparable(forTheirs.body, theirs)).toEqual(comparable(forMissing.body, missing));
  });
});

describe('verification', () => {
  it('reports an intact chain', async () => {
    const streamId = uniqueStreamId('verify');
    await api.appendFixtures(streamId, TENANT, 3);
    const response = await getAs(TENANT, verificationPath(streamId));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ streamsChecked: 1, eventsChecked: 3, brokenLinks: [] });
  });

  it('names the first event whose stored content was changed', async () => {
    const streamId = uniqueStreamId('verify');
    await api.appendFixtures(streamId, TENANT, 3);
    await tamperWith(streamId, 2);

    const response = await getAs(TENANT, verificationPath(streamId));

    expect(response.status).toBe(200);
    expect(response.body.brokenLinks).toEqual([
      expect.objectContaining({ streamId, streamVersion: 2, reason: 'content-changed' }),
    ]);
  });

  /** What an attacker with database access would do: events are immutable unless the trigger is off. */
  async function tamperWith(streamId: string, version: number): Promise<void> {
    const client = await api.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update');
      await client.query(
        `UPDATE events SET data = '{"n": 999}' WHERE stream_id = $1 AND stream_version = $2`,
        [streamId, version],
      );
      await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
});

const WHOLE_NUMBER = 'must be a whole number from 1 to 9007199254740991';

describe('invalid requests', () => {
  it.each([
    ['?toVersion=abc', [{ field: 'toVersion', reason: WHOLE_NUMBER }]],
    ['?toVersion=0', [{ field: 'toVersion', reason: WHOLE_NUMBER }]],
    ['?toVersion=1.5', [{ field: 'toVersion', reason: WHOLE_NUMBER }]],
    ['?toVersion=100000000000000000000', [{ field: 'toVersion', reason: WHOLE_NUMBER }]],
    ['?fromVersion=9007199254740992', [{ field: 'fromVersion', reason: WHOLE_NUMBER }]],
    ['?limit=1001', [{ field: 'limit', reason: 'must be a whole number from 1 to 1000' }]],
    ['?direction=sideways', [{ field: 'direction', reason: 'must be forward or backward' }]],
    [
      '?recordedUntil=2025-04-30T10:00:00',
      [
        {
          field: 'recordedUntil',
          reason: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-04-30T23:59:59Z',
        },
      ],
    ],
    ['?tenantId=tenant-b', [{ field: 'tenantId', reason: 'is not a known field here' }]],
    [
      '?toVersion=abc&limit=0',
      [
        { field: 'toVersion', reason: WHOLE_NUMBER },
        { field: 'limit', reason: 'must be a whole number from 1 to 1000' },
      ],
    ],
  ])('%s is refused with 400 naming each field and why', async (query, errors) => {
    const streamId = uniqueStreamId('invalid');
    await api.appendFixtures(streamId, TENANT, 1);

    const response = await getAs(TENANT, eventsPath(streamId, query));

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: 'urn:kpi-ledger:problem:invalid-request',
      title: 'Invalid request',
      status: 400,
      detail: expect.stringContaining(errors.map((e) => e.field).join(', ')),
      instance: eventsPath(streamId),
      errors,
      requestId: response.headers['x-request-id'],
    });
  });

  it('refuses a stream id the event store cannot hold, naming streamId', async () => {
    const response = await getAs(TENANT, eventsPath('s'.repeat(201)));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'streamId', reason: 'it is 201 characters long; the limit is 200' },
    ]);
  });
});
