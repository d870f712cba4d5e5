import { chromium, type BrowserServer } from 'playwright-core';
import { CHROMIUM_LAUNCH_OPTIONS, ensureChromium } from './chromium';
import { SHARED_BROWSER_ENDPOINT } from './shared-browser';

/**
 * The browser project's globalSetup: once per Jest run, makes sure Chromium is installed and
 * launches ONE browser server; test files connect to it through the endpoint left in the
 * environment (Jest's workers start after this and inherit it). globalTeardown closes it.
 */
export default async function startSharedBrowser(): Promise<void> {
  ensureChromium();
  const server = await chromium.launchServer(CHROMIUM_LAUNCH_OPTIONS);
  process.env[SHARED_BROWSER_ENDPOINT] = server.wsEndpoint();
  (globalThis as { sharedBrowserServer?: BrowserServer }).sharedBrowserServer = server;
}
