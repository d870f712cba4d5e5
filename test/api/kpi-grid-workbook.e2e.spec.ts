import { randomUUID } from 'node:crypto';
import { CHILDRENS_HOMES_INDICATORS } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { Workbook } from 'exceljs';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The KPI grid's Excel export reads on its own: what each indicator measures comes from the
 * framework version that judged the month, the manager in post from the home's appointments.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('kpi_grid_workbook_e2e');
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
const reader = (tenantId: string) => api.tokenFor({ tenantId, roles: ['regulator'] });

async function created(token: string, path: string, body: object) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
}

/** ty-gwyn, managed by mgr-siwan until 31 March 2026 and by mgr-owain from 1 April. */
async function tenantWithManagers(): Promise<string> {
  const tenant = `acme-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(admin(tenant), '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await created(admin(tenant), '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2026-01-01',
  });
  for (const appointment of [
    { managerId: 'mgr-siwan', from: '2026-01-01', to: '2026-03-31' },
    { managerId: 'mgr-owain', from: '2026-04-01' },
  ]) {
    await created(admin(tenant), '/services/ty-gwyn/manager-appointments', appointment);
  }
  await created(
    api.tokenFor({ tenantId: tenant, roles: ['regional-manager'], userId: 'user:rm-gwen' }),
    '/services/ty-gwyn/returns',
    {
      period: '2026-03',
      values: { ...allMet, EDU: 85, RTI: { notApplicable: true, reason: 'No missing episodes' } },
    },
  );
  await projections.caughtUp();
  return tenant;
}

/** Reads a response body as raw bytes (supertest buffers only text and JSON by itself). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('the KPI grid as JSON', () => {
  it('names the manager in post each month and what each indicator of the judging version measures', async () => {
    const tenant = await tenantWithManagers();

    const response = await api
      .http()
      .get('/kpi-grid')
      .query({ from: '2026-03', to: '2026-04' })
      .set('Authorization', `Bearer ${reader(tenant)}`);

    expect(response.status).toBe(200);
    expect(
      response.body.services[0].months.map((m: { period: string; managerId: string }) => [
        m.period,
        m.managerId,
      ]),
    ).toEqual([
      ['2026-03', 'mgr-siwan'],
      ['2026-04', 'mgr-owain'],
    ]);
    expect(response.body.frameworks).toEqual([
      {
        frameworkId: 'childrens-homes',
        version: 1,
        name: expect.any(String),
        indicators: CHILDRENS_HOMES_INDICATORS.map(({ code, name, unit, direction }) => ({
          code,
          name,
          unit,
          direction,
        })),
      },
    ]);
  });
});

describe('the KPI grid as an Excel workbook', () => {
  it('reads on its own: indicator names, RAG as text, numbers only, KPIs met as numbers, the manager', async () => {
    const tenant = await tenantWithManagers();

    const response = await api
      .http()
      .get('/kpi-grid.xlsx')
      .query({ from: '2026-03', to: '2026-04' })
      .set('Authorization', `Bearer ${reader(tenant)}`)
      .buffer(true)
      .parse(binary);

    expect(response.status).toBe(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(response.body);
    const grid = workbook.getWorksheet('KPI grid')!;
    const headers = (grid.getRow(1).values as unknown[]).slice(1);
    const column = (header: string) => headers.indexOf(header) + 1;
    const march = (header: string) => grid.getRow(2).getCell(column(header)).value;
    const april = (header: string) => grid.getRow(3).getCell(column(header)).value;

    expect(grid.getRow(1).getCell(column('EDU')).note).toBe(
      'Children in full-time education (%). Unit: %; higher is better.',
    );
    expect([march('Month'), march('Manager')]).toEqual(['2026-03', 'mgr-siwan']);
    expect([april('Month'), april('Manager')]).toEqual(['2026-04', 'mgr-owain']);
    expect([march('EDU'), march('EDU RAG'), march('EDU n/a reason')]).toEqual([85, 'amber', null]);
    expect([march('RTI'), march('RTI RAG'), march('RTI n/a reason')]).toEqual([
      null,
      'grey',
      'No missing episodes',
    ]);
    expect([march('KPIs met'), march('KPIs judged'), march('KPIs needed for bonus')]).toEqual([
      7, 9, 8,
    ]);
    for (const { code, unit } of CHILDRENS_HOMES_INDICATORS) {
      const value = march(code);
      if (unit !== 'yes-no')
        expect({ code, value: typeof value }).not.toEqual({ code, value: 'string' });
    }

    const notes: unknown[][] = [];
    workbook
      .getWorksheet('Notes')!
      .eachRow((row) => notes.push((row.values as unknown[]).slice(1)));
    expect(notes).toContainEqual([
      'childrens-homes',
      1,
      'EDU',
      'Children in full-time education (%)',
      '%',
      'higher is better',
    ]);
  });
});

describe('commentary beside the grid’s figures (decision 0038)', () => {
  it('is on the cell in JSON, a column of the CSV, a sheet of the workbook and a link on the page', async () => {
    const tenant = await tenantWithManagers();
    await created(admin(tenant), '/commentary', {
      serviceId: 'ty-gwyn',
      indicatorCode: 'EDU',
      period: '2026-03',
      whatHappened: 'One young person was excluded for a week',
      whatIsBeingDone: 'A tutor visits the home daily',
    });
    await projections.caughtUp();
    const get = (path: string) =>
      api
        .http()
        .get(path)
        .query({ from: '2026-03', to: '2026-04' })
        .set('Authorization', `Bearer ${reader(tenant)}`);

    const json = await get('/kpi-grid');
    const march = json.body.services[0].months[0];
    expect(march.cells.EDU.commentary).toMatchObject({
      whatHappened: 'One young person was excluded for a week',
      whatIsBeingDone: 'A tutor visits the home daily',
      version: 1,
    });
    expect(
      Object.entries(march.cells as Record<string, { commentary?: unknown }>)
        .filter(([, cell]) => cell.commentary)
        .map(([code]) => code),
    ).toEqual(['EDU']);

    const csv = await get('/kpi-grid.csv');
    const [header, ...lines] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header!.endsWith(',commentary')).toBe(true);
    const edu = lines.find((line) => line.startsWith('ty-gwyn,Tŷ Gwyn,north-wales,2026-03,EDU,'))!;
    expect(
      edu.endsWith(
        'What happened: One young person was excluded for a week — What is being done: A tutor visits the home daily',
      ),
    ).toBe(true);

    const excel = await get('/kpi-grid.xlsx').buffer(true).parse(binary);
    const workbook = new Workbook();
    await workbook.xlsx.load(excel.body);
    const sheet = workbook.getWorksheet('Commentary')!;
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      'ty-gwyn',
      'Tŷ Gwyn',
      '2026-03',
      'EDU',
      expect.stringContaining('One young person was excluded for a week'),
    ]);
    expect(sheet.rowCount).toBe(2);

    const page = await get('/app/kpi-grid');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-commentary-on="EDU"');
  });

  it('leaves the CSV and workbook as they were without commentary', async () => {
    const tenant = await tenantWithManagers();
    const csv = await api
      .http()
      .get('/kpi-grid.csv')
      .query({ from: '2026-03', to: '2026-04' })
      .set('Authorization', `Bearer ${reader(tenant)}`);
    expect(csv.text.split('\r\n')[0]).not.toContain('commentary');
  });
});
