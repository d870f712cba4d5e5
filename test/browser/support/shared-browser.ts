import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The environment variable holding the shared browser server's WebSocket endpoint. */
export const SHARED_BROWSER_ENDPOINT = 'KPI_BROWSER_WS_ENDPOINT';

/**
 * Connects to the Chromium the browser project's globalSetup launched (one per Jest run, shared
 * by every test file). One per spec file: `beforeAll(connect)`, `afterAll(() => browser.close())`
 * (closing a connected browser only disconnects this file).
 */
export async function connectToSharedBrowser(): Promise<Browser> {
  const endpoint = process.env[SHARED_BROWSER_ENDPOINT];
  if (!endpoint) {
    throw new Error(
      `${SHARED_BROWSER_ENDPOINT} is not set: browser specs run in the Jest project 'browser' (npx jest --selectProjects browser), whose globalSetup launches Chromium`,
    );
  }
  return chromium.connect(endpoint);
}

export interface OpenPageOptions {
  /** Sent as `Authorization: Bearer …` with every request of the page (until sign-in pages exist). */
  bearerToken?: string;
}

export interface OpenedPage {
  page: Page;
  /** The page's own context (cookies, headers): close it when done. */
  context: BrowserContext;
  /** The HTTP status of the page's main document. */
  status: number;
}

/**
 * Opens `url` in a fresh context of its own (no cookies shared between tests), waiting for the
 * load event. Fails when nothing answers; any HTTP status is returned, not thrown.
 */
export async function openPage(
  browser: Browser,
  url: string,
  { bearerToken }: OpenPageOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...(bearerToken ? { extraHTTPHeaders: { Authorization: `Bearer ${bearerToken}` } } : {}),
  });
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response) throw new Error(`opening ${url} gave no response`);
  return { page, context, status: response.status() };
}
