import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

/**
 * A council commissioner's pages over the call-off: its frameworks → the league table of a
 * quarter → a provider's performance; packages waiting in the rotation; providers' returns.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('commissioner_pages_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const HTML = /^text\/html; charset=utf-8$/;
const run = randomUUID().slice(0, 6);
const council = `council-${run}`;
const otherCouncil = `other-${run}`;
const alpha = `alpha-${run}`;
const beta = `beta-${run}`;
const FRAMEWORK = 'care-at-home';
const Q1 = '2026-27 Q1';
const Q2 = '2026-27 Q2';
const PAGES = `/app/councils/${council}/care-frameworks/${FRAMEWORK}`;
const LEAGUE = `${PAGES}/league-table`;
const PACKAGES = `${PAGES}/packages-waiting`;
const RETURNS = `${PAGES}/returns`;
const performance = (provider: string) => `${PAGES}/providers/${provider}/performance`;

const as = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });
const commissioner = () => as(council, 'commissioner');

async function created(token: string, path: string, body: object, at: string, status = 201) {
  api.setNow(new Date(at));
  try {
    const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
    expect({ path, status: response.status }).toEqual({ path, status });
  } finally {
    api.setNow(null);
  }
}

const getPage = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);
const getJson = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

const expectPage = (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(HTML);
};

/** The text of each table row marked `data-<attribute>`, keyed by that attribute's value. */
function rowsBy(html: string, attribute: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of html.matchAll(
    new RegExp(`<tr[^>]*data-${attribute}="([^"]+)"[^>]*>([\\s\\S]*?)</tr>`, 'g'),
  )) {
    rows.set(
      match[1]!,
      match[2]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return rows;
}

/**
 * Southwark's framework with alpha and beta: p1 (first refusal alpha) accepted within the hour,
 * p2 (first refusal beta) not answered yet; alpha's Q1 return sent, beta's missing.
 */
beforeAll(async () => {
  const start = '2026-04-01T09:00:00Z';
  await created(
    as(council, 'provider-admin'),
    '/organisation',
    { name: 'Southwark', kind: 'council' },
    start,
  );
  await created(
    as(otherCouncil, 'provider-admin'),
    '/organisation',
    { name: 'Lambeth', kind: 'council' },
    start,
  );
  for (const id of [alpha, beta])
    await created(
      as(id, 'provider-admin'),
      '/organisation',
      { name: `Provider ${id}`, kind: 'provider' },
      start,
    );
  await created(
    commissioner(),
    `/councils/${council}/care-frameworks`,
    {
      frameworkId: FRAMEWORK,
      name: 'Care at Home 2025–2029',
      contractStartDate: '2025-07-01',
      providers: [alpha, beta],
    },
    start,
  );
  const refer = (packageId: string, at: string) =>
    created(
      commissioner(),
      `/councils/${council}/care-frameworks/${FRAMEWORK}/packages`,
      {
        packageId,
        hoursPerWeek: 10,
        outcomes: 'Personal care before school.',
        startDate: '2026-05-18',
        urgent: false,
        communicationNeeds: 'Makaton',
      },
      at,
    );
  await refer('p1', '2026-04-06T09:00:00Z');
  await created(
    as(alpha, 'provider-admin'),
    `/councils/${council}/care-packages/p1/accept`,
    {},
    '2026-04-06T09:30:00Z',
    200,
  );
  await refer('p2', '2026-04-07T09:00:00Z');
  await created(
    as(alpha, 'provider-admin'),
    `/councils/${council}/care-frameworks/${FRAMEWORK}/quarterly-returns`,
    {
      quarter: Q1,
      figures: {
        'complaints-answered-in-time': { numerator: 3, denominator: 4 },
        'staff-turnover': { numerator: 2, denominator: 39.5 },
        'quarterly-supervision': { numerator: 35, denominator: 36 },
        'annual-appraisal': { numerator: 30, denominator: 30 },
        'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
        'diploma-level-1': { numerator: 12, denominator: 40 },
        'diploma-level-2': { numerator: 9, denominator: 40 },
      },
    },
    '2026-07-10T09:00:00Z',
  );
  await projections.caughtUp();
});

describe('a commissioner’s pages over the call-off', () => {
  it('lists the council’s frameworks with links to its pages', async () => {
    const page = await getPage(commissioner(), '/app/call-off');
    expectPage(page, 200);
    expect(rowsBy(page.text, 'framework').get(FRAMEWORK)).toMatch(
      /^Care at Home 2025–2029 2025-07-01 2 2 League table/,
    );
    for (const path of [LEAGUE, PACKAGES, RETURNS]) expect(page.text).toContain(`href="${path}"`);
    const other = await getPage(as(otherCouncil, 'commissioner'), '/app/call-off');
    expect(other.text).toContain('Your organisation has no care-at-home framework.');
  });

  it('ranks the providers of the quarter the form chooses, as the API’s league table does, linking each to its performance', async () => {
    const page = await getPage(commissioner(), LEAGUE, { quarter: Q1 });
    expectPage(page, 200);
    expect(page.text).toContain(`League table, ${Q1}`);
    const table = await getJson(
      commissioner(),
      `/councils/${council}/care-frameworks/${FRAMEWORK}/league-table`,
      { quarter: Q1 },
    );
    expect(table.status).toBe(200);
    const rows = rowsBy(page.text, 'provider');
    expect([...rows.entries()]).toEqual(
      table.body.providers.map(
        (p: { rank: number; providerId: string; green: number; red: number; grey: number }) => [
          p.providerId,
          `${p.rank} ${p.providerId} – performance ${p.green} ${p.red} ${p.grey}`,
        ],
      ),
    );
    expect(rows.get(alpha)).toMatch(/^1 /); // alpha accepted in time and sent its return
    expect(page.text).toContain(`href="${performance(alpha)}?quarter=2026-27+Q1"`);
    const q2 = await getPage(commissioner(), LEAGUE, { quarter: Q2 });
    expect(q2.text).toContain(`League table, ${Q2}`);
    expect(q2.text).not.toEqual(page.text);
  });

  it('shows a provider’s KPIs with value, target and result in words', async () => {
    const page = await getPage(commissioner(), performance(alpha), { quarter: Q1 });
    expectPage(page, 200);
    expect(page.text).toContain(`Performance of ${alpha}, ${Q1}`);
    expect(page.text).toContain('Quarterly return received');
    const api_ = await getJson(
      commissioner(),
      `/councils/${council}/care-frameworks/${FRAMEWORK}/providers/${alpha}/performance`,
      { quarter: Q1 },
    );
    const rows = rowsBy(page.text, 'kpi');
    expect([...rows.keys()]).toEqual(api_.body.kpis.map((k: { code: string }) => k.code));
    const accepted = rows.get('acceptance-within-4-hours')!;
    expect(accepted).toContain('1 of 1');
    expect(accepted).toMatch(/100% 95% Met$/);
    const betaPage = await getPage(commissioner(), performance(beta), { quarter: Q1 });
    expect(betaPage.text).toContain('Quarterly return not received');
    expect(rowsBy(betaPage.text, 'kpi').get('staff-turnover')).toMatch(/No data$/);
  });

  it('lists the packages waiting for a provider, not those placed', async () => {
    const page = await getPage(commissioner(), PACKAGES);
    expectPage(page, 200);
    expect(page.text).toMatch(/data-summary>1 waiting, 1 placed\./);
    const rows = rowsBy(page.text, 'package');
    expect([...rows.keys()]).toEqual(['p2']);
    expect(rows.get('p2')).toContain('2026-05-18');
  });

  it('shows each provider’s return for the quarter, returned or missing', async () => {
    const page = await getPage(commissioner(), RETURNS, { quarter: Q1 });
    expectPage(page, 200);
    expect(page.text).toMatch(/data-summary>1 returned, 1 missing\./);
    const rows = rowsBy(page.text, 'provider');
    expect(rows.get(alpha)).toMatch(/Returned 2026-07-10T09:00:00.000Z by .* 0$/);
    expect(rows.get(beta)).toMatch(/Missing – 0$/);
    expect(page.text).toContain(`href="${performance(alpha)}?quarter=2026-27%20Q1"`);
  });

  it('gives roles that may not read the league table the 403 page', async () => {
    for (const role of ROLES) {
      const allowed = ['commissioner', 'provider-admin', 'regulator'].includes(role);
      for (const path of ['/app/call-off', LEAGUE, PACKAGES, RETURNS]) {
        const page = await getPage(as(council, role), path);
        expect({ role, path, status: page.status }).toEqual({
          role,
          path,
          status: allowed ? 200 : 403,
        });
      }
    }
  });

  it('gives another council, and a provider, the 404 page for this council’s framework', async () => {
    const outsider = as(otherCouncil, 'commissioner');
    for (const path of [LEAGUE, PACKAGES, RETURNS, performance(alpha)]) {
      const page = await getPage(outsider, path, path === PACKAGES ? {} : { quarter: Q1 });
      expectPage(page, 404);
      expect(page.text).toContain('Page not found');
    }
    const notOnIt = await getPage(commissioner(), performance(`nobody-${run}`), { quarter: Q1 });
    expectPage(notOnIt, 404);
  });

  it('answers a quarter that is not one with the 400 page naming the field', async () => {
    const page = await getPage(commissioner(), LEAGUE, { quarter: '2026 Q5' });
    expectPage(page, 400);
    expect(page.text).toContain('quarter:');
  });

  it('links a commissioner, and not HR, from the start page', async () => {
    expect((await getPage(commissioner(), '/app')).text).toContain('href="/app/call-off"');
    expect((await getPage(as(council, 'hr'), '/app')).text).not.toContain('href="/app/call-off"');
  });
});
