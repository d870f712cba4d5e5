import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { expectNoSeriousAccessibilityViolations } from './support/accessibility';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

let browser: Browser;
let api: ApiInBrowser;
beforeAll(async () => {
  [browser, api] = await Promise.all([
    connectToSharedBrowser(),
    startApiForBrowser('notifications_page_browser'),
  ]);
});
afterAll(() => Promise.all([browser?.close(), api?.close()]));

describe('the notifications page in a real browser', () => {
  it('lists the person’s notifications, saves their choice of a daily digest and marks all read: accessible throughout', async () => {
    const tenantId = 'browser-notify';
    for (const [subject, at] of [
      [
        'The October 2026 return of home-01 is overdue: it was due by 20 November 2026',
        '2026-11-21T00:00:01Z',
      ],
      ['Overdue: an action (act-7) was due by 30 November 2026', '2026-12-01T00:00:01Z'],
    ] as const) {
      const eventId = randomUUID();
      await api.pool.query(
        `INSERT INTO notification_deliveries
           (tenant_id, account_id, notification_id, source_event_id, source_tenant_id, kind,
            subject, facts, link, occurred_at, created_at, status)
         VALUES ($1, 'acc-gwen', $2, $3, $1, 'return-overdue', $4, $5, '/app/returns-due', $6, now(), 'sent')`,
        [tenantId, `return-overdue~${eventId}`, eventId, subject, { Service: 'home-01' }, at],
      );
    }
    const bearerToken = api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'acc-gwen' });
    const { page, context, status } = await openPage(browser, `${api.baseUrl}/app`, {
      bearerToken,
    });
    try {
      expect(status).toBe(200);
      await page.click('.govuk-service-navigation a[href="/app/notifications"]');
      await page.waitForSelector('[data-notifications]');
      await expect(page.textContent('[data-unread]')).resolves.toContain('2 unread notifications.');
      const subjects = await page.$$eval('[data-notification] h2', (headings) =>
        headings.map((h) => h.textContent?.replace(/\s+/g, ' ').trim()),
      );
      expect(subjects).toEqual([
        'Unread Overdue: an action (act-7) was due by 30 November 2026',
        'Unread The October 2026 return of home-01 is overdue: it was due by 20 November 2026',
      ]);
      await expectNoSeriousAccessibilityViolations(page);

      await page.check('input[name="mode"][value="daily-digest"]');
      await page.click('form[data-preference] button');
      await page.waitForSelector('.govuk-notification-banner--success');
      await expect(page.isChecked('input[name="mode"][value="daily-digest"]')).resolves.toBe(true);
      await expectNoSeriousAccessibilityViolations(page);

      await page.click('form[action="/app/notifications/read"] button');
      await page.waitForSelector('.govuk-notification-banner--success');
      await expect(page.textContent('[data-unread]')).resolves.toContain('Nothing unread.');
      await expectNoSeriousAccessibilityViolations(page);
    } finally {
      await context.close();
    }
  });
});
