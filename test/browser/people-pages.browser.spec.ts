import type { Browser } from 'playwright-core';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

let browser: Browser;
let api: ApiInBrowser;
beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('people_pages_browser'),
  ]);
});
afterAll(() => Promise.all([browser?.close(), api?.close()]));

describe('the people pages in a real browser', () => {
  it('invites a person (errors first), shows the link, links them to their manager id, then removes their access: each page accessible', async () => {
    const bearerToken = api.tokenFor({ tenantId: 'browser-people', roles: ['admin'] });
    const email = `browser-${Date.now()}@example.org`;
    const { page, context, status } = await openPage(browser, `${api.baseUrl}/app/people`, {
      bearerToken,
    });
    try {
      expect(status).toBe(200);
      await expectNoSeriousAccessibilityViolations(page);
      await page.click('a[href="/app/people/invite"]');
      await page.waitForSelector('form[action="/app/people/invite"]');
      await expectNoSeriousAccessibilityViolations(page);

      await page.click('form[action="/app/people/invite"] button');
      await page.waitForSelector('.govuk-error-summary');
      await expectNoSeriousAccessibilityViolations(page);

      await page.fill('#email', email);
      await page.check('input[name="roles"][value="regional-manager"]');
      await page.click('form[action="/app/people/invite"] button');
      await page.waitForSelector('[data-invitation-link]');
      await expect(page.textContent('[data-invitation-link]')).resolves.toMatch(
        /\/app\/invitations\/[A-Za-z0-9_-]{20,}$/,
      );
      await expectNoSeriousAccessibilityViolations(page);

      await page.click('a[href="/app/people"]');
      await page.waitForSelector('[data-people]');
      await page.click('a[href$="/manager"]');
      await page.waitForSelector('#managerId');
      await page.fill('#managerId', 'Not An Id');
      await page.click('form[action$="/manager"] button');
      await page.waitForSelector('.govuk-error-summary');
      await expectNoSeriousAccessibilityViolations(page);
      await page.fill('#managerId', 'rm-north');
      await page.click('form[action$="/manager"] button');
      await page.waitForSelector('[data-people]');
      await expect(page.textContent('[data-people]')).resolves.toContain('rm-north');

      await page.click('a[href$="/remove"]');
      await page.waitForSelector('.govuk-button--warning');
      await expectNoSeriousAccessibilityViolations(page);
      await page.click('.govuk-button--warning');
      await page.waitForSelector('.govuk-notification-banner--success');
      await expect(page.textContent('[data-people]')).resolves.toContain('Access removed');
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
