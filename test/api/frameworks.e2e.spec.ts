import { randomUUID } from 'node:crypto';
import { CHILDRENS_HOMES_BONUS_RULE, CHILDRENS_HOMES_INDICATORS } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Versions that describe the past (DOMAIN.md "Versions and the past"), over HTTP with the
 * projections running: a version may start in an ended month none of whose returns is judged;
 * judged months are named in the refusal and keep their colour. And a framework read back.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
const projectionsOn = () =>
  startProjections(api.pool, new PostgresEventStore(api.pool, eventTypeRegistry()));
beforeAll(async () => {
  api = await startApiUnderTest('frameworks_e2e');
  projections = await projectionsOn();
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const manager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });
const post = (token: string, path: string, body: object) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
const created = async (token: string, path: string, body: object) => {
  const response = await post(token, path, body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
};
const get = (token: string, path: string) =>
  api.http().get(path).set('Authorization', `Bearer ${token}`);

/** A tenant with the preset from 2025-01 and two homes, ty-gwyn and plas-newydd. */
async function tenantWithHomes(): Promise<string> {
  const tenant = `acme-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(admin(tenant), '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  for (const [serviceId, name] of [
    ['ty-gwyn', 'Tŷ Gwyn'],
    ['plas-newydd', 'Plas Newydd'],
  ]) {
    await created(admin(tenant), '/services', {
      serviceId,
      name,
      regionId: 'north-wales',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2024-04-01',
    });
  }
  return tenant;
}

/** A version of the preset with education judged by `target` and `floor` (version 1: 90, 75). */
const educationVersion = (tenant: string, effectiveFrom: string, target: number, floor: number) =>
  post(admin(tenant), '/frameworks/childrens-homes/versions', {
    name: `Children's homes — education ${target}`,
    effectiveFrom,
    indicators: CHILDRENS_HOMES_INDICATORS.map((indicator) =>
      indicator.code === 'EDU' ? { ...indicator, target, floor } : indicator,
    ),
    bonusRule: CHILDRENS_HOMES_BONUS_RULE,
  });

const submit = (tenant: string, serviceId: string, period: string, EDU = 92) =>
  created(manager(tenant), `/services/${serviceId}/returns`, {
    period,
    values: { ...allMet, EDU },
  });

async function eventCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]!.count);
}

/** The EDU cell and the month's version of each month from `from` to `to` of one service. */
async function educationCells(tenant: string, serviceId: string, from: string, to: string) {
  const response = await api
    .http()
    .get('/kpi-grid')
    .query({ from, to, serviceId })
    .set('Authorization', `Bearer ${manager(tenant)}`);
  expect(response.status).toBe(200);
  const [service] = response.body.services;
  return Object.fromEntries(
    service.months.map(
      (m: { period: string; frameworkVersion: number; cells: Record<string, object> }) => [
        m.period,
        m.cells.EDU
          ? {
              version: m.frameworkVersion,
              ...pick(m.cells.EDU, 'rag', 'target', 'frameworkVersion'),
            }
          : null,
      ],
    ),
  );
}
const pick = (o: object, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));

