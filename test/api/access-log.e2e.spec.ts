import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The access log: who read a person's capability record or audit data, when, under which grant,
 * and who was refused — written before the answer leaves, so that no read goes unrecorded.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('access_log_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const MANAGER = 'mgr-siwan';
const OTHER_MANAGER = 'mgr-dafydd';
const HOME = 'plas-newydd';

const as = (tenantId: string, roles: Role[], userId = 'user:e2e', managerId?: string) =>
  api.tokenFor({ tenantId, roles, userId, ...(managerId ? { managerId } : {}) });
const admin = (tenantId: string) => as(tenantId, ['admin'], 'user:admin-ann');
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

async function created(token: string, path: string, body: object): Promise<void> {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
}

/** An organisation with one home whose manager is mgr-siwan (and mgr-dafydd's before her). */
async function organisation(): Promise<string> {
  const tenant = `bryn-${randomUUID().slice(0, 8)}`;
  const providerAdmin = as(tenant, ['provider-admin']);
  await created(providerAdmin, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(providerAdmin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2026-01' });
  await created(providerAdmin, '/services', {
    serviceId: HOME,
    name: 'Plas Newydd',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2025-01-01',
  });
  await created(providerAdmin, `/services/${HOME}/manager-appointments`, {
    managerId: OTHER_MANAGER,
    from: '2025-01-01',
    to: '2025-12-31',
  });
  await created(providerAdmin, `/services/${HOME}/manager-appointments`, {
    managerId: MANAGER,
    from: '2026-01-01',
  });
  await projections.caughtUp();
  return tenant;
}

async function logOf(token: string, query: Record<string, string> = {}) {
  const response = await get(token, '/access-log', query);
  expect(response.status).toBe(200);
  return response.body as { entries: Record<string, unknown>[]; nextOffset: number | null };
}

describe('reads of capability records', () => {
  it('records who read a timeline, through the API and the pages, and when a read was refused', async () => {
    const tenant = await organisation();
    const hr = as(tenant, ['hr'], 'user:hr-sam');
    const api1 = await get(hr, `/capability/managers/${MANAGER}/timeline`);
    expect(api1.status).toBe(200);
    expect((await get(hr, `/app/capability/managers/${MANAGER}/timeline`)).status).toBe(200);
    const homeManager = as(tenant, ['home-manager'], 'user:siwan', MANAGER);
    expect((await get(homeManager, `/capability/managers/${MANAGER}/timeline`)).status).toBe(200);
    expect((await get(homeManager, `/capability/managers/${OTHER_MANAGER}/timeline`)).status).toBe(
      403,
    );

    const { entries } = await logOf(admin(tenant), { kind: 'capability-record' });
    expect(
      entries.map(({ readerUserId, subjectId, detail, outcome }) => ({
        readerUserId,
        subjectId,
        detail,
        outcome,
      })),
    ).toEqual([
      {
        readerUserId: 'user:siwan',
        subjectId: OTHER_MANAGER,
        detail: 'timeline',
        outcome: 'refused',
      },
      { readerUserId: 'user:siwan', subjectId: MANAGER, detail: 'timeline', outcome: 'read' },
      { readerUserId: 'user:hr-sam', subjectId: MANAGER, detail: 'timeline page', outcome: 'read' },
      { readerUserId: 'user:hr-sam', subjectId: MANAGER, detail: 'timeline', outcome: 'read' },
    ]);
    expect(entries[3]).toMatchObject({
      ownerTenantId: tenant,
      readerTenantId: tenant,
      readerRoles: ['hr'],
      kind: 'capability-record',
      grantId: null,
      requestId: api1.headers['x-request-id'],
    });
  });
});

describe('reads of complaints', () => {
  it('records who read a complaint or a list of them, with its texts, and who was refused', async () => {
    const tenant = await organisation();
    const manager = as(tenant, ['home-manager'], 'user:siwan');
    await created(manager, '/complaints', {
      complaintId: 'cmp-ann',
      serviceId: HOME,
      receivedOn: '2026-04-02',
      category: 'communication',
      summary: 'Mrs Jones said the visit was cut short.',
      complainant: { relationship: 'parent', name: 'Ann Jones' },
    });
    await projections.caughtUp();
    const inspector = as(tenant, ['regulator'], 'user:inspector');
    expect((await get(inspector, '/complaints/cmp-ann')).status).toBe(200);
    expect((await get(inspector, '/complaints', { quarter: '2026-27 Q1' })).status).toBe(200);
    const otherOrganisation = as(`elsewhere-${randomUUID().slice(0, 8)}`, ['regulator']);
    expect((await get(otherOrganisation, '/complaints/cmp-ann')).status).toBe(404);

    const { entries } = await logOf(admin(tenant), { kind: 'complaint' });
    expect(
      entries.map(({ readerUserId, subjectId, detail, outcome }) => ({
        readerUserId,
        subjectId,
        detail,
        outcome,
      })),
    ).toEqual([
      {
        readerUserId: 'user:inspector',
        subjectId: 'complaints',
        detail: 'list 2026-27 Q1',
        outcome: 'read',
      },
      { readerUserId: 'user:inspector', subjectId: 'cmp-ann', detail: null, outcome: 'read' },
    ]);
  });
});

describe('reads of audit data', () => {
  it("records an organisation's own reads, and a read of another's stream in that one's log", async () => {
    const tenant = await organisation();
    const other = await organisation();
    const streamId = `${tenant}:service:${HOME}`;
    const reader = as(tenant, ['provider-admin'], 'user:pa');
    expect(
      (await get(reader, `/audit/streams/${encodeURIComponent(streamId)}/events`)).status,
    ).toBe(200);
    expect(
      (await get(reader, `/audit/streams/${encodeURIComponent(streamId)}/verification`)).status,
    ).toBe(200);
    const theirs = `${other}:service:${HOME}`;
    expect((await get(reader, `/audit/streams/${encodeURIComponent(theirs)}/events`)).status).toBe(
      404,
    );

    expect((await logOf(admin(tenant), { kind: 'audit-trail' })).entries).toEqual([
      expect.objectContaining({ subjectId: streamId, detail: 'verification', outcome: 'read' }),
      expect.objectContaining({ subjectId: streamId, detail: 'events', grantId: null }),
    ]);
    expect((await logOf(admin(other), { kind: 'audit-trail' })).entries).toEqual([
      expect.objectContaining({
        ownerTenantId: other,
        readerTenantId: tenant,
        readerUserId: 'user:pa',
        subjectId: theirs,
        outcome: 'refused',
      }),
    ]);
  });

  it('shows the grantor who read what under which grant, and the regulator its own people’s reads', async () => {
    const tenant = await organisation();
    const regulator = `ofsted-${randomUUID().slice(0, 8)}`;
    const granting = await api
      .http()
      .post('/regulator-grants')
      .set('Authorization', `Bearer ${admin(tenant)}`)
      .send({
        regulatorTenantId: regulator,
        period: { from: '2025-01-01', to: '2099-12-31' },
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        reference: 'Ofsted inspection SC123456',
      });
    expect(granting.status).toBe(201);
    const { grantId } = granting.body as { grantId: string };
    await projections.caughtUp();

    const streamId = `${tenant}:service:${HOME}`;
    const inspector = as(regulator, ['regulator'], 'user:inspector-ivy');
    const path = `/granted/${grantId}/audit/streams/${encodeURIComponent(streamId)}/events`;
    const read = await get(inspector, path);
    expect(read.status).toBe(200);
    await get(
      as(tenant, ['hr'], 'user:hr-sam'),
      `/audit/streams/${encodeURIComponent(streamId)}/events`,
    );

    const grantorsView = await logOf(admin(tenant), { grantId });
    expect(grantorsView.entries).toEqual([
      {
        entryId: expect.any(Number),
        at: expect.any(String),
        ownerTenantId: tenant,
        readerTenantId: regulator,
        readerUserId: 'user:inspector-ivy',
        readerRoles: ['regulator'],
        kind: 'audit-trail',
        subjectId: streamId,
        detail: 'events',
        grantId,
        outcome: 'read',
        requestId: read.headers['x-request-id'],
      },
    ]);
    const regulatorsView = await logOf(inspector);
    expect(regulatorsView.entries.map((entry) => entry.readerUserId)).toEqual([
      'user:inspector-ivy',
    ]);
  });
});

describe('reading the access log', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await organisation();
    const hr = as(tenant, ['hr'], 'user:hr-sam');
    for (const manager of [MANAGER, OTHER_MANAGER, MANAGER]) {
      expect((await get(hr, `/capability/managers/${manager}/timeline`)).status).toBe(200);
    }
  });

  it('filters by subject and pages', async () => {
    expect((await logOf(admin(tenant), { subjectId: OTHER_MANAGER })).entries).toHaveLength(1);
    const first = await logOf(admin(tenant), { limit: '2' });
    expect(first.entries).toHaveLength(2);
    expect(first.nextOffset).toBe(2);
    const last = await logOf(admin(tenant), { limit: '2', offset: '2' });
    expect(last.entries).toHaveLength(1);
    expect(last.nextOffset).toBeNull();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
      new Date(),
    );
    expect((await logOf(admin(tenant), { from: today, to: today })).entries).toHaveLength(3);
    expect((await logOf(admin(tenant), { to: '2020-01-01' })).entries).toEqual([]);
  });

  it('answers CSV with a row per entry', async () => {
    const response = await get(as(tenant, ['provider-admin']), '/access-log.csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="access-log-${tenant}.csv"`,
    );
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'entry_id,at,owner_tenant_id,reader_tenant_id,reader_user_id,reader_roles,kind,subject_id,detail,grant_id,outcome,request_id',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(
      `,${tenant},${tenant},user:hr-sam,hr,capability-record,${MANAGER},timeline,,read,`,
    );
  });

  it('refuses bad filters with 400 naming each', async () => {
    const refusal = async (query: Record<string, string>) => {
      const response = await get(admin(tenant), '/access-log', query);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      return response.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await refusal({ limit: '0' })).toEqual(['limit']);
    expect(await refusal({ offset: '-1' })).toEqual(['offset']);
    expect(await refusal({ kind: 'diary' })).toEqual(['kind']);
    expect(await refusal({ outcome: 'peeked' })).toEqual(['outcome']);
    expect(await refusal({ from: '2026-02-30' })).toEqual(['from']);
    expect(await refusal({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['to']);
    expect(await refusal({ colour: 'red' })).toEqual(['colour']);
  });

  it('is for admins and regulators only', async () => {
    for (const role of ['hr', 'home-manager', 'regional-manager', 'commissioner'] as Role[]) {
      const response = await get(as(tenant, [role]), '/access-log');
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
    }
  });
});

describe('when the access log cannot be written', () => {
  it('fails the read rather than answer it unrecorded', async () => {
    const tenant = await organisation();
    await api.pool.query(`
      CREATE FUNCTION refuse_access_log_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the access log is unavailable'; END $$;
      CREATE TRIGGER access_log_unavailable BEFORE INSERT ON access_log
        FOR EACH ROW EXECUTE FUNCTION refuse_access_log_entries();`);
    try {
      const response = await get(
        as(tenant, ['hr'], 'user:hr-sam'),
        `/capability/managers/${MANAGER}/timeline`,
      );
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toBe('urn:kpi-ledger:problem:internal-error');
      expect(response.body).not.toHaveProperty('entries');
    } finally {
      await api.pool.query(`
        DROP TRIGGER access_log_unavailable ON access_log;
        DROP FUNCTION refuse_access_log_entries();`);
    }
  });
});
