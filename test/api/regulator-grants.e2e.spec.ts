import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { serviceRegistered, toAppend } from '@kpi/testing/fixtures';
import type { Role } from '@kpi/domain';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * A regulator reads an organisation's trail only under a grant from it: in scope, in its
 * period, to the regulator's organisation, until it expires or is revoked. Anything else is a
 * 404 like a stream that does not exist, and the attempt is in the grantor's access log.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('regulator_grants_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const HOUR = 3_600_000;
const WHOLE_TIME = { from: '2020-01-01', to: '2099-12-31' };
const inAnHour = () => new Date(Date.now() + HOUR).toISOString();
const londonDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + offsetDays * 24 * HOUR),
  );

const as = (tenantId: string, roles: Role[], userId = 'user:e2e') =>
  api.tokenFor({ tenantId, roles, userId });
const admin = (tenantId: string) => as(tenantId, ['admin'], 'user:admin-ann');
const inspector = (tenantId: string) => as(tenantId, ['regulator'], 'user:inspector-ivy');

const get = (token: string, path: string) =>
  api.http().get(path).set('Authorization', `Bearer ${token}`);
const post = (token: string, path: string, body?: object) =>
  api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .send(body ?? '');

const underGrant = (grantId: string, streamId: string, what = 'events') =>
  `/granted/${grantId}/audit/streams/${encodeURIComponent(streamId)}/${what}`;

/**
 * A provider with two homes (ty-gwyn, plas-newydd), a return of each, a region, and a regulator
 * organisation of its own: fresh tenants for each test.
 */
async function organisation() {
  const suffix = randomUUID().slice(0, 8);
  const tenant = `acme-${suffix}`;
  const regulator = `ofsted-${suffix}`;
  for (const serviceId of ['ty-gwyn', 'plas-newydd']) {
    await store.append(
      `${tenant}:service:${serviceId}`,
      [toAppend(tenant, serviceRegistered({ serviceId }))],
      'no-stream',
    );
    await api.appendFixtures(`${tenant}:monthly-return:${serviceId}:2026-04`, tenant, 2);
  }
  await api.appendFixtures(`${tenant}:region:north`, tenant, 1);
  return {
    tenant,
    regulator,
    tyGwynReturn: `${tenant}:monthly-return:ty-gwyn:2026-04`,
    plasNewyddReturn: `${tenant}:monthly-return:plas-newydd:2026-04`,
    region: `${tenant}:region:north`,
  };
}

async function grant(
  tenant: string,
  body: Record<string, unknown>,
): Promise<{ grantId: string; [key: string]: unknown }> {
  const response = await post(admin(tenant), '/regulator-grants', {
    period: WHOLE_TIME,
    expiresAt: inAnHour(),
    reference: 'SC123456/2026-05',
    ...body,
  });
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  await projections.caughtUp();
  return response.body;
}

async function accessLogOf(tenant: string) {
  const response = await get(admin(tenant), '/access-log');
  expect(response.status).toBe(200);
  return response.body.entries as Record<string, unknown>[];
}

