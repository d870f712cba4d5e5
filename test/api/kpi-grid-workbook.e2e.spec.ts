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
