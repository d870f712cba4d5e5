import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Browser } from 'playwright-core';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

let browser: Browser;
let api: ApiInBrowser;
let projections: ProjectionsInProcess;
let tenant: string;

async function postJson(token: string, path: string, body: object): Promise<void> {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect(response.status).toBe(201);
}

/** A home with a quarter of returns (2026-27 Q2), so every page has figures to show. */
async function homeWithQuarter(): Promise<string> {
  const id = `browser-council-${randomUUID().slice(0, 8)}`;
  const token = api.tokenFor({ tenantId: id, roles: ['provider-admin'] });
  await postJson(token, '/organisation', { name: 'Acme Care', kind: 'provider' });
  await postJson(token, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await postJson(token, '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await postJson(token, '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  for (const [period, edu] of [
    ['2026-07', 92],
    ['2026-08', 80],
    ['2026-09', 70],
  ] as const) {
    await postJson(token, '/services/ty-gwyn/returns', { period, values: { ...allMet, EDU: edu } });
  }
  await projections.caughtUp();
  return id;
}

beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('browser_council'),
  ]);
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
  tenant = await homeWithQuarter();
});
afterAll(async () => {
  await projections?.stop();
  await Promise.all([browser?.close(), api?.close()]);
});

describe.each([
  ['the quarterly report', '/app/reports/quarterly?quarter=2026-27%20Q2&detail=months'],
  ['the business-plan report', '/app/reports/business-plan?year=2026%2F27'],
  ['a home’s trend', '/app/services/ty-gwyn/trend?indicator=EDU'],
])('%s in a real browser', (_name, path) => {
  it('opens with its figures and has no serious or critical accessibility violation', async () => {
    const token = api.tokenFor({ tenantId: tenant, roles: ['commissioner'] });
    const { page, context, status } = await openPage(browser, `${api.baseUrl}${path}`, {
      bearerToken: token,
    });
    try {
      expect(status).toBe(200);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('table.govuk-table').first().waitFor();
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
