/**
 * `npm run screenshots`: photographs every page listed in
 * test/browser/screenshots/screenshot-pages.ts into docs/screenshots/<name>.png, with the
 * browser tests' own setup: Debian's Chromium (installed with apt-get when missing), headless,
 * 1280 × 800, the real API on a fresh database of its own (dropped afterwards).
 *
 *   npm run screenshots                      # into docs/screenshots/
 *   npm run screenshots -- --out /tmp/shots  # somewhere else
 */
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_LAUNCH_OPTIONS, ensureChromium } from '../test/browser/support/chromium';
import { startApiForBrowser } from '../test/browser/support/api-in-browser';
import {
  prepareScreenshotData,
  screenshotPages,
} from '../test/browser/screenshots/screenshot-pages';
import { takeScreenshots } from '../test/browser/screenshots/take-screenshots';

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const outputDirectory =
    outIndex > 0 && process.argv[outIndex + 1]
      ? resolve(process.argv[outIndex + 1]!)
      : join(__dirname, '..', 'docs', 'screenshots');
  ensureChromium();
  const [browser, api] = await Promise.all([
    chromium.launch(CHROMIUM_LAUNCH_OPTIONS),
    startApiForBrowser('screenshots'),
  ]);
  try {
    const demo = await prepareScreenshotData(api);
    const files = await takeScreenshots(browser, api, screenshotPages(demo), outputDirectory);
    for (const file of files) console.log(`screenshots: wrote ${file}`);
  } finally {
    await Promise.all([browser.close(), api.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
