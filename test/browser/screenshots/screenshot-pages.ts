import { addMonths, londonPeriodOf, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { SEED_DEMO_DEFAULTS, seedDemo } from '../../../apps/cli/src/commands/seed-demo.command';
import { seedDemoAccounts } from '../../../apps/cli/src/commands/seed-demo/demo-accounts';
import { startProjections } from '../../api/support/worker-in-process';
import type { ApiInBrowser } from '../support/api-in-browser';

/** One page `npm run screenshots` photographs. */
export interface ScreenshotPage {
  /** The file: docs/screenshots/<name>.png. */
  name: string;
  /** The page's path on the app, e.g. `/api/docs`. */
  path: string;
  /** Opens it with a bearer token for this principal; else anonymous. */
  as?: { tenantId: string; roles: Role[]; userId?: string };
  /** A CSS selector to wait for before the picture (what shows the page has drawn itself). */
  waitFor: string;
  /** The whole scrollable page (the default), or only the first 1280 × 800 screen. */
  fullPage?: boolean;
  /** The status the page answers with: 200 unless it is an error page. */
  status?: number;
}

/** The seeded demo's names and months that the pages' addresses need. */
export interface ScreenshotDemo {
  /** The provider (`demo-care`). */
  provider: string;
  /** The council with the care-at-home framework and direct services (`demo-council`). */
  council: string;
  frameworkId: string;
  /** A provider on the council's framework. */
  frameworkProvider: string;
  /** The home whose manager is at Stage 3, with the month of its last return. */
  homeId: string;
  lastMonth: string;
  /** The month under way: its return is not in yet, so its submit form opens. */
  openMonth: string;
  /** The Stage 3 manager and entry (`home-02.EDU.<month>.s3`). */
  managerId: string;
  entryId: string;
  /** The council's last ended quarter (`2026-27 Q2`) and financial year (`2025/26`). */
  quarter: string;
  year: string;
}

/** Pages that need no data: the browser test photographs these (fast). */
export const PAGES_WITHOUT_DATA: readonly ScreenshotPage[] = [
  // The OpenAPI UI: Swagger draws the document with JavaScript, the h1 is its title.
  { name: 'api-docs', path: '/api/docs', waitFor: 'h1.title', fullPage: false },
  { name: 'sign-in', path: '/app/sign-in', waitFor: 'form[action="/app/sign-in"]' },
  {
    name: 'invitation-unknown',
    path: '/app/invitations/no-such-invitation',
    waitFor: 'h1',
    status: 404,
  },
  {
    name: 'not-found',
    path: '/app/no-such-page',
    as: { tenantId: 'demo-care', roles: ['provider-admin'] },
    waitFor: 'h1',
    status: 404,
  },
];

/** Every page, on the seeded demo (see {@link prepareScreenshotData}). */
export function screenshotPages(demo: ScreenshotDemo): ScreenshotPage[] {
  const as = (tenantId: string, role: Role) => ({
    tenantId,
    roles: [role],
    userId: `demo-${role}`,
  });
  const providerAdmin = as(demo.provider, 'provider-admin');
  const hr = as(demo.provider, 'hr');
  const admin = as(demo.provider, 'admin');
  const commissioner = as(demo.council, 'commissioner');
  const framework = `/app/councils/${demo.council}/care-frameworks/${demo.frameworkId}`;
  const table = 'table.govuk-table';
  const timeline = `/app/capability/managers/${demo.managerId}/timeline`;
  return [
    ...PAGES_WITHOUT_DATA,
    { name: 'who-am-i', path: '/app', as: providerAdmin, waitFor: 'h1' },
    // The demo's accounts, one per role (seed-demo).
    { name: 'people', path: '/app/people', as: admin, waitFor: table },
    {
      name: 'people-invite',
      path: '/app/people/invite',
      as: admin,
      waitFor: 'form[action="/app/people/invite"]',
    },
    { name: 'kpi-grid', path: '/app/kpi-grid', as: providerAdmin, waitFor: table },
    { name: 'returns-due', path: '/app/returns-due', as: providerAdmin, waitFor: 'h1' },
    {
      name: 'submit-return-form',
      path: `/app/services/${demo.homeId}/returns/${demo.openMonth}/submit`,
      as: providerAdmin,
      waitFor: 'form',
    },
    {
      name: 'amend-return-form',
      path: `/app/services/${demo.homeId}/returns/${demo.lastMonth}/amend`,
      as: providerAdmin,
      waitFor: 'form',
    },
    {
      name: 'return',
      path: `/app/services/${demo.homeId}/returns/${demo.lastMonth}`,
      as: providerAdmin,
      waitFor: 'h1',
    },
    {
      name: 'return-evidence',
      path: `/app/services/${demo.homeId}/returns/${demo.lastMonth}/evidence`,
      as: providerAdmin,
      waitFor: 'form[data-attach-evidence]',
    },
    { name: 'returns-to-verify', path: '/app/returns-to-verify', as: providerAdmin, waitFor: 'h1' },
    {
      name: 'trend',
      path: `/app/services/${demo.homeId}/trend`,
      as: providerAdmin,
      waitFor: 'h1',
    },
    { name: 'hr-stages', path: '/app/capability', as: hr, waitFor: 'h1' },
    { name: 'notifications', path: '/app/notifications', as: hr, waitFor: 'form[data-preference]' },
    { name: 'hr-timeline', path: timeline, as: hr, waitFor: 'h1' },
    {
      name: 'hr-why',
      path: `${timeline}/${encodeURIComponent(demo.entryId)}/why`,
      as: hr,
      waitFor: 'h1',
    },
    {
      name: 'hr-support-plan',
      path: `${timeline}/${encodeURIComponent(demo.entryId)}/support-plan`,
      as: hr,
      waitFor: 'form',
    },
    { name: 'risks', path: '/app/risks', as: providerAdmin, waitFor: 'h1' },
    {
      name: 'data-quality',
      path: '/app/data-quality',
      as: as(demo.provider, 'performance-officer'),
      waitFor: 'form[data-draw-sample]',
    },
    { name: 'commissioner-call-off', path: '/app/call-off', as: commissioner, waitFor: 'h1' },
    {
      name: 'commissioner-league-table',
      path: `${framework}/league-table`,
      as: commissioner,
      waitFor: 'h1',
    },
    {
      name: 'commissioner-provider-performance',
      path: `${framework}/providers/${demo.frameworkProvider}/performance`,
      as: commissioner,
      waitFor: 'h1',
    },
    {
      name: 'commissioner-packages-waiting',
      path: `${framework}/packages-waiting`,
      as: commissioner,
      waitFor: 'h1',
    },
    { name: 'commissioner-returns', path: `${framework}/returns`, as: commissioner, waitFor: 'h1' },
    { name: 'commissioner-notices', path: `${framework}/notices`, as: commissioner, waitFor: 'h1' },
    {
      name: 'council-quarterly-report',
      path: `/app/reports/quarterly?quarter=${encodeURIComponent(demo.quarter)}`,
      as: commissioner,
      waitFor: table,
      // The reports run to tens of screens: the first one shows what they are.
      fullPage: false,
    },
    {
      name: 'council-business-plan-report',
      path: `/app/reports/business-plan?year=${encodeURIComponent(demo.year)}`,
      as: commissioner,
      waitFor: table,
      fullPage: false,
    },
    {
      name: 'forbidden',
      path: '/app/kpi-grid',
      as: admin,
      waitFor: 'h1',
      status: 403,
    },
  ];
}

/**
 * Fills the screenshot API's fresh database with the demo (`seedDemo` and `seedDemoAccounts`,
 * the code behind `cli seed-demo`, its defaults), then runs the worker's projections in this process until
 * every read model is at the head of the log. Returns what the pages' addresses need.
 */
export async function prepareScreenshotData(api: ApiInBrowser): Promise<ScreenshotDemo> {
  const store = new PostgresEventStore(api.pool, eventTypeRegistry());
  const vault = new PersonalDataVault(api.pool, api.config.PERSONAL_DATA_KEY);
  const summary = await seedDemo({ store, vault }, { ...SEED_DEMO_DEFAULTS });
  await seedDemoAccounts(store, api.pool, vault, summary);
  const projections = await startProjections(api.pool, store);
  try {
    await projections.caughtUp();
  } finally {
    await projections.stop();
  }
  const { council, directServices, provider, walkthrough } = summary;
  if (!council || !directServices) throw new Error('the demo council was not seeded');
  return {
    provider: provider.tenant,
    council: council.councilId,
    frameworkId: council.frameworkId,
    frameworkProvider: council.providers[0]!,
    homeId: provider.stage3.serviceId,
    lastMonth: provider.to,
    openMonth: addMonths(londonPeriodOf(new Date()), 0),
    managerId: provider.stage3.managerId,
    entryId: walkthrough.ENTRY,
    quarter: directServices.quarter,
    year: directServices.year,
  };
}
