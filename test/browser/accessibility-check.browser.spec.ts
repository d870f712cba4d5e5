import type { Browser } from 'playwright-core';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { serveFixtureSite, type FixtureSite } from './support/fixture-site';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

let browser: Browser;
let site: FixtureSite;
beforeAll(async () => {
  [browser, site] = await Promise.all([
    connectToSharedBrowser(),
    serveFixtureSite(['govuk-page', 'inaccessible-page']),
  ]);
});
afterAll(() => Promise.all([browser?.close(), site?.close()]));

describe('the accessibility check in a real browser', () => {
  it('passes a GOV.UK-styled page, with GOV.UK Frontend styles applied', async () => {
    const { page, context, status } = await openPage(browser, `${site.baseUrl}/govuk-page`);
    try {
      expect(status).toBe(200);
      await expect(page.title()).resolves.toBe('Submit a monthly return – kpi-ledger');
      // The stylesheet loaded: GOV.UK Frontend 6's green button, not the browser's grey one.
      const buttonColour = await page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-button')).backgroundColor",
      );
      expect(buttonColour).toBe('rgb(15, 122, 82)');
      await expect(expectNoSeriousAccessibilityViolations(page)).resolves.toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('fails an inaccessible page with a list naming each rule, its impact and the elements', async () => {
    const { page, context } = await openPage(browser, `${site.baseUrl}/inaccessible-page`);
    try {
      const failure = await expectNoSeriousAccessibilityViolations(page).then(
        () => null,
        (error: Error) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      const message = failure!.message;
      expect(message).toMatch(
        /^3 serious or critical accessibility violations at http:\/\/127\.0\.0\.1:\d+\/inaccessible-page:\n/,
      );
      expect(message).toContain('- [critical] button-name: Buttons must have discernible text');
      expect(message).toContain('- [critical] label: Form elements must have labels');
      expect(message).toContain(
        '- [serious] color-contrast: Elements must meet minimum color contrast ratio thresholds',
      );
      expect(message).toContain('    on #training\n');
      expect(message).toContain('    https://dequeuniversity.com/rules/axe/4.14/label');
    } finally {
      await context.close();
    }
  });
});
