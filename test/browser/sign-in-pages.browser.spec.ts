import type { Browser } from 'playwright-core';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

let browser: Browser;
let api: ApiInBrowser;
beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('sign_in_pages_browser'),
  ]);
});
afterAll(() => Promise.all([browser?.close(), api?.close()]));

const PASSWORD = 'correct horse battery staple';

/** An invitation of the tenant's admin: the person's email and the link they are given. */
async function invitation(tenantId: string) {
  const email = `browser-${Date.now()}@example.org`;
  const invited = await api
    .http()
    .post('/accounts/invitations')
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId, roles: ['admin'] })}`)
    .send({ email, roles: ['hr'] });
  expect(invited.status).toBe(201);
  return { email, link: `/app/invitations/${invited.body.invitationToken as string}` };
}

describe('the sign-in pages in a real browser', () => {
  it('accepts an invitation, signs in, opens a page with the cookie and signs out: each page accessible', async () => {
    const { email, link } = await invitation('browser-signin');
    const { page, context, status } = await openPage(browser, `${api.baseUrl}${link}`);
    try {
      expect(status).toBe(200);
      await expectNoSeriousAccessibilityViolations(page);
      await page.fill('#password', 'short');
      await page.fill('#confirmPassword', 'short');
      await page.click('button[type=submit]');
      await page.waitForSelector('.govuk-error-summary');
      await expectNoSeriousAccessibilityViolations(page);
      await page.fill('#password', PASSWORD);
      await page.fill('#confirmPassword', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(/\/app\/sign-in\?notice=invitation-accepted$/);
      await expectNoSeriousAccessibilityViolations(page);

      await page.fill('#email', email);
      await page.fill('#password', 'a wrong password');
      await page.click('button[type=submit]');
      await page.waitForSelector('.govuk-error-summary');
      await expectNoSeriousAccessibilityViolations(page);

      await page.fill('#password', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(/\/app$/);
      await expect(page.textContent('[data-signed-in-as]')).resolves.toContain('browser-signin');
      await expectNoSeriousAccessibilityViolations(page);

      await page.click('[data-sign-out] button');
      await page.waitForURL(/\/app\/sign-in\?notice=signed-out$/);
      await page.goto(`${api.baseUrl}/app`);
      expect(page.url()).toBe(`${api.baseUrl}/app/sign-in`);

      await page.goto(`${api.baseUrl}${link}`); // used now: says so, offers sign-in
      await expect(page.textContent('h1')).resolves.toContain('This invitation has been used');
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
