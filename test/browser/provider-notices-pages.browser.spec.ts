import { randomUUID } from 'node:crypto';
import { establishCareFramework } from '@kpi/features/call-off';
import { entityId } from '@kpi/command-handling';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import type { Browser } from 'playwright-core';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

/**
 * The commissioner's page of providers' notifications in a real browser (docs/decisions/0041):
 * no serious accessibility violation, and a notification acknowledged with its button, without
 * JavaScript doing anything for it.
 */
let browser: Browser;
let api: ApiInBrowser;
let projections: ProjectionsInProcess;
const run = randomUUID().slice(0, 6);
const council = `council-${run}`;
const provider = `alpha-${run}`;
const PAGE = () =>
  `${api.baseUrl}/app/councils/${council}/care-frameworks/care-at-home/notices?quarter=2026-27+Q1`;
const as = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });

async function created(token: string, path: string, body: object, status = 201) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status }).toEqual({ path, status });
}

beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('browser_provider_notices'),
  ]);
  const store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
  api.setNow(new Date('2026-04-08T10:00:00Z'));
  await created(as(council, 'provider-admin'), '/organisation', { name: 'S', kind: 'council' });
  await created(as(provider, 'provider-admin'), '/organisation', { name: 'A', kind: 'provider' });
  await establishCareFramework(
    {
      store,
      tenantId: council,
      actor: 'user:set-up',
      correlationId: null,
      commandId: randomUUID(),
      now: new Date('2026-04-08T10:00:00Z'),
    },
    {
      frameworkId: entityId('care-at-home', 'frameworkId'),
      name: 'Care at Home',
      contractStartDate: '2025-07-01',
      providers: [provider],
    },
  );
  await created(
    as(council, 'commissioner'),
    `/councils/${council}/care-frameworks/care-at-home/packages`,
    {
      packageId: 'p1',
      hoursPerWeek: 10,
      outcomes: 'Personal care.',
      startDate: '2026-05-18',
      urgent: false,
    },
  );
  await created(
    as(provider, 'provider-admin'),
    `/councils/${council}/care-packages/p1/accept`,
    {},
    200,
  );
  await created(
    as(provider, 'provider-admin'),
    `/councils/${council}/care-packages/p1/notifications`,
    {
      kind: 'missed-call',
      occurredAt: '2026-04-07T07:30:00+01:00',
      details: 'The morning call was missed.',
    },
  );
  await created(
    as(provider, 'provider-admin'),
    `/councils/${council}/care-packages/p1/hand-back-notice`,
    {
      reason: 'We cannot staff the calls.',
    },
  );
  await projections.caughtUp();
});
afterAll(async () => {
  await projections?.stop();
  await Promise.all([browser?.close(), api?.close()]);
});

describe('the commissioner’s page of providers’ notifications in a real browser', () => {
  it('opens with no serious accessibility violation, and acknowledges by its button', async () => {
    const { page, context, status } = await openPage(browser, PAGE(), {
      bearerToken: as(council, 'commissioner'),
    });
    try {
      expect(status).toBe(200);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByRole('button', { name: /Acknowledge the missed call/ }).click();
      await page.waitForURL(/acknowledged=/);
      await page.getByText('The notification is acknowledged').waitFor();
      await expect(page.getByRole('button', { name: /Acknowledge/ }).count()).resolves.toBe(0);
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
