import { randomUUID } from 'node:crypto';
import { addMonths, londonPeriodOf } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('trend_page_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const reader = (tenantId: string) => api.tokenFor({ tenantId, roles: ['home-manager'] });

async function postJson(token: string, path: string, body: object): Promise<void> {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect(response.status).toBe(201);
}

/** Education attendance (%) of Tŷ Gwyn in three months of the last 24, with a gap between. */
const lastEnded = addMonths(londonPeriodOf(new Date()), -1);
const EDU = {
  [addMonths(lastEnded, -5)]: 92,
  [addMonths(lastEnded, -4)]: 80,
  [addMonths(lastEnded, -2)]: 70.5,
};

async function homeWithReturns(): Promise<string> {
  const tenant = `trend-${randomUUID().slice(0, 8)}`;
  const token = admin(tenant);
  await postJson(token, '/organisation', { name: 'Acme Care', kind: 'provider' });
  await postJson(token, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await postJson(token, '/frameworks/presets/childrens-homes', { effectiveFrom: '2024-01' });
  await postJson(token, '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-01-01',
  });
  for (const [period, edu] of Object.entries(EDU)) {
    await postJson(token, '/services/ty-gwyn/returns', { period, values: { ...allMet, EDU: edu } });
  }
  await projections.caughtUp();
  return tenant;
}

function getPage(token: string, path: string) {
  return api.http().get(path).set('Authorization', `Bearer ${token}`);
}

const expectPage = (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8$/);
};

const TREND = '/app/services/ty-gwyn/trend';

describe('a home’s KPI trend over 24 months', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await homeWithReturns();
  });

  it('draws one point per month with a value, and the table has the same months and numbers', async () => {
    const page = await getPage(reader(tenant), `${TREND}?indicator=EDU`);
    expectPage(page, 200);
    expect(page.text).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="trend-title trend-desc"/);
    expect(page.text).toMatch(/<title id="trend-title">[^<]+<\/title>/);
    const points = [
      ...page.text.matchAll(/data-point="(\d{4}-\d{2})"[^>]*><title>[^:]+: ([\d.]+)<\/title>/g),
    ].map((m) => [m[1], Number(m[2])]);
    expect(points).toEqual(Object.entries(EDU));
    const rows = [
      ...page.text.matchAll(/data-period="(\d{4}-\d{2})">[\s\S]*?data-charted>([^<]*)</g),
    ].map((m) => [m[1], m[2]!.trim()]);
    expect(rows).toHaveLength(24);
    expect(rows[23]![0]).toBe(lastEnded);
    expect(rows.filter(([, charted]) => charted !== '').map(([p, c]) => [p, Number(c)])).toEqual(
      points,
    );
  });

  it('breaks the line at a month without a value', async () => {
    const page = await getPage(reader(tenant), `${TREND}?indicator=EDU`);
    expect([...page.text.matchAll(/<polyline /g)]).toHaveLength(2);
  });

  it('charts the framework’s first indicator when none is picked, and offers the others', async () => {
    const page = await getPage(reader(tenant), TREND);
    expectPage(page, 200);
    expect(page.text).toMatch(/<option value="SUP" selected>/);
    expect(page.text).toContain('<option value="EDU"');
  });

  it('refuses an indicator the home does not have with a 400 page naming the field', async () => {
    const page = await getPage(reader(tenant), `${TREND}?indicator=NOPE`);
    expectPage(page, 400);
    expect(page.text).toMatch(/<li>indicator: [^<]+<\/li>/);
  });

  it('answers another organisation’s home with a 404 page and a role without KPIs with a 403', async () => {
    const stranger = reader(`other-${randomUUID().slice(0, 8)}`);
    expectPage(await getPage(stranger, TREND), 404);
    expectPage(await getPage(api.tokenFor({ tenantId: tenant, roles: ['admin'] }), TREND), 403);
  });
});
