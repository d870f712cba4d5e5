import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PAGES_WITHOUT_DATA } from './screenshots/screenshot-pages';
import { takeScreenshots } from './screenshots/take-screenshots';
import { startApiForBrowser, type ApiInBrowser } from './support/api-in-browser';
import { connectToSharedBrowser, openPage } from './support/shared-browser';

let browser: Browser;
let api: ApiInBrowser;
beforeAll(async () => {
  [browser, api] = await Promise.all([connectToSharedBrowser(), startApiForBrowser('browser_api')]);
});
afterAll(() => Promise.all([browser?.close(), api?.close()]));

describe('the API opened in a real browser', () => {
  it('shows the OpenAPI UI at /api/docs with the API title, without a token', async () => {
    const { page, context, status } = await openPage(browser, `${api.baseUrl}/api/docs`);
    try {
      expect(status).toBe(200);
      // Swagger UI draws the document in the page with JavaScript after loading it.
      const title = page.getByRole('heading', { level: 1 });
      await title.waitFor();
      await expect(title.textContent()).resolves.toMatch(/^kpi-ledger API/);
      await page.getByText('/audit/streams/{streamId}/events', { exact: true }).first().waitFor();
    } finally {
      await context.close();
    }
  });

  it('sends the bearer token a page is opened with on its requests', async () => {
    const token = api.tokenFor({ tenantId: 'tenant-browser', roles: ['hr'], userId: 'u-browser' });
    const signedIn = await openPage(browser, `${api.baseUrl}/me`, { bearerToken: token });
    const anonymous = await openPage(browser, `${api.baseUrl}/me`);
    try {
      expect(signedIn.status).toBe(200);
      expect(JSON.parse((await signedIn.page.textContent('body'))!)).toEqual({
        userId: 'u-browser',
        tenantId: 'tenant-browser',
        roles: ['hr'],
      });
      expect(anonymous.status).toBe(401);
    } finally {
      await Promise.all([signedIn.context.close(), anonymous.context.close()]);
    }
  });

  it('photographs every page of the screenshot list, as `npm run screenshots` does', async () => {
    // Into a directory of the test's own: the tests write nothing into the repository.
    const directory = mkdtempSync(join(tmpdir(), 'screenshots-'));
    try {
      const files = await takeScreenshots(browser, api, PAGES_WITHOUT_DATA, directory);
      expect(files).toEqual(
        PAGES_WITHOUT_DATA.map((entry) => join(directory, `${entry.name}.png`)),
      );
      for (const file of files) {
        const png = readFileSync(file);
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(png.readUInt32BE(16)).toBe(1280); // the IHDR width: the tests' viewport
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
