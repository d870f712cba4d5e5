import { randomUUID } from 'node:crypto';
import {
  CHILDRENS_HOMES_BONUS_RULE,
  CHILDRENS_HOMES_INDICATORS,
  KPI_READERS,
  londonDateOf,
  ROLES,
  type Role,
} from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { Workbook, type Worksheet } from 'exceljs';
import type { Response } from 'supertest';
import { RAG_FILLS } from '../../apps/api/src/monthly-returns/kpi-grid.xlsx';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('kpi_queries_e2e');
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
const regionalManager = (tenantId: string, userId = 'user:rm-gwen') =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId });
const reader = (tenantId: string, role: Role = 'regulator') =>
  api.tokenFor({ tenantId, roles: [role] });

const post = async (token: string, path: string, body: object) => {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
};
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

/** A tenant with the region north-wales (rm-gwen), the children's-homes preset from 2025-01 and the home ty-gwyn. */
async function tenantWithHome(openedOn = '2024-04-01'): Promise<string> {
  const tenant = `acme-${randomUUID().slice(0, 8)}`;
  await post(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await post(admin(tenant), '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await addHome(tenant, 'ty-gwyn', 'Tŷ Gwyn', 'north-wales', openedOn);
  return tenant;
}

async function addHome(
  tenant: string,
  serviceId: string,
  name: string,
  regionId: string,
  openedOn: string,
) {
  await post(admin(tenant), '/services', {
    serviceId,
    name,
    regionId,
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn,
  });
}

const submit = (tenant: string, period: string, values: object, serviceId = 'ty-gwyn') =>
  post(regionalManager(tenant), `/services/${serviceId}/returns`, { period, values });

/** Version 2 of the preset from `effectiveFrom`: education judged more strictly (95 %, floor 90). */
const publishStricterEducation = (tenant: string, effectiveFrom: string) =>
  post(admin(tenant), '/frameworks/childrens-homes/versions', {
    name: "Children's homes — operational KPIs",
    effectiveFrom,
    indicators: CHILDRENS_HOMES_INDICATORS.map((indicator) =>
      indicator.code === 'EDU' ? { ...indicator, target: 95, floor: 90 } : indicator,
    ),
    bonusRule: CHILDRENS_HOMES_BONUS_RULE,
  });

async function eventCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]!.count);
}

