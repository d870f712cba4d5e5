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
  api = await startApiUnderTest('council_pages_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const officer = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['commissioner'], userId: 'user:officer-ola' });

async function postJson(token: string, path: string, body: object): Promise<void> {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect(response.status).toBe(201);
}

const QUARTER = '2026-27 Q2';
/** EDU (education attendance, %) of Tŷ Gwyn in July, August and September 2026. */
const TY_GWYN_EDU = { '2026-07': 92, '2026-08': 80, '2026-09': 70 };

/**
 * A tenant with the children's-homes framework and two homes, Tŷ Gwyn and Bryn Aur, whose
 * returns for the quarter's three months are in (Tŷ Gwyn's education falling month by month).
 */
async function tenantWithQuarter(): Promise<string> {
  const tenant = `council-${randomUUID().slice(0, 8)}`;
  const token = admin(tenant);
  await postJson(token, '/organisation', { name: 'Acme Care', kind: 'provider' });
  await postJson(token, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await postJson(token, '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  for (const [serviceId, name] of [
    ['ty-gwyn', 'Tŷ Gwyn'],
    ['bryn-aur', 'Bryn Aur'],
  ]) {
    await postJson(token, '/services', {
      serviceId,
      name,
      regionId: 'north-wales',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2024-04-01',
    });
  }
  for (const [period, edu] of Object.entries(TY_GWYN_EDU)) {
    await postJson(token, '/services/ty-gwyn/returns', { period, values: { ...allMet, EDU: edu } });
    await postJson(token, '/services/bryn-aur/returns', { period, values: allMet });
  }
  await projections.caughtUp();
  return tenant;
}

function getPage(token: string, path: string) {
  return api.http().get(path).set('Authorization', `Bearer ${token}`);
}

const expectPage = (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8$/);
};

/** The row of an indicator in the table that follows `marker` in the page. */
function rowAfter(html: string, marker: string, code: string): string {
  const from = html.indexOf(marker);
  expect(from).toBeGreaterThan(-1);
  const row = new RegExp(`data-indicator="${code}">([\\s\\S]*?)</tr>`).exec(html.slice(from));
  return row?.[1] ?? '';
}

const cellsOf = (row: string) =>
  [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim());

const QUARTERLY = `/app/reports/quarterly?quarter=${encodeURIComponent(QUARTER)}`;

describe('the quarterly report page', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await tenantWithQuarter();
  });

  it('shows every service’s months in the total, each figure with its rating in words', async () => {
    const page = await getPage(officer(tenant), QUARTERLY);
    expectPage(page, 200);
    expect(page.text).toContain('Quarterly report, 2026-27 Q2');
    expect(page.text).toMatch(/<option value="2026-27 Q2" selected>/);
    const total = cellsOf(rowAfter(page.text, 'All services', 'SUP'));
    // Three months, the quarter, the target, the travel.
    expect(total).toHaveLength(6);
    expect(total[0]).toMatch(
      /^100(%)? <strong class="govuk-tag govuk-tag--green">Green<\/strong>$/,
    );
  });

  it('shows a service’s quarter as the API’s query rolls it up, and its months only on request', async () => {
    const api_ = await getPage(
      officer(tenant),
      `/reports/quarterly?quarter=${encodeURIComponent(QUARTER)}&serviceId=ty-gwyn`,
    );
    const edu = (
      api_.body.services[0].lines as {
        code: string;
        quarter: { judgedValue: number; judgement: { rag: string } };
      }[]
    ).find((l) => l.code === 'EDU')!;

    const quarterOnly = await getPage(officer(tenant), QUARTERLY);
    const row = cellsOf(rowAfter(quarterOnly.text, 'data-service="ty-gwyn"', 'EDU'));
    expect(row).toHaveLength(3);
    const rounded = Number.isInteger(edu.quarter.judgedValue)
      ? String(edu.quarter.judgedValue)
      : edu.quarter.judgedValue.toFixed(1);
    expect(row[0]).toContain(rounded);
    expect(row[0]).toContain(
      `>${edu.quarter.judgement.rag[0]!.toUpperCase()}${edu.quarter.judgement.rag.slice(1)}<`,
    );

    const withMonths = await getPage(officer(tenant), `${QUARTERLY}&detail=months`);
    const months = cellsOf(rowAfter(withMonths.text, 'data-service="ty-gwyn"', 'EDU'));
    expect(months).toHaveLength(6);
    expect(months.slice(0, 3).map((cell) => /^[\d.]+/.exec(cell)?.[0])).toEqual(['92', '80', '70']);
    expect(withMonths.text).toContain('Hide each service’s months');
  });

  it('links to the CSV and Excel downloads of the same quarter', async () => {
    const page = await getPage(officer(tenant), QUARTERLY);
    expect(page.text).toContain('href="/reports/quarterly.csv?quarter=2026-27+Q2"');
    expect(page.text).toContain('href="/reports/quarterly.xlsx?quarter=2026-27+Q2"');
  });

  it('pages the services, naming which it shows of how many', async () => {
    const page = await getPage(officer(tenant), `${QUARTERLY}&offset=1`);
    expectPage(page, 200);
    expect(page.text).toContain('Services 2 to 2 of 2');
    expect(page.text).toContain('data-service="ty-gwyn"'); // by name: Bryn Aur, then Tŷ Gwyn
    expect(page.text).not.toContain('data-service="bryn-aur"');
    expect(page.text).toContain('rel="prev"');
    expect(page.text).not.toContain('rel="next"');
  });

  it('refuses a quarter not written like 2026-27 Q2 with a 400 page naming the field', async () => {
    const page = await getPage(officer(tenant), '/app/reports/quarterly?quarter=Q9');
    expectPage(page, 400);
    expect(page.text).toMatch(/<li>quarter: [^<]+<\/li>/);
  });
});

