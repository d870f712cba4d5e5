import type { BrowserServer } from 'playwright-core';

/** Closes the browser server global-setup.ts launched (globalSetup and globalTeardown share globals). */
export default async function stopSharedBrowser(): Promise<void> {
  await (globalThis as { sharedBrowserServer?: BrowserServer }).sharedBrowserServer?.close();
}
