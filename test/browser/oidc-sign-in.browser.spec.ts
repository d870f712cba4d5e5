import type { Browser } from 'playwright-core';
import { startOidcProvider, type TestOidcProvider } from '@kpi/testing';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

const TENANT = 'browser-oidc';

let browser: Browser;
let api: ApiInBrowser;
let provider: TestOidcProvider;
beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('oidc_sign_in_browser'),
  ]);
  provider = await startOidcProvider(`${api.baseUrl}/app/sign-in/organisation/callback`);
  const set = await api
    .http()
    .put('/accounts/identity-provider')
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId: TENANT, roles: ['admin'] })}`)
    .send({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      roleClaim: 'groups',
      roleMappings: [{ claimValue: 'kpi-hr', roles: ['hr'] }],
      additionalScopes: ['groups'],
    });
  expect(set.status).toBe(200);
});
afterAll(() => Promise.all([browser?.close(), provider?.close(), api?.close()]));

describe('signing in through the organisation’s identity provider in a real browser', () => {
  it('goes from the sign-in page to the provider and back, landing on the home page signed in', async () => {
    await provider.setPerson('nia', { email: 'nia@browser-oidc.example.org', groups: ['kpi-hr'] });
    const { page, context } = await openPage(browser, `${api.baseUrl}/app/sign-in`);
    try {
      await expectNoSeriousAccessibilityViolations(page);
      await page.fill('#organisation', TENANT);
      await page.getByRole('button', { name: 'Sign in with your organisation’s account' }).click();
      await page.waitForURL(`${provider.issuer}/interaction/**`);
      await page.fill('#login', 'nia');
      await page.click('button[type=submit]');
      await page.waitForURL(`${api.baseUrl}/app`);
      await expect(page.textContent('[data-signed-in-as]')).resolves.toContain(TENANT);
      await expect(page.textContent('main')).resolves.toContain('hr');
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });

  it('shows a person whose groups give no role a page that says so', async () => {
    await provider.setPerson('omar', { email: 'omar@browser-oidc.example.org', groups: [] });
    const { page, context } = await openPage(
      browser,
      `${api.baseUrl}/app/sign-in/organisation?organisation=${TENANT}`,
    );
    try {
      await page.fill('#login', 'omar');
      await page.click('button[type=submit]');
      await page.waitForURL(`${api.baseUrl}/app/sign-in/organisation/callback?**`);
      await expect(page.textContent('h1')).resolves.toBe(
        'Your account gives you no role in KPI ledger',
      );
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