describe('the business-plan report page', () => {
  it('shows each indicator’s target, actual and rating per quarter, as the API’s query has them', async () => {
    const tenant = await tenantWithQuarter();
    const json = await getPage(officer(tenant), '/reports/business-plan?year=2026%2F27');
    const edu = (
      json.body.indicators as {
        code: string;
        periods: { period: string; judgedValue: number | null; rag: string | null }[];
      }[]
    ).find((i) => i.code === 'EDU')!;
    const q2 = edu.periods.find((p) => p.period === QUARTER)!;
    expect(q2.judgedValue).not.toBeNull();

    const page = await getPage(officer(tenant), '/app/reports/business-plan?year=2026%2F27');
    expectPage(page, 200);
    expect(page.text).toContain('Business plan, 2026/27');
    const block = page.text.slice(page.text.indexOf('data-indicator="EDU"'));
    const row = new RegExp(`data-period="${QUARTER}">([\\s\\S]*?)</tr>`).exec(block)?.[1] ?? '';
    const cells = cellsOf(row);
    expect(cells[1]).toContain(
      Number.isInteger(q2.judgedValue) ? String(q2.judgedValue) : q2.judgedValue!.toFixed(1),
    );
    expect(cells[2]).toMatch(/Green|Amber|Red/);
    expect(page.text).toContain('href="/reports/business-plan.csv?year=2026%2F27"');
  });
});

describe('who may open the council pages', () => {
  it('answers a role that does not read KPIs with a 403 page', async () => {
    const tenant = `council-${randomUUID().slice(0, 8)}`;
    const accounts = api.tokenFor({ tenantId: tenant, roles: ['admin'] });
    expectPage(await getPage(accounts, QUARTERLY), 403);
    expectPage(await getPage(accounts, '/app/reports/business-plan'), 403);
  });

  it('answers another organisation’s region with a 404 page', async () => {
    const tenant = await tenantWithQuarter();
    const stranger = `other-${randomUUID().slice(0, 8)}`;
    const page = await getPage(officer(stranger), `${QUARTERLY}&regionId=north-wales`);
    expectPage(page, 404);
    expect(page.text).toContain('Page not found');
    expect(page.text).not.toContain(tenant);
  });
});

describe('an organisation without services', () => {
  it('sees the quarterly report and the business plan with nothing in them', async () => {
    const empty = officer(`empty-${randomUUID().slice(0, 8)}`);
    expectPage(await getPage(empty, '/app/reports/quarterly'), 200);
    const quarterly = await getPage(empty, QUARTERLY);
    expect(quarterly.text).toContain('No returns in this quarter');
    expectPage(quarterly, 200);
    expectPage(await getPage(empty, '/app/reports/business-plan?year=2026%2F27'), 200);
  });
});