/** Reads a response body as raw bytes (supertest buffers only text and JSON by itself). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

function fillOf(sheet: Worksheet, row: number, column: number): string | undefined {
  const fill = sheet.getRow(row).getCell(column).fill;
  return fill?.type === 'pattern' ? fill.fgColor?.argb : undefined;
}

describe('the KPI status grid', () => {
  it('shows a submitted return once the projections have caught up, and months without one as gaps', async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-03', {
      ...allMet,
      EDU: 85,
      RTI: { notApplicable: true, reason: 'No missing episodes' },
    });
    await projections.caughtUp();

    const response = await get(reader(tenant), '/kpi-grid', { from: '2026-02', to: '2026-04' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      from: '2026-02',
      to: '2026-04',
      services: [{ serviceId: 'ty-gwyn', name: 'Tŷ Gwyn', regionId: 'north-wales' }],
    });
    const [february, march, april] = response.body.services[0].months;
    expect(february).toMatchObject({ period: '2026-02', submitted: false, late: null, cells: {} });
    expect(april).toMatchObject({ period: '2026-04', submitted: false, bonus: null, cells: {} });
    expect(march).toMatchObject({
      period: '2026-03',
      dueDate: '2026-04-20',
      submitted: true,
      late: true, // submitted now, long after 20 April 2026
      amended: false,
      amendments: 0,
      frameworkId: 'childrens-homes',
      frameworkVersion: 1,
      bonus: { met: 7, required: 8, of: 9, compliant: false },
    });
    expect(Object.keys(march.cells).sort()).toEqual(
      CHILDRENS_HOMES_INDICATORS.map((i) => i.code).sort(),
    );
    expect(march.cells.EDU).toEqual({
      value: 85,
      judgedValue: 85,
      outcome: 'missed',
      rag: 'amber',
      target: 90,
      floor: 75,
      tolerance: null,
      expectedRange: null,
      frameworkId: 'childrens-homes',
      frameworkVersion: 1,
      lastChangedAt: expect.any(String),
    });
    expect(march.cells.RTI).toMatchObject({
      value: { notApplicable: true, reason: 'No missing episodes' },
      judgedValue: null,
      outcome: 'not-applicable',
      rag: 'grey',
    });
    expect(march.cells.RPI).toMatchObject({ value: 1, rag: 'green', target: 2, tolerance: 2 });
  });

  it('shows the new values of an amended return, marked amended', async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-05', allMet);
    await post(
      regionalManager(tenant, 'user:rm-dafydd'),
      '/services/ty-gwyn/returns/2026-05/amendments',
      { values: { EDU: 70 }, reason: 'Exclusions were counted as attendance' },
    );
    await projections.caughtUp();

    const response = await get(reader(tenant), '/kpi-grid', { from: '2026-05', to: '2026-05' });

    const [may] = response.body.services[0].months;
    expect(may).toMatchObject({
      submitted: true,
      amended: true,
      amendments: 1,
      bonus: { met: 8, compliant: true },
    });
    expect(may.cells.EDU).toMatchObject({ value: 70, outcome: 'missed', rag: 'red' });
    expect(may.cells.SUP).toMatchObject({ value: 100, rag: 'green' });
  });

  it('keeps the colours of months judged by an earlier framework version when a stricter one is published', async () => {
    const tenant = await tenantWithHome();
    // In mid-July: July's return is judged by version 1 once July ends; version 2 is published
    // to take effect from August (a new version cannot reach back into ended months).
    api.setNow(new Date('2026-07-15T12:00:00Z'));
    try {
      expect((await publishStricterEducation(tenant, '2026-08')).status).toBe(201);
    } finally {
      api.setNow(null);
    }
    await submit(tenant, '2026-07', { ...allMet, EDU: 92 });
    await submit(tenant, '2026-08', { ...allMet, EDU: 92 });
    await projections.caughtUp();

    const response = await get(reader(tenant), '/kpi-grid', { from: '2026-07', to: '2026-08' });

    const [july, august] = response.body.services[0].months;
    expect(july.frameworkVersion).toBe(1);
    expect(july.cells.EDU).toMatchObject({
      value: 92,
      rag: 'green',
      target: 90,
      floor: 75,
      frameworkVersion: 1,
    });
    expect(august.frameworkVersion).toBe(2);
    expect(august.cells.EDU).toMatchObject({
      value: 92,
      outcome: 'missed',
      rag: 'amber',
      target: 95,
      floor: 90,
      frameworkVersion: 2,
    });
  });

  it('lists only the services asked for, and months from the one a service opened in', async () => {
    const tenant = await tenantWithHome();
    await post(admin(tenant), '/regions', {
      regionId: 'south-wales',
      name: 'South Wales',
      regionalManagerId: 'rm-dafydd',
    });
    await addHome(tenant, 'plas-newydd', 'Plas Newydd', 'south-wales', '2026-05-15');
    await projections.caughtUp();

    const all = await get(reader(tenant), '/kpi-grid', { from: '2026-04', to: '2026-06' });
    const south = await get(reader(tenant), '/kpi-grid', {
      from: '2026-04',
      to: '2026-06',
      regionId: 'south-wales',
    });
    const one = await get(reader(tenant), '/kpi-grid', {
      from: '2026-04',
      to: '2026-06',
      serviceId: 'ty-gwyn',
    });

    expect(all.body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual([
      'plas-newydd',
      'ty-gwyn',
    ]);
    expect(all.body.services[0].months.map((m: { period: string }) => m.period)).toEqual([
      '2026-05',
      '2026-06',
    ]);
    expect(south.body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual([
      'plas-newydd',
    ]);
    expect(one.body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual(['ty-gwyn']);
  });

  it('downloads as CSV: the expected header, a row per indicator, n/a with its reason, a row for a gap', async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-03', {
      ...allMet,
      EDU: 85,
      RTI: { notApplicable: true, reason: 'No missing episodes, none' },
    });
    await projections.caughtUp();

    const response = await get(reader(tenant), '/kpi-grid.csv', {
      from: '2026-03',
      to: '2026-04',
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="kpi-grid-${tenant}-2026-03-to-2026-04.csv"`,
    );
    expect(response.text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = response.text.slice(1).trimEnd().split('\r\n');
    expect(header).toBe(
      'service_id,service_name,region_id,period,indicator,value,outcome,rag,target,floor,tolerance,expected_lower,expected_upper,framework_version,late,amended',
    );
    const march = rows.filter((row) => row.includes(',2026-03,'));
    expect(march).toHaveLength(CHILDRENS_HOMES_INDICATORS.length);
    expect(march).toContain(
      'ty-gwyn,Tŷ Gwyn,north-wales,2026-03,EDU,85,missed,amber,90,75,,,,1,true,false',
    );
    expect(march).toContain(
      'ty-gwyn,Tŷ Gwyn,north-wales,2026-03,RTI,"n/a (No missing episodes, none)",not-applicable,grey,100,90,,,,1,true,false',
    );
    expect(march).toContain(
      'ty-gwyn,Tŷ Gwyn,north-wales,2026-03,R44,yes,met,green,1,,,,,1,true,false',
    );
    expect(rows.filter((row) => row.includes(',2026-04,'))).toEqual([
      'ty-gwyn,Tŷ Gwyn,north-wales,2026-04,,,not-submitted,grey,,,,,,,,',
    ]);
  });

  it('downloads as an Excel workbook coloured by RAG, with notes on the framework versions used', async () => {
    const tenant = await tenantWithHome();
    api.setNow(new Date('2026-07-15T12:00:00Z')); // version 2 is published in July, for August on
    try {
      await publishStricterEducation(tenant, '2026-08');
    } finally {
      api.setNow(null);
    }
    await submit(tenant, '2026-07', { ...allMet, EDU: 85 });
    await submit(tenant, '2026-08', { ...allMet, EDU: 92, TRN: 50 });
    await projections.caughtUp();

    const response = await get(reader(tenant), '/kpi-grid.xlsx', {
      from: '2026-07',
      to: '2026-09',
    })
      .buffer(true)
      .parse(binary);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="kpi-grid-${tenant}-2026-07-to-2026-09.xlsx"`,
    );
    const workbook = new Workbook();
    await workbook.xlsx.load(response.body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['KPI grid', 'Notes']);

    const grid = workbook.getWorksheet('KPI grid')!;
    expect(grid.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (grid.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 4)).toEqual(['Service id', 'Service', 'Region', 'Month']);
    const column = (header: string) => headers.indexOf(header) + 1;
    for (const { code } of CHILDRENS_HOMES_INDICATORS) expect(column(code)).toBeGreaterThan(0);
    const rowOf = (period: string) => {
      const row = [2, 3, 4].find((n) => grid.getRow(n).getCell(column('Month')).value === period);
      if (row === undefined) throw new Error(`no row for ${period}`);
      return row;
    };
    const [july, august, september] = ['2026-07', '2026-08', '2026-09'].map(rowOf) as [
      number,
      number,
      number,
    ];

    expect(grid.getRow(july).getCell(column('EDU')).value).toBe(85);
    expect(fillOf(grid, july, column('EDU'))).toBe(RAG_FILLS.amber);
    expect(fillOf(grid, july, column('SUP'))).toBe(RAG_FILLS.green);
    expect(grid.getRow(july).getCell(column('Framework')).value).toBe('childrens-homes v1');
    expect(fillOf(grid, august, column('EDU'))).toBe(RAG_FILLS.amber); // 92 < 95 under v2
    expect(fillOf(grid, august, column('TRN'))).toBe(RAG_FILLS.red);
    expect(grid.getRow(august).getCell(column('Framework')).value).toBe('childrens-homes v2');
    expect(grid.getRow(september).getCell(column('Submitted')).value).toBe('no');
    expect(fillOf(grid, september, column('EDU'))).toBe(RAG_FILLS.grey);

    const notes = workbook.getWorksheet('Notes')!;
    const noteRows: unknown[][] = [];
    notes.eachRow((row) => noteRows.push((row.values as unknown[]).slice(1)));
    expect(noteRows).toContainEqual(['childrens-homes', 1, '2026-07']);
    expect(noteRows).toContainEqual(['childrens-homes', 2, '2026-08']);
    expect(noteRows).toContainEqual(['childrens-homes', 1, 'EDU', 90, 75]);
    expect(noteRows).toContainEqual(['childrens-homes', 2, 'EDU', 95, 90]);
    expect(noteRows).toContainEqual(['childrens-homes', 1, 'RPI', 2, undefined, 2]);
    expect(noteRows.map((row) => row[0])).toEqual(
      expect.arrayContaining(['green', 'amber', 'red', 'grey']),
    );
  });
});

describe('bonus compliance', () => {
  it('lists each service-month with a return: met, required, of and whether compliant', async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-03', allMet);
    await submit(tenant, '2026-04', { ...allMet, EDU: 70, SUP: 80 });
    await projections.caughtUp();

    const response = await get(reader(tenant, 'hr'), '/bonus-compliance', {
      from: '2026-03',
      to: '2026-05',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2026-03',
      to: '2026-05',
      services: [
        {
          serviceId: 'ty-gwyn',
          name: 'Tŷ Gwyn',
          regionId: 'north-wales',
          compliantMonths: 1,
          reportedMonths: 2,
          months: [
            {
              period: '2026-03',
              frameworkId: 'childrens-homes',
              frameworkVersion: 1,
              met: 9,
              required: 8,
              of: 9,
              compliant: true,
              amendments: 0,
            },
            {
              period: '2026-04',
              frameworkId: 'childrens-homes',
              frameworkVersion: 1,
              met: 7,
              required: 8,
              of: 9,
              compliant: false,
              amendments: 0,
            },
          ],
        },
      ],
    });
  });
});

describe('returns due', () => {
  it('lists each ended month without a return per regional manager, overdue after the 20th of the next month', async () => {
    const tenant = await tenantWithHome('2026-01-15');
    await post(admin(tenant), '/regions', {
      regionId: 'south-wales',
      name: 'South Wales',
      regionalManagerId: 'rm-dafydd',
    });
    await addHome(tenant, 'plas-newydd', 'Plas Newydd', 'south-wales', '2026-03-01');
    await submit(tenant, '2026-02', allMet); // late (after 20 March), but submitted
    await projections.caughtUp();

    const response = await get(reader(tenant, 'regional-manager'), '/returns-due', {
      asOf: '2026-04-10',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      asOf: '2026-04-10',
      lastEndedMonth: '2026-03',
      regionalManagers: [
        {
          regionalManagerId: 'rm-dafydd',
          outstanding: 1,
          overdue: 0,
          services: [
            {
              serviceId: 'plas-newydd',
              name: 'Plas Newydd',
              regionId: 'south-wales',
              regionName: 'South Wales',
              openedOn: '2026-03-01',
              returns: [{ period: '2026-03', dueDate: '2026-04-20', overdue: false }],
            },
          ],
        },
        {
          regionalManagerId: 'rm-gwen',
          outstanding: 2,
          overdue: 1,
          services: [
            {
              serviceId: 'ty-gwyn',
              name: 'Tŷ Gwyn',
              regionId: 'north-wales',
              regionName: 'North Wales',
              openedOn: '2026-01-15',
              returns: [
                { period: '2026-01', dueDate: '2026-02-20', overdue: true },
                { period: '2026-03', dueDate: '2026-04-20', overdue: false },
              ],
            },
          ],
        },
      ],
    });

    const mine = await get(reader(tenant, 'regional-manager'), '/returns-due', {
      asOf: '2026-04-21',
      regionalManagerId: 'rm-gwen',
    });
    expect(mine.body.regionalManagers).toEqual([
      expect.objectContaining({ regionalManagerId: 'rm-gwen', outstanding: 2, overdue: 2 }),
    ]);
  });

  it('judges by today in Europe/London when asOf is not given', async () => {
    const tenant = await tenantWithHome('2026-01-01');
    await projections.caughtUp();
    const before = londonDateOf(new Date());

    const response = await get(reader(tenant), '/returns-due');

    expect(response.status).toBe(200);
    expect([before, londonDateOf(new Date())]).toContain(response.body.asOf);
    const months = response.body.regionalManagers[0].services[0].returns;
    expect(months[0]).toEqual({ period: '2026-01', dueDate: '2026-02-20', overdue: true });
    expect(months[months.length - 1].period).toBe(response.body.lastEndedMonth);
  });
});

describe('a return with its history', () => {
  it('shows the current values and every event: the submission and each amendment, with who and why', async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-06', allMet);
    await post(
      regionalManager(tenant, 'user:rm-dafydd'),
      '/services/ty-gwyn/returns/2026-06/amendments',
      { values: { EDU: 70 }, reason: 'Exclusions were counted as attendance' },
    );

    const response = await get(reader(tenant), '/services/ty-gwyn/returns/2026-06');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      streamId: `${tenant}:monthly-return:ty-gwyn:2026-06`,
      serviceId: 'ty-gwyn',
      period: '2026-06',
      frameworkId: 'childrens-homes',
      frameworkVersion: 1,
      dueDate: '2026-07-20',
      submittedBy: 'user:rm-gwen',
      late: true,
      amendments: 1,
      values: { ...allMet, EDU: 70 },
      results: { EDU: { outcome: 'missed', rag: 'red' } },
      bonus: { met: 8, compliant: true },
    });
    const [submission, amendment] = response.body.history;
    expect(response.body.history).toHaveLength(2);
    expect(submission).toMatchObject({
      kind: 'submission',
      type: 'MonthlyReturnSubmitted',
      streamVersion: 1,
      by: 'user:rm-gwen',
      amendmentNumber: 0,
      reason: null,
      changes: allMet,
      results: { EDU: { rag: 'green' } },
    });
    expect(amendment).toMatchObject({
      kind: 'amendment',
      type: 'MonthlyReturnAmended',
      streamVersion: 2,
      by: 'user:rm-dafydd',
      amendmentNumber: 1,
      reason: 'Exclusions were counted as attendance',
      changes: { EDU: 70 },
      results: { EDU: { rag: 'red' } },
    });
    const { rows } = await api.pool.query<{ event_id: string; global_position: string }>(
      'SELECT event_id, global_position FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [response.body.streamId],
    );
    expect(
      response.body.history.map((e: { eventId: string; globalPosition: number }) => [
        e.eventId,
        e.globalPosition,
      ]),
    ).toEqual(rows.map((r) => [r.event_id, Number(r.global_position)]));
    for (const event of response.body.history) {
      expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
    }
  });

  it('answers 404 (problem+json) for a month without a return', async () => {
    const tenant = await tenantWithHome();
    const response = await get(reader(tenant), '/services/ty-gwyn/returns/2026-01');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.detail).toBe('ty-gwyn has no return for 2026-01');
  });
});

describe('tenants', () => {
  it("shows another tenant nothing of a tenant's returns, even with the same ids", async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-03', allMet);
    const other = await tenantWithHome(); // its own ty-gwyn, no returns
    const empty = `empty-${randomUUID().slice(0, 8)}`;
    await projections.caughtUp();
    const span = { from: '2026-03', to: '2026-03' };

    const grid = await get(reader(other), '/kpi-grid', span);
    expect(grid.body.services).toHaveLength(1);
    expect(grid.body.services[0].months).toEqual([
      expect.objectContaining({ period: '2026-03', submitted: false, cells: {} }),
    ]);
    const csv = await get(reader(other), '/kpi-grid.csv', span);
    expect(csv.text).not.toContain(',met,');
    const bonus = await get(reader(other), '/bonus-compliance', span);
    expect(bonus.body.services[0].months).toEqual([]);
    const due = await get(reader(other), '/returns-due', { asOf: '2026-04-25' });
    expect(
      due.body.regionalManagers[0].services[0].returns.map((r: { period: string }) => r.period),
    ).toContain('2026-03');
    const history = await get(reader(other), '/services/ty-gwyn/returns/2026-03');
    expect(history.status).toBe(404);

    expect((await get(reader(empty), '/kpi-grid', span)).body.services).toEqual([]);
    expect((await get(reader(empty), '/bonus-compliance', span)).body.services).toEqual([]);
    expect((await get(reader(empty), '/returns-due')).body.regionalManagers).toEqual([]);
  });
});

describe('access and bad parameters', () => {
  const paths = [
    '/kpi-grid?from=2026-01&to=2026-02',
    '/kpi-grid.csv?from=2026-01&to=2026-02',
    '/kpi-grid.xlsx?from=2026-01&to=2026-02',
    '/bonus-compliance?from=2026-01&to=2026-02',
    '/returns-due',
    '/services/ty-gwyn/returns/2026-01',
  ];

  it.each(paths)('%s needs a token (401)', async (path) => {
    const response = await api.http().get(path);
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('lets every role of the tenant read but the account admin and the data-protection officer, who manage people and personal data only', async () => {
    expect(ROLES.filter((role) => !KPI_READERS.includes(role))).toEqual([
      'admin',
      'data-protection',
    ]);
    const tenant = `acme-${randomUUID().slice(0, 8)}`;
    for (const role of ROLES) {
      const response = await get(reader(tenant, role), '/kpi-grid', {
        from: '2026-01',
        to: '2026-02',
      });
      const status = KPI_READERS.includes(role) ? 200 : 403;
      expect({ role, status: response.status }).toEqual({ role, status });
    }
  });

  const invalid: [string, string, Record<string, string>, string][] = [
    ['a malformed from', '/kpi-grid', { from: '2026-1', to: '2026-02' }, 'from'],
    ['month 13', '/kpi-grid.csv', { from: '2026-13', to: '2027-02' }, 'from'],
    ['no from', '/bonus-compliance', { to: '2026-02' }, 'from'],
    ['to before from', '/kpi-grid', { from: '2026-05', to: '2026-04' }, 'to'],
    ['37 months', '/kpi-grid.xlsx', { from: '2024-01', to: '2027-01' }, 'to'],
    [
      'an unknown parameter',
      '/kpi-grid',
      { from: '2026-01', to: '2026-02', tenantId: 'x' },
      'tenantId',
    ],
    [
      'a malformed serviceId',
      '/kpi-grid',
      { from: '2026-01', to: '2026-02', serviceId: 'Ty Gwyn' },
      'serviceId',
    ],
    ['30 February', '/returns-due', { asOf: '2026-02-30' }, 'asOf'],
    ['a date more than a year ahead', '/returns-due', { asOf: '9999-12-31' }, 'asOf'],
    [
      'a malformed regional manager id',
      '/returns-due',
      { regionalManagerId: 'RM!' },
      'regionalManagerId',
    ],
    ['a malformed period', '/services/ty-gwyn/returns/2026-6', {}, 'period'],
  ];

  it.each(invalid)('refuses %s with 400 naming the field', async (_label, path, query, field) => {
    const response: Response = await get(reader('acme'), path, query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it('accepts a span of exactly 36 months', async () => {
    const response = await get(reader('acme'), '/kpi-grid', { from: '2024-01', to: '2026-12' });
    expect(response.status).toBe(200);
  });

  it('writes nothing: the queries only read', async () => {
    const tenant = await tenantWithHome();
    await submit(tenant, '2026-03', allMet);
    const before = await eventCount();
    for (const path of paths) await get(reader(tenant), path);
    expect(await eventCount()).toBe(before);
  });
});

describe('the OpenAPI document', () => {
  it('documents the queries behind the bearer scheme, with the CSV and workbook media types', async () => {
    const { body: document } = await api.http().get('/api/docs-json');
    for (const path of [
      '/kpi-grid',
      '/kpi-grid.csv',
      '/kpi-grid.xlsx',
      '/bonus-compliance',
      '/returns-due',
      '/services/{serviceId}/returns/{period}',
    ]) {
      const operation = document.paths[path].get;
      expect({ path, security: operation.security }).toEqual({ path, security: [{ bearer: [] }] });
      expect(operation.responses['400'].content['application/problem+json'].example).toBeDefined();
    }
    expect(
      document.paths['/kpi-grid.csv'].get.responses['200'].content['text/csv'].example,
    ).toMatch(/^service_id,service_name,/);
    expect(
      document.paths['/kpi-grid'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['from', 'regionId', 'serviceId', 'to']);
  });
});