describe('a version back-dated into ended months', () => {
  it('is refused (409) naming the judged months and whose returns, and stores nothing', async () => {
    const tenant = await tenantWithHomes();
    await submit(tenant, 'ty-gwyn', '2026-03');
    await submit(tenant, 'plas-newydd', '2026-04');
    await submit(tenant, 'ty-gwyn', '2026-04');
    await projections.caughtUp();
    const before = await eventCount();

    const refused = await educationVersion(tenant, '2026-03', 95, 90);

    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(refused.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:conflict',
      detail: expect.stringContaining(
        'effectiveFrom: 2026-03 and 2026-04 already have returns judged by version 1 (plas-newydd, ty-gwyn)',
      ),
      judgedMonths: [
        { period: '2026-03', version: 1, serviceIds: ['ty-gwyn'] },
        { period: '2026-04', version: 1, serviceIds: ['plas-newydd', 'ty-gwyn'] },
      ],
    });
    expect(await eventCount()).toBe(before);
  });

  it('is published over later unjudged months: old months keep their colour, new ones are judged by it', async () => {
    const tenant = await tenantWithHomes();
    await submit(tenant, 'ty-gwyn', '2026-03'); // 92: green by version 1 (target 90)
    await submit(tenant, 'ty-gwyn', '2026-04');
    await projections.caughtUp();

    // May and June have ended with no return judged: version 2 may describe them.
    expect((await educationVersion(tenant, '2026-05', 95, 90)).status).toBe(201);
    await submit(tenant, 'ty-gwyn', '2026-05'); // 92: amber by version 2 (target 95, floor 90)
    await submit(tenant, 'ty-gwyn', '2026-06');
    // An amendment of April re-judges it by version 1, the version it was judged by.
    await created(manager(tenant), '/services/ty-gwyn/returns/2026-04/amendments', {
      values: { EDU: 91 },
      reason: 'Recounted',
    });
    await projections.caughtUp();

    expect(await educationCells(tenant, 'ty-gwyn', '2026-03', '2026-06')).toEqual({
      '2026-03': { version: 1, rag: 'green', target: 90, frameworkVersion: 1 },
      '2026-04': { version: 1, rag: 'green', target: 90, frameworkVersion: 1 },
      '2026-05': { version: 2, rag: 'amber', target: 95, frameworkVersion: 2 },
      '2026-06': { version: 2, rag: 'amber', target: 95, frameworkVersion: 2 },
    });
  });

  it('a return judged in the moment before it is projected keeps the version it was judged by', async () => {
    const tenant = await tenantWithHomes();
    await projections.caughtUp();
    // The projections stop: June's return is judged (version 1) but not yet in the read model,
    // so a version from June slips past the refusal (decision 0020).
    await projections.stop();
    try {
      await submit(tenant, 'ty-gwyn', '2026-06'); // 92: green by version 1
      expect((await educationVersion(tenant, '2026-06', 95, 90)).status).toBe(201);
      await submit(tenant, 'plas-newydd', '2026-06'); // judged by version 2: amber
      await created(manager(tenant), '/services/ty-gwyn/returns/2026-06/amendments', {
        values: { EDU: 93 },
        reason: 'Recounted',
      });
    } finally {
      projections = await projectionsOn();
    }
    await projections.caughtUp();

    expect(await educationCells(tenant, 'ty-gwyn', '2026-06', '2026-06')).toEqual({
      '2026-06': { version: 1, rag: 'green', target: 90, frameworkVersion: 1 },
    });
    expect(await educationCells(tenant, 'plas-newydd', '2026-06', '2026-06')).toEqual({
      '2026-06': { version: 2, rag: 'amber', target: 95, frameworkVersion: 2 },
    });
    // Once projected, the read model says which version judged each return of June.
    const { rows } = await api.pool.query(
      `SELECT service_id, framework_version FROM rm_monthly_returns
        WHERE tenant_id = $1 AND period = '2026-06' ORDER BY service_id`,
      [tenant],
    );
    expect(rows).toEqual([
      { service_id: 'plas-newydd', framework_version: 2 },
      { service_id: 'ty-gwyn', framework_version: 1 },
    ]);
  });
});

describe('reading a framework back', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await tenantWithHomes();
    expect((await educationVersion(tenant, '2025-06', 95, 90)).status).toBe(201);
  });

  it('GET /frameworks/{id}: its versions, the months each judges, and their indicators', async () => {
    const response = await get(manager(tenant), '/frameworks/childrens-homes');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      frameworkId: 'childrens-homes',
      name: "Children's homes — education 95",
      versions: [
        {
          version: 1,
          name: "Children's homes — operational KPIs",
          effectiveFrom: '2025-01',
          effectiveUntil: '2025-05',
          bonusRule: { required: 8, of: 9 },
        },
        { version: 2, effectiveFrom: '2025-06', effectiveUntil: null },
      ],
    });
    expect(response.body.versions[0].indicators).toEqual(CHILDRENS_HOMES_INDICATORS);
  });

  it('GET /frameworks/{id}/versions/{version}: one version', async () => {
    const response = await get(manager(tenant), '/frameworks/childrens-homes/versions/2');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 2, effectiveFrom: '2025-06' });
    expect(response.body.indicators.find((i: { code: string }) => i.code === 'EDU')).toMatchObject({
      target: 95,
      floor: 90,
    });
  });

  it('GET …/versions/{a}/changes/{b}: indicators added, removed and changed field by field', async () => {
    const response = await get(manager(tenant), '/frameworks/childrens-homes/versions/1/changes/2');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: { version: 1, effectiveFrom: '2025-01' },
      to: { version: 2, effectiveFrom: '2025-06' },
      changes: [
        {
          field: 'name',
          from: "Children's homes — operational KPIs",
          to: "Children's homes — education 95",
        },
      ],
      added: [],
      removed: [],
      changed: [
        {
          code: 'EDU',
          changes: [
            { field: 'floor', from: 75, to: 90 },
            { field: 'target', from: 90, to: 95 },
          ],
        },
      ],
    });
  });

  it.each([
    ['/frameworks/no-such-framework', 'No KPI framework no-such-framework'],
    ['/frameworks/childrens-homes/versions/9', 'KPI framework childrens-homes has no version 9'],
    ['/frameworks/childrens-homes/versions/1/changes/9', 'has no version 9'],
  ])('answers 404 naming what is unknown: %s', async (path, detail) => {
    const response = await get(manager(tenant), path);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.detail).toContain(detail);
  });

  it("answers another tenant's framework as not found (404)", async () => {
    const other = `other-${randomUUID().slice(0, 8)}`;
    const response = await get(manager(other), '/frameworks/childrens-homes');
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('No KPI framework childrens-homes');
  });

  it('answers 400 naming the parameter for a version that is not a number, 401 without a token', async () => {
    const response = await get(manager(tenant), '/frameworks/childrens-homes/versions/two');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'version' })]);
    expect((await api.http().get('/frameworks/childrens-homes')).status).toBe(401);
  });
});
