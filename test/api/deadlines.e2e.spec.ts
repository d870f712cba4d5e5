import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { waitFor } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections } from './support/worker-in-process';

/**
 * Deadlines over HTTP, with the worker's projections, the deadline reactor and its processor
 * running on the real PostgreSQL and Redis: a complaint received on the Thursday before Easter
 * is due on the right day and shows as overdue when it was not answered by then.
 */
let api: ApiUnderTest;
let projections: Awaited<ReturnType<typeof startProjections>>;
beforeAll(async () => {
  api = await startApiUnderTest('deadlines_e2e');
  const store = new PostgresEventStore(api.pool, eventTypeRegistry());
  // The API's own BullMQ prefix, so its /health counts these jobs.
  projections = await startProjections(api.pool, store, {
    deadlines: { prefix: api.config.BULLMQ_PREFIX },
  });
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const homeManager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['home-manager'], userId: 'user:mgr-siwan' });

async function created(token: string, path: string, body: object) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

interface Listed {
  key: string;
  kind: string;
  dueOn: string;
  state: string;
  status: string;
  doneOn: string | null;
}
const deadlines = async (tenant: string, query: Record<string, string>): Promise<Listed[]> => {
  const response = await get(admin(tenant), '/deadlines', query);
  expect(response.status).toBe(200);
  return response.body.deadlines as Listed[];
};

async function provider(): Promise<string> {
  const tenant = `care-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'south',
    name: 'South',
    regionalManagerId: 'rm-ola',
  });
  await created(admin(tenant), '/frameworks/presets/childrens-homes', { effectiveFrom: '2026-01' });
  await created(admin(tenant), '/services', {
    serviceId: 'home-01',
    name: 'Ty Coch',
    regionId: 'south',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2026-10-01',
  });
  return tenant;
}

describe('a complaint received on the Thursday before Easter 2026', () => {
  let tenant: string;
  let complaintId: string;
  beforeAll(async () => {
    tenant = await provider();
    const logged = await created(homeManager(tenant), '/complaints', {
      serviceId: 'home-01',
      receivedOn: '2026-04-02',
      category: 'communication',
      summary: 'Nobody called back about the change of carers.',
    });
    complaintId = logged.body.complaintId;
    // Good Friday (3 April) and Easter Monday (6 April) are not working days.
    expect(logged.body).toMatchObject({
      acknowledgementDueOn: '2026-04-07',
      responseDueOn: '2026-04-27',
    });
  });

  it('shows as overdue once its 15 working days have passed without a response', async () => {
    const overdue = await waitFor(
      async () => {
        const listed = await deadlines(tenant, { view: 'overdue', serviceId: 'home-01' });
        const response = listed.find((d) => d.kind === 'complaint-response');
        return response?.status === 'missed' && response;
      },
      { description: 'the response deadline to be judged missed' },
    );
    expect(overdue).toMatchObject({
      key: `complaint-response:${complaintId}:2026-04-27`,
      dueOn: '2026-04-27',
      state: 'overdue',
      doneOn: null,
    });
  });

  it('a late response leaves it missed, but no longer outstanding', async () => {
    await created(homeManager(tenant), `/complaints/${complaintId}/response`, {
      respondedOn: '2026-05-05',
      summary: 'We apologise; the office now calls back the same day.',
      escalationRoute: 'If you are not satisfied, contact the council complaints team or the CQC.',
      upheld: 'upheld',
    });
    const response = await waitFor(
      async () =>
        (await deadlines(tenant, { view: 'all' })).find(
          (d) => d.kind === 'complaint-response' && d.doneOn !== null,
        ),
      { description: 'the late response to be listed' },
    );
    expect(response).toMatchObject({ status: 'missed', state: 'done', doneOn: '2026-05-05' });
    const overdue = await deadlines(tenant, { view: 'overdue' });
    expect(overdue.some((d) => d.kind === 'complaint-response')).toBe(false);
  });
});

describe('monthly returns', () => {
  it("October's return, never submitted, is overdue; November's is upcoming (due 20 December)", async () => {
    const tenant = await provider();
    const overdue = await waitFor(
      async () =>
        (await deadlines(tenant, { view: 'overdue', regionId: 'south' })).find(
          (d) => d.key === 'monthly-return:home-01:2026-10' && d.status === 'missed',
        ),
      { description: "October's return to be judged missed" },
    );
    expect(overdue).toMatchObject({ dueOn: '2026-11-20', state: 'overdue' });
    const upcoming = await waitFor(
      async () =>
        (await deadlines(tenant, { view: 'upcoming' })).find(
          (d) => d.key === 'monthly-return:home-01:2026-11',
        ),
      { description: "November's return to be listed" },
    );
    expect(upcoming).toMatchObject({ dueOn: '2026-12-20', state: 'upcoming', status: 'open' });
  });
});

describe('bad queries', () => {
  it.each([
    [{ view: 'soon' }, 'view'],
    [{ serviceId: 'Home 01' }, 'serviceId'],
    [{ regionId: 'x'.repeat(80) }, 'regionId'],
    [{ tenantId: 'someone-else' }, 'tenantId'],
  ])('%j is a 400 naming the field', async (query, field) => {
    const response = await get(admin('anyone'), '/deadlines', query as Record<string, string>);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });
});

describe('who sees deadlines', () => {
  it('a commissioner may not; another tenant sees none of them', async () => {
    const tenant = await provider();
    await waitFor(async () => (await deadlines(tenant, { view: 'all' })).length > 0, {
      description: 'the deadlines to be listed',
    });
    const commissioner = api.tokenFor({ tenantId: tenant, roles: ['commissioner'] });
    expect((await get(commissioner, '/deadlines')).status).toBe(403);
    expect(await deadlines(`other-${randomUUID().slice(0, 8)}`, { view: 'all' })).toEqual([]);
  });

  it('/health shows the deadline queue: what ran, what waits for its date, nothing failed', async () => {
    const health = await api.http().get('/health');
    const counts = health.body.checks.queues.deadlines;
    expect(counts).toEqual({
      waiting: expect.any(Number),
      delayed: expect.any(Number),
      active: expect.any(Number),
      failed: 0,
      completed: expect.any(Number),
    });
    // Past deadlines ran (October's return, the complaint's two); November's waits.
    expect(counts.completed).toBeGreaterThan(0);
    expect(counts.delayed).toBeGreaterThan(0);
  });
});
