import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('provider_pages_e2e');
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
const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const manager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });

async function postJson(token: string, path: string, body: object): Promise<void> {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect(response.status).toBe(201);
}

/** A provider with a region, the children's-homes framework from 2025-01 and the home ty-gwyn. */
async function providerWithHome(): Promise<string> {
  const tenant = `pages-${randomUUID().slice(0, 8)}`;
  const token = admin(tenant);
  await postJson(token, '/organisation', { name: 'Acme Care', kind: 'provider' });
  await postJson(token, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await postJson(token, '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await postJson(token, '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  return tenant;
}

/** A page as a browser of `token` gets it, with the cookies it set. */
function getPage(token: string, path: string, cookies: string[] = []) {
  return api.http().get(path).set('Authorization', `Bearer ${token}`).set('Cookie', cookies);
}

/** The form page, its CSRF token and the cookie that holds the token's secret. */
async function openForm(token: string, path: string) {
  const page = await getPage(token, path);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  const formKey = /name="_formKey" value="([^"]+)"/.exec(page.text)?.[1];
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  expect(csrf).toBeDefined();
  return { page, csrf: csrf!, formKey: formKey!, cookies };
}

function postForm(token: string, path: string, cookies: string[], form: Record<string, string>) {
  return api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .set('Cookie', cookies)
    .type('form')
    .send(form);
}

/** Every indicator of the children's-homes return, met, as the form's fields. */
const metForm: Record<string, string> = {
  v_SUP: '100',
  v_TRN: '96',
  v_EDU: '92',
  v_PLN: '100',
  v_RTI: '100',
  v_NTF: '100',
  v_R44: 'yes',
  v_RPI: '1',
  v_AGY: '8',
};

const SUBMIT = '/app/services/ty-gwyn/returns/2026-09/submit';
const AMEND = '/app/services/ty-gwyn/returns/2026-09/amend';

async function eventCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]!.count);
}

const expectPage = (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(HTML);
};

