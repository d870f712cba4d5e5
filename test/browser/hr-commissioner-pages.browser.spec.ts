import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Browser } from 'playwright-core';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

/** HR's and a commissioner's pages in a real browser, with data on them, checked by axe. */
let browser: Browser;
let api: ApiInBrowser;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('browser_hr_commissioner'),
  ]);
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await Promise.all([browser?.close(), api?.close()]);
});

const run = randomUUID().slice(0, 6);
const provider = `bryn-${run}`;
const council = `council-${run}`;
const as = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });

async function created(token: string, path: string, body: object, at?: string, status = 201) {
  api.setNow(at ? new Date(at) : null);
  try {
    const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
    expect({ path, status: response.status }).toEqual({ path, status });
  } finally {
    api.setNow(null);
  }
}

beforeAll(async () => {
  const admin = as(provider, 'provider-admin');
  await created(admin, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(
    admin,
    '/frameworks/presets/childrens-homes',
    { effectiveFrom: '2026-01' },
    '2025-12-01T09:00:00Z',
  );
  await created(admin, '/services', {
    serviceId: 'plas-newydd',
    name: 'Plas Newydd',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2026-01-01',
  });
  await created(admin, '/services/plas-newydd/manager-appointments', {
    managerId: 'mgr-siwan',
    from: '2026-01-01',
  });
  for (let month = 1; month <= 10; month++) {
    const period = `2026-${String(month).padStart(2, '0')}`;
    await created(
      as(provider, 'regional-manager'),
      '/services/plas-newydd/returns',
      { period, values: { ...allMet, EDU: month >= 7 ? 70 : 93 } },
      `2026-${String(month + 1).padStart(2, '0')}-12T10:00:00Z`,
    );
  }
  const start = '2026-04-01T09:00:00Z';
  await created(
    as(council, 'provider-admin'),
    '/organisation',
    { name: 'Southwark', kind: 'council' },
    start,
  );
  await created(
    as(`alpha-${run}`, 'provider-admin'),
    '/organisation',
    { name: 'Alpha Care', kind: 'provider' },
    start,
  );
  await created(
    as(council, 'commissioner'),
    `/councils/${council}/care-frameworks`,
    {
      frameworkId: 'care-at-home',
      name: 'Care at Home',
      contractStartDate: '2025-07-01',
      providers: [`alpha-${run}`],
    },
    start,
  );
  await created(
    as(council, 'commissioner'),
    `/councils/${council}/care-frameworks/care-at-home/packages`,
    {
      packageId: 'p1',
      hoursPerWeek: 10,
      outcomes: 'Personal care.',
      startDate: '2026-05-18',
      urgent: true,
      communicationNeeds: 'None',
    },
    '2026-04-06T09:00:00Z',
  );
  await projections.caughtUp();
});

const FRAMEWORK = () => `/app/councils/${council}/care-frameworks/care-at-home`;
const PAGES: [string, () => string, () => string][] = [
  ['HR: managers by stage', () => provider, () => '/app/capability'],
  ['HR: a manager’s timeline', () => provider, () => '/app/capability/managers/mgr-siwan/timeline'],
  [
    'HR: why an entry',
    () => provider,
    () => '/app/capability/managers/mgr-siwan/timeline/plas-newydd.EDU.2026-07.s3/why',
  ],
  ['commissioner: frameworks', () => council, () => '/app/call-off'],
  [
    'commissioner: league table',
    () => council,
    () => `${FRAMEWORK()}/league-table?quarter=2026-27+Q1`,
  ],
  [
    'commissioner: provider performance',
    () => council,
    () => `${FRAMEWORK()}/providers/alpha-${run}/performance?quarter=2026-27+Q1`,
  ],
  ['commissioner: packages waiting', () => council, () => `${FRAMEWORK()}/packages-waiting`],
  [
    'commissioner: providers’ returns',
    () => council,
    () => `${FRAMEWORK()}/returns?quarter=2026-27+Q1`,
  ],
];

describe('HR’s and a commissioner’s pages in a real browser', () => {
  it.each(PAGES)(
    '%s opens with no serious accessibility violation',
    async (_name, tenant, path) => {
      const role: Role = tenant() === council ? 'commissioner' : 'hr';
      const { page, context, status } = await openPage(browser, `${api.baseUrl}${path()}`, {
        bearerToken: as(tenant(), role),
      });
      try {
        expect(status).toBe(200);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await expectNoSeriousAccessibilityViolations(page);
      } finally {
        await context.close();
      }
    },
  );

  it('follows Stage 3 → why from the stages page, by its links', async () => {
    const { page, context } = await openPage(browser, `${api.baseUrl}/app/capability`, {
      bearerToken: as(provider, 'hr'),
    });
    try {
      await page.getByRole('link', { name: /mgr-siwan/ }).click();
      await page.getByRole('heading', { name: 'Capability timeline of mgr-siwan' }).waitFor();
      await page.getByRole('link', { name: /Why Stage 3/ }).click();
      await page.getByText('Chain verified').waitFor();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        'Why is mgr-siwan at Stage 3',
      );
    } finally {
      await context.close();
    }
  });
});
