import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Browser } from 'playwright-core';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

/**
 * Sign-off in a real browser (docs/decisions/0037): the return page with its buttons, sending a
 * return back through the form, the list of returns in sign-off, and the quarterly report with
 * commentary and the audited share — each without serious accessibility violations.
 */
let browser: Browser;
let api: ApiInBrowser;
let projections: ProjectionsInProcess;
let tenant: string;

async function send(token: string, method: 'post' | 'put', path: string, body: object) {
  const response = await api
    .http()
    [method](path)
    .set('Authorization', `Bearer ${token}`)
    .send(body);
  expect({ path, status: response.status }).toMatchObject({ status: method === 'put' ? 200 : 201 });
}

/** A home with sign-off on, the months of 2026-27 Q2 submitted, and commentary on EDU. */
async function homeInSignOff(): Promise<string> {
  const id = `browser-signoff-${randomUUID().slice(0, 8)}`;
  const admin = api.tokenFor({ tenantId: id, roles: ['provider-admin'] });
  await send(admin, 'post', '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await send(admin, 'post', '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await send(admin, 'post', '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  await send(admin, 'put', '/sign-off', { on: true });
  const rm = api.tokenFor({ tenantId: id, roles: ['regional-manager'], userId: 'user:rm-gwen' });
  for (const period of ['2026-07', '2026-08', '2026-09']) {
    await send(rm, 'post', '/services/ty-gwyn/returns', { period, values: allMet });
  }
  // July verified and published: the report has its figures, and the commentary beside them.
  const officer = api.tokenFor({ tenantId: id, roles: ['performance-officer'] });
  const july = '/services/ty-gwyn/returns/2026-07';
  for (const [token, step] of [
    [officer, 'verification'],
    [admin, 'publication'],
  ] as const) {
    const response = await api
      .http()
      .post(`${july}/${step}`)
      .set('Authorization', `Bearer ${token}`)
      .send({});
    expect(response.status).toBe(200);
  }
  await send(rm, 'post', '/commentary', {
    serviceId: 'ty-gwyn',
    indicatorCode: 'EDU',
    period: '2026-27 Q2',
    whatHappened: 'Attendance held up over the summer',
    whatIsBeingDone: 'Nothing new',
  });
  await projections.caughtUp();
  return id;
}

beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('browser_sign_off'),
  ]);
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
  tenant = await homeInSignOff();
});
afterAll(async () => {
  await projections?.stop();
  await Promise.all([browser?.close(), api?.close()]);
});

describe('sign-off pages in a real browser', () => {
  it('sends a return back from its page, the reason required, with no serious violation', async () => {
    const officer = api.tokenFor({ tenantId: tenant, roles: ['performance-officer'] });
    const { page, context, status } = await openPage(
      browser,
      `${api.baseUrl}/app/services/ty-gwyn/returns/2026-09`,
      { bearerToken: officer },
    );
    try {
      expect(status).toBe(200);
      await page.getByText('Waiting to be verified').waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByRole('button', { name: 'Send it back' }).click();
      await page.getByText('There is a problem').waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByLabel('Why send it back?').fill('The EDU figure is the June one');
      await page.getByRole('button', { name: 'Send it back' }).click();
      await page.getByText('Sent back to be amended').waitFor();
      await page.getByText('The EDU figure is the June one').waitFor();
    } finally {
      await context.close();
    }
  });

  it.each([
    ['the returns in sign-off', '/app/returns-to-verify', 'provider-admin'],
    [
      'the quarterly report with commentary',
      '/app/reports/quarterly?quarter=2026-27%20Q2',
      'commissioner',
    ],
    [
      'the commentary form',
      '/app/commentary?serviceId=ty-gwyn&indicatorCode=EDU&period=2026-27%20Q2',
      'regional-manager',
    ],
  ] as const)('%s open with no serious violation', async (_name, path, role) => {
    const token = api.tokenFor({ tenantId: tenant, roles: [role] });
    const { page, context, status } = await openPage(browser, `${api.baseUrl}${path}`, {
      bearerToken: token,
    });
    try {
      expect(status).toBe(200);
      await page.getByRole('heading', { level: 1 }).waitFor();
      if (role === 'commissioner')
        await page.getByText(/Attendance held up over the summer/).waitFor();
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });

  it('draws an audit sample and records a finding through the data-quality pages, with no serious violation', async () => {
    const auditor = api.tokenFor({
      tenantId: tenant,
      roles: ['performance-officer'],
      userId: 'user:po-sian',
    });
    const { page, context, status } = await openPage(browser, `${api.baseUrl}/app/data-quality`, {
      bearerToken: auditor,
    });
    try {
      expect(status).toBe(200);
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByLabel('Month').fill('2026-08');
      await page.getByLabel('How many returns').fill('1');
      await page.getByRole('button', { name: 'Draw the sample' }).click();
      await page.getByRole('heading', { name: /^Audit .*, 2026-08$/ }).waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByRole('button', { name: 'Record the finding for ty-gwyn' }).click();
      await page.getByText('There is a problem').waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByLabel('Confirmed: the figures match the evidence').check();
      await page.getByLabel('What you checked').fill('School attendance letters for August');
      await page.getByRole('button', { name: 'Record the finding for ty-gwyn' }).click();
      await page.getByText('School attendance letters for August').waitFor();
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });

  it('attaches a file to a return through its evidence page, with no serious violation', async () => {
    const rm = api.tokenFor({
      tenantId: tenant,
      roles: ['regional-manager'],
      userId: 'user:rm-gwen',
    });
    const { page, context, status } = await openPage(
      browser,
      `${api.baseUrl}/app/services/ty-gwyn/returns/2026-08`,
      { bearerToken: rm },
    );
    try {
      expect(status).toBe(200);
      await page.getByRole('link', { name: 'Evidence for this return' }).click();
      await page.getByRole('heading', { name: 'Evidence for ty-gwyn, 2026-08' }).waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByRole('button', { name: 'Attach the file' }).click();
      await page.getByText('Choose a file to attach').first().waitFor();
      await expectNoSeriousAccessibilityViolations(page);
      await page.getByLabel('File').setInputFiles({
        name: 'attendance.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('date,attended\n2026-08-03,yes\n'),
      });
      await page.getByLabel(/It holds personal data/).check();
      await page.getByRole('button', { name: 'Attach the file' }).click();
      await page.getByRole('link', { name: 'attendance.csv' }).waitFor();
      await page.getByText('Holds personal data', { exact: true }).waitFor();
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