describe('the pages every signed-in person sees', () => {
  it('says who they are and which organisation, in the GOV.UK layout', async () => {
    const tenant = await providerWithHome();
    const page = await getPage(manager(tenant), '/app');
    expectPage(page, 200);
    expect(page.text).toContain('KPI ledger');
    expect(page.text).toContain('href="#main-content"'); // the skip link
    expect(page.text).toContain('/assets/govuk-frontend.min.css');
    expect(page.text).toMatch(/Signed in as <strong>user:rm-gwen<\/strong> of <strong>pages-/);
  });

  it('sends / to /app, and serves GOV.UK Frontend’s CSS and fonts without a token', async () => {
    const root = await api.http().get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/app');
    const css = await api.http().get('/assets/govuk-frontend.min.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect((await api.http().get('/assets/index.scss')).status).toBe(404);
  });

  it('sends a page without a sign-in to the sign-in page, and answers one the roles do not open with a 403 page', async () => {
    const anonymous = await api.http().get('/app/kpi-grid');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/app/sign-in?returnTo=%2Fapp%2Fkpi-grid');
    const tenant = await providerWithHome();
    const hr = api.tokenFor({ tenantId: tenant, roles: ['regulator'] });
    const refused = await getPage(hr, SUBMIT);
    expectPage(refused, 403);
    expect(refused.text).toContain('You cannot open this page');
  });

  it('keeps pages out of the OpenAPI document', async () => {
    const document = await api.http().get('/api/docs-json');
    const paths = Object.keys(document.body.paths as Record<string, unknown>);
    expect(paths.filter((path) => path === '/' || /^\/app(\/|$)/.test(path))).toEqual([]);
  });
});

describe('submitting a return through the form', () => {
  it('asks for each indicator of the version in force, with a CSRF token', async () => {
    const tenant = await providerWithHome();
    const { page, cookies } = await openForm(manager(tenant), SUBMIT);
    expect(page.text).toContain('Submit the return for 2026-09');
    for (const name of Object.keys(metForm)) expect(page.text).toContain(`name="${name}"`);
    expect(page.text).toContain('name="v_EDU_na"');
    expect(cookies.join(';')).toMatch(/kpi_csrf=/);
    const cookie = [page.headers['set-cookie']].flat().join(';');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('refuses a post without the CSRF token with a 403 page and writes nothing', async () => {
    const tenant = await providerWithHome();
    const { cookies, formKey } = await openForm(manager(tenant), SUBMIT);
    const before = await eventCount();
    const refused = await postForm(manager(tenant), SUBMIT, cookies, {
      ...metForm,
      _formKey: formKey,
    });
    expectPage(refused, 403);
    expect(refused.text).toContain('You cannot open this page');
    const forged = await postForm(manager(tenant), SUBMIT, cookies, {
      ...metForm,
      _csrf: 'forged',
    });
    expect(forged.status).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('lists bad values in the error summary, naming each indicator, and writes nothing', async () => {
    const tenant = await providerWithHome();
    const { csrf, cookies, formKey } = await openForm(manager(tenant), SUBMIT);
    const before = await eventCount();
    const response = await postForm(manager(tenant), SUBMIT, cookies, {
      ...metForm,
      v_EDU: '150',
      v_AGY: '',
      _csrf: csrf,
      _formKey: formKey,
    });
    expectPage(response, 400);
    expect(response.text).toContain('govuk-error-summary');
    expect(response.text).toContain('There is a problem');
    expect(response.text).toMatch(/href="#v_EDU"[^>]*>[^<]*\(EDU\) must be from 0 to 100/);
    expect(response.text).toMatch(/href="#v_AGY"[^>]*>[^<]*\(AGY\) is missing/);
    expect(response.text).toContain('value="150"'); // what was typed stays
    expect(response.text).toMatch(/<title>Error: /);
    expect(await eventCount()).toBe(before);
  });

  it('submits, redirects to the grid with a success banner, and the grid shows the month', async () => {
    const tenant = await providerWithHome();
    const { csrf, cookies, formKey } = await openForm(manager(tenant), SUBMIT);
    const response = await postForm(manager(tenant), SUBMIT, cookies, {
      ...metForm,
      v_EDU: '85',
      _csrf: csrf,
      _formKey: formKey,
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/app\/kpi-grid\?to=2026-09&notice=submitted/);
    await projections.caughtUp();
    const grid = await getPage(manager(tenant), response.headers.location as string);
    expectPage(grid, 200);
    expect(grid.text).toContain('Return submitted for Tŷ Gwyn, 2026-09');
    const cell = /data-period="2026-09">([\s\S]*?)<\/td>/.exec(grid.text)?.[1] ?? '';
    expect(cell).toContain('govuk-tag--orange');
    expect(cell).toContain('Amber');
    expect(cell).toContain('8 green, 1 amber');
    expect(grid.text).toContain('href="/kpi-grid.csv?from=2026-04&amp;to=2026-09"');
  });

  it('filters the grid by a select of the organisation’s regions, the chosen one selected', async () => {
    const tenant = await providerWithHome();
    await postJson(admin(tenant), '/regions', {
      regionId: 'south-wales',
      name: 'South Wales',
      regionalManagerId: 'rm-dai',
    });
    await providerWithHome(); // another organisation's regions are never offered
    await projections.caughtUp();
    const grid = await getPage(manager(tenant), '/app/kpi-grid?regionId=south-wales');
    expectPage(grid, 200);
    const select = /<select[^>]*name="regionId"[^>]*>([\s\S]*?)<\/select>/.exec(grid.text)?.[1];
    const options = [...(select ?? '').matchAll(/<option value="([^"]*)"( selected)?>([^<]*)</g)];
    expect(options.map(([, value, selected, text]) => [value, text!.trim(), !!selected])).toEqual([
      ['', 'Every region', false],
      ['north-wales', 'North Wales', false],
      ['south-wales', 'South Wales', true],
    ]);
    expect(grid.text).not.toMatch(/<input[^>]*name="regionId"/);
    expect(grid.text).not.toContain('data-service="ty-gwyn"'); // Tŷ Gwyn is in North Wales
  });

  it('answers another organisation’s home with the 404 page', async () => {
    await providerWithHome();
    const stranger = await providerWithHome();
    const other = `other-${randomUUID().slice(0, 8)}`;
    const page = await getPage(manager(other), SUBMIT);
    expectPage(page, 404);
    expect(page.text).toContain('Page not found');
    expect(page.text).not.toContain(stranger);
  });
});

describe('amending a return through the form', () => {
  async function submitted(): Promise<string> {
    const tenant = await providerWithHome();
    await postJson(manager(tenant), '/services/ty-gwyn/returns', {
      period: '2026-09',
      values: allMet,
    });
    return tenant;
  }

  it('starts from the stored values and refuses an amendment without a reason', async () => {
    const tenant = await submitted();
    const { page, csrf, cookies, formKey } = await openForm(manager(tenant), AMEND);
    expect(page.text).toMatch(
      /name="v_EDU" type="text" value="92"|id="v_EDU" name="v_EDU"[^>]*value="92"/,
    );
    const before = await eventCount();
    const refused = await postForm(manager(tenant), AMEND, cookies, {
      ...metForm,
      v_EDU: '80',
      reason: '   ',
      _csrf: csrf,
      _formKey: formKey,
    });
    expectPage(refused, 400);
    expect(refused.text).toMatch(/href="#reason"[^>]*>\s*Enter why the values change/);
    expect(await eventCount()).toBe(before);
  });

  it('amends with a reason and the grid shows the amendment', async () => {
    const tenant = await submitted();
    const { csrf, cookies, formKey } = await openForm(manager(tenant), AMEND);
    const response = await postForm(manager(tenant), AMEND, cookies, {
      ...metForm,
      v_EDU: '80',
      reason: 'Attendance recounted',
      _csrf: csrf,
      _formKey: formKey,
    });
    expect(response.status).toBe(303);
    await projections.caughtUp();
    const grid = await getPage(manager(tenant), response.headers.location as string);
    expect(grid.text).toContain('Return amended for Tŷ Gwyn, 2026-09');
    const cell = /data-period="2026-09">([\s\S]*?)<\/td>/.exec(grid.text)?.[1] ?? '';
    expect(cell).toContain('Amended 1 time');
    const history = await api
      .http()
      .get('/services/ty-gwyn/returns/2026-09')
      .set('Authorization', `Bearer ${manager(tenant)}`);
    expect(history.body.history[1]).toMatchObject({
      reason: 'Attendance recounted',
      changes: { EDU: 80 },
    });
  });
});

describe('returns due', () => {
  it('lists the months without a return, with links to submit them', async () => {
    const tenant = await providerWithHome();
    await projections.caughtUp();
    const page = await getPage(manager(tenant), '/app/returns-due');
    expectPage(page, 200);
    expect(page.text).toContain('Regional manager rm-gwen');
    expect(page.text).toContain('Overdue');
    expect(page.text).toContain('/app/services/ty-gwyn/returns/2026-09/submit');
  });
});
