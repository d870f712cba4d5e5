import type { Role } from '@kpi/domain';
import type { ApiInBrowser } from '../support/api-in-browser';

/** One page `npm run screenshots` photographs. */
export interface ScreenshotPage {
  /** The file: docs/screenshots/<name>.png. */
  name: string;
  /** The page's path on the app, e.g. `/api/docs`. */
  path: string;
  /** Opens it with a bearer token for this principal (until sign-in pages exist); else anonymous. */
  as?: { tenantId: string; roles: Role[]; userId?: string };
  /** A CSS selector to wait for before the picture (what shows the page has drawn itself). */
  waitFor: string;
  /** The whole scrollable page (the default), or only the first 1280 × 800 screen. */
  fullPage?: boolean;
}

/**
 * What the screenshots show. Add a page here when it exists; `prepareScreenshotData` puts the
 * data the pages show into the screenshot API's fresh database first (e.g. the demo seed).
 */
export const SCREENSHOT_PAGES: readonly ScreenshotPage[] = [
  // The OpenAPI UI: Swagger draws the document with JavaScript, the h1 is its title.
  { name: 'api-docs', path: '/api/docs', waitFor: 'h1.title', fullPage: false },
  { name: 'sign-in', path: '/app/sign-in', waitFor: 'form[action="/app/sign-in"]' },
  {
    name: 'people',
    path: '/app/people',
    as: { tenantId: 'demo-care', roles: ['admin'] },
    waitFor: 'h1',
  },
  {
    name: 'people-invite',
    path: '/app/people/invite',
    as: { tenantId: 'demo-care', roles: ['admin'] },
    waitFor: 'form[action="/app/people/invite"]',
  },
];

/** Fills the screenshot API's database before any page is opened. Nothing to show yet. */
export async function prepareScreenshotData(_api: ApiInBrowser): Promise<void> {}