describe('granting a regulator access', () => {
  it('records the grant, lists it for both sides, and lets the regulator read a stream in scope', async () => {
    const { tenant, regulator, tyGwynReturn } = await organisation();
    const made = await grant(tenant, { regulatorTenantId: regulator });
    expect(made).toEqual({
      grantId: expect.stringMatching(/^grant-[0-9a-f]{16}$/),
      streamId: `${tenant}:regulator-grant:${made.grantId}`,
      grantorTenantId: tenant,
      regulatorTenantId: regulator,
      scope: { kind: 'organisation' },
      period: WHOLE_TIME,
      expiresAt: expect.any(String),
      reference: 'SC123456/2026-05',
      grantedBy: 'user:admin-ann',
      grantedAt: expect.any(String),
      revokedAt: null,
      revokedBy: null,
      status: 'active',
      replayed: false,
    });
    const granted = await api.store.readStream(made.streamId as string);
    expect(granted.map((event) => event.type)).toEqual(['RegulatorAccessGranted']);

    const mine = await get(admin(tenant), '/regulator-grants');
    expect(mine.body.grants).toEqual([expect.objectContaining({ grantId: made.grantId })]);
    const held = await get(inspector(regulator), '/granted');
    expect(held.status).toBe(200);
    expect(held.body.grants).toEqual([
      expect.objectContaining({ grantId: made.grantId, grantorTenantId: tenant, status: 'active' }),
    ]);

    const events = await get(inspector(regulator), underGrant(made.grantId, tyGwynReturn));
    expect(events.status).toBe(200);
    expect(events.body.streamId).toBe(tyGwynReturn);
    expect(events.body.events.map((e: { data: unknown }) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    const verification = await get(
      inspector(regulator),
      underGrant(made.grantId, tyGwynReturn, 'verification'),
    );
    expect(verification.status).toBe(200);
    expect(verification.body).toEqual({ streamsChecked: 1, eventsChecked: 2, brokenLinks: [] });
  });

  it('lets the organisation’s provider-admin grant too, but no other role', async () => {
    const { tenant, regulator } = await organisation();
    const body = {
      regulatorTenantId: regulator,
      period: WHOLE_TIME,
      expiresAt: inAnHour(),
      reference: 'r',
    };
    expect((await post(as(tenant, ['provider-admin']), '/regulator-grants', body)).status).toBe(
      201,
    );
    for (const role of [
      'hr',
      'regulator',
      'regional-manager',
      'home-manager',
      'commissioner',
    ] as Role[]) {
      const response = await post(as(tenant, [role]), '/regulator-grants', body);
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
    }
    expect((await get(as(tenant, ['hr']), '/regulator-grants')).status).toBe(403);
    expect((await get(as(regulator, ['provider-admin']), '/granted')).status).toBe(403);
  });

  it('refuses bad input with 400 naming each field, storing nothing', async () => {
    const { tenant, regulator } = await organisation();
    const before = (await api.pool.query('SELECT count(*) FROM events')).rows[0].count;
    const refusal = async (body: Record<string, unknown>) => {
      const response = await post(admin(tenant), '/regulator-grants', {
        regulatorTenantId: regulator,
        period: WHOLE_TIME,
        expiresAt: inAnHour(),
        reference: 'SC123456/2026-05',
        ...body,
      });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      return response.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await refusal({ regulatorTenantId: undefined })).toEqual(['regulatorTenantId']);
    expect(await refusal({ regulatorTenantId: tenant })).toEqual(['regulatorTenantId']);
    expect(await refusal({ regulatorTenantId: 'has:colon' })).toEqual(['regulatorTenantId']);
    expect(await refusal({ expiresAt: undefined })).toEqual(['expiresAt']);
    expect(await refusal({ expiresAt: '2026-07-31T17:00:00' })).toEqual(['expiresAt']);
    expect(await refusal({ expiresAt: new Date(Date.now() - HOUR).toISOString() })).toEqual([
      'expiresAt',
    ]);
    expect(await refusal({ period: { from: '2026-04-01', to: '2026-03-31' } })).toEqual([
      'period.to',
    ]);
    expect(await refusal({ period: { from: '2026-02-30', to: '2026-03-31' } })).toEqual([
      'period.from',
    ]);
    expect(await refusal({ period: undefined })).toEqual(['period']);
    expect(await refusal({ serviceIds: [] })).toEqual(['serviceIds']);
    expect(await refusal({ serviceIds: ['Ty Gwyn'] })).toEqual(['serviceIds']);
    expect(await refusal({ reference: '  ' })).toEqual(['reference']);
    expect(await refusal({ scope: 'everything' })).toEqual(['scope']);
    expect((await api.pool.query('SELECT count(*) FROM events')).rows[0].count).toBe(before);
  });

  it('refuses a service that is not the organisation’s with 404 naming it', async () => {
    const { tenant, regulator } = await organisation();
    const response = await post(admin(tenant), '/regulator-grants', {
      regulatorTenantId: regulator,
      serviceIds: ['ty-gwyn', 'home-99'],
      period: WHOLE_TIME,
      expiresAt: inAnHour(),
      reference: 'r',
    });
    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('No service home-99');
  });
});

describe('what a grant opens', () => {
  it("opens none of another organisation's streams, whatever the id says", async () => {
    const { tenant, regulator } = await organisation();
    const other = await organisation();
    const { grantId } = await grant(tenant, { regulatorTenantId: regulator });
    for (const streamId of [other.tyGwynReturn, `${tenant}:monthly-return:nowhere:2026-04`]) {
      const response = await get(inspector(regulator), underGrant(grantId, streamId));
      expect({ streamId, status: response.status }).toEqual({ streamId, status: 404 });
    }
  });

  it("a service-scoped grant hides another service's streams and the organisation's own", async () => {
    const { tenant, regulator, tyGwynReturn, plasNewyddReturn, region } = await organisation();
    const { grantId } = await grant(tenant, {
      regulatorTenantId: regulator,
      serviceIds: ['ty-gwyn'],
    });
    const status = async (streamId: string) =>
      (await get(inspector(regulator), underGrant(grantId, streamId))).status;
    expect(await status(tyGwynReturn)).toBe(200);
    expect(await status(`${tenant}:service:ty-gwyn`)).toBe(200);
    expect(await status(plasNewyddReturn)).toBe(404);
    expect(await status(`${tenant}:service:plas-newydd`)).toBe(404);
    expect(await status(region)).toBe(404);
  });

  it('shows only what was recorded in the period: a stream begun after it does not exist', async () => {
    const { tenant, regulator, tyGwynReturn } = await organisation();
    const ended = await grant(tenant, {
      regulatorTenantId: regulator,
      period: { from: '2025-04-01', to: londonDay(-1) },
    });
    expect((await get(inspector(regulator), underGrant(ended.grantId, tyGwynReturn))).status).toBe(
      404,
    );
    const upcoming = await grant(tenant, {
      regulatorTenantId: regulator,
      period: { from: londonDay(1), to: londonDay(30) },
    });
    const response = await get(inspector(regulator), underGrant(upcoming.grantId, tyGwynReturn));
    expect(response.status).toBe(200);
    expect(response.body.events).toEqual([]);
  });
});

describe('when a grant opens nothing', () => {
  it('is 404 after it expires, and listed as expired', async () => {
    const { tenant, regulator, tyGwynReturn } = await organisation();
    const { grantId } = await grant(tenant, { regulatorTenantId: regulator });
    api.setNow(new Date(Date.now() + 2 * HOUR));
    try {
      expect((await get(inspector(regulator), underGrant(grantId, tyGwynReturn))).status).toBe(404);
      expect((await get(inspector(regulator), '/granted')).body.grants).toEqual([]);
      expect((await get(admin(tenant), '/regulator-grants')).body.grants).toEqual([
        expect.objectContaining({ grantId, status: 'expired' }),
      ]);
    } finally {
      api.setNow(null);
    }
  });

  it('is 404 from the moment it is revoked, and listed as revoked', async () => {
    const { tenant, regulator, tyGwynReturn } = await organisation();
    const { grantId } = await grant(tenant, { regulatorTenantId: regulator });
    expect((await get(inspector(regulator), underGrant(grantId, tyGwynReturn))).status).toBe(200);

    const revoked = await post(admin(tenant), `/regulator-grants/${grantId}/revocation`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ grantId, status: 'revoked', revokedBy: 'user:admin-ann' });
    // Judged on the grant's stream: refused before the read model has caught up.
    expect((await get(inspector(regulator), underGrant(grantId, tyGwynReturn))).status).toBe(404);

    await projections.caughtUp();
    expect((await get(admin(tenant), '/regulator-grants')).body.grants).toEqual([
      expect.objectContaining({ grantId, status: 'revoked' }),
    ]);
    expect((await get(inspector(regulator), '/granted')).body.grants).toEqual([]);
    const again = await post(admin(tenant), `/regulator-grants/${grantId}/revocation`);
    expect(again.body).toMatchObject({ status: 'revoked', revokedAt: revoked.body.revokedAt });
    const stream = await api.store.readStream(`${tenant}:regulator-grant:${grantId}`);
    expect(stream.map((event) => event.type)).toEqual([
      'RegulatorAccessGranted',
      'RegulatorAccessRevoked',
    ]);
  });

  it('cannot be revoked by another organisation: its grant is 404 to them', async () => {
    const { tenant, regulator } = await organisation();
    const other = await organisation();
    const { grantId } = await grant(tenant, { regulatorTenantId: regulator });
    const response = await post(admin(other.tenant), `/regulator-grants/${grantId}/revocation`);
    expect(response.status).toBe(404);
  });

  it("cannot be used by another organisation's regulator, and the attempt is logged", async () => {
    const { tenant, regulator, tyGwynReturn } = await organisation();
    const { grantId } = await grant(tenant, { regulatorTenantId: regulator });
    const cqc = `cqc-${randomUUID().slice(0, 8)}`;
    const response = await get(
      as(cqc, ['regulator'], 'user:snoop'),
      underGrant(grantId, tyGwynReturn),
    );
    expect(response.status).toBe(404);
    expect(await accessLogOf(tenant)).toContainEqual(
      expect.objectContaining({
        readerTenantId: cqc,
        readerUserId: 'user:snoop',
        subjectId: tyGwynReturn,
        grantId,
        outcome: 'refused',
      }),
    );
  });

  it('answers a regulator without a grant 404, never 403, alike for every reason, and logs it', async () => {
    const { tenant, regulator, tyGwynReturn } = await organisation();
    const made = await grant(tenant, { regulatorTenantId: regulator });
    const revoked = await grant(tenant, { regulatorTenantId: regulator });
    await post(admin(tenant), `/regulator-grants/${revoked.grantId}/revocation`);
    const cqc = `cqc-${randomUUID().slice(0, 8)}`;

    const refusals = [
      await get(inspector(regulator), underGrant('grant-0000000000000000', tyGwynReturn)),
      await get(as(cqc, ['regulator']), underGrant(made.grantId, tyGwynReturn)),
      await get(inspector(regulator), underGrant(revoked.grantId, tyGwynReturn)),
    ];
    const comparable = (body: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify({ ...body, requestId: undefined })
          .replaceAll(made.grantId, '<grant>')
          .replaceAll(revoked.grantId, '<grant>')
          .replaceAll('grant-0000000000000000', '<grant>'),
      );
    for (const response of refusals) {
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(comparable(response.body)).toEqual(comparable(refusals[0]!.body));
    }
    expect(refusals[0]!.body.detail).toBe(
      `No stream "${tyGwynReturn}" was found under grant grant-0000000000000000`,
    );
    const refused = (await accessLogOf(tenant)).filter((entry) => entry.outcome === 'refused');
    expect(refused.map((entry) => entry.grantId).sort()).toEqual(
      ['grant-0000000000000000', made.grantId, revoked.grantId].sort(),
    );
  });
});
