import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { ApiInBrowser } from '../support/api-in-browser';
import { openPage } from '../support/shared-browser';
import type { ScreenshotPage } from './screenshot-pages';

/**
 * Opens each page on the running API in `browser` (a fresh context each, 1280 × 800, as the
 * browser tests open pages) and writes `<outputDirectory>/<name>.png`. Returns the files written.
 * Fails on the first page that does not answer its status (200 unless it says) or never shows
 * what it waits for.
 */
export async function takeScreenshots(
  browser: Browser,
  api: ApiInBrowser,
  pages: readonly ScreenshotPage[],
  outputDirectory: string,
): Promise<string[]> {
  mkdirSync(outputDirectory, { recursive: true });
  const written: string[] = [];
  for (const entry of pages) {
    const { page, context, status } = await openPage(
      browser,
      `${api.baseUrl}${entry.path}`,
      entry.as ? { bearerToken: api.tokenFor(entry.as) } : {},
    );
    try {
      const expected = entry.status ?? 200;
      if (status !== expected) {
        throw new Error(`${entry.name}: ${entry.path} answered ${status}, not ${expected}`);
      }
      await page.locator(entry.waitFor).first().waitFor({ timeout: 15_000 });
      const file = join(outputDirectory, `${entry.name}.png`);
      await page.screenshot({
        path: file,
        fullPage: entry.fullPage ?? true,
        animations: 'disabled',
      });
      written.push(file);
    } finally {
      await context.close();
    }
  }
  return written;
}
