import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The complaint KPI (the share answered within 15 working days) per service per month and
 * quarter, and the anonymised report for the commissioning council, over HTTP.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('complaints_report_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const as = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });
async function created(token: string, path: string, body: object) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

const SECRET_SUMMARY = 'Ann Jones from 12 Acacia Avenue was not called back';
const Q1 = '2026-27 Q1';
let tenant: string;

beforeAll(async () => {
  tenant = `care-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await created(admin, '/regions', {
    regionId: 'south',
    name: 'South',
    regionalManagerId: 'rm-ola',
  });
  await created(admin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2026-01' });
  for (const serviceId of ['home-01', 'home-02'])
    await created(admin, '/services', {
      serviceId,
      name: serviceId === 'home-01' ? 'Tŷ Gwyn' : 'Plas Newydd',
      regionId: 'south',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2026-01-01',
    });
  const manager = as(tenant, 'home-manager');
  const log = async (complaintId: string, serviceId: string, receivedOn: string) =>
    (
      await created(manager, '/complaints', {
        complaintId,
        serviceId,
        receivedOn,
        category: 'communication',
        summary: SECRET_SUMMARY,
        complainant: { relationship: 'parent' },
      })
    ).body as { responseDueOn: string };
  const respond = (complaintId: string, respondedOn: string) =>
    created(manager, `/complaints/${complaintId}/response`, {
      respondedOn,
      summary: 'We called Ann Jones back.',
      escalationRoute: 'The Local Government and Social Care Ombudsman',
      upheld: 'partly-upheld',
    });
  expect(await log('c-a', 'home-01', '2026-04-02')).toMatchObject({ responseDueOn: '2026-04-27' });
  await respond('c-a', '2026-04-24'); // in time
  // Early May bank holiday (4 May) skipped; answered a day late.
  expect(await log('c-b', 'home-01', '2026-04-20')).toMatchObject({ responseDueOn: '2026-05-12' });
  await respond('c-b', '2026-05-13');
  // The Early May (4 May) and Spring (25 May) bank holidays skipped; never answered.
  expect(await log('c-c', 'home-01', '2026-05-01')).toMatchObject({ responseDueOn: '2026-05-26' });
  // Received in June, due in July: in the report, not in the quarter's KPI.
  await log('c-d', 'home-02', '2026-06-29');
  await created(manager, '/compliments', {
    serviceId: 'home-01',
    receivedOn: '2026-06-10',
    summary: 'Thank you to the night staff',
  });
  await projections.caughtUp();
});

describe('the complaint KPI of a service', () => {
  it('counts each complaint in the month its response fell due; the quarter adds them up', async () => {
    const response = await get(as(tenant, 'regional-manager'), '/services/home-01/complaints/kpi', {
      quarter: Q1,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      serviceId: 'home-01',
      quarter: Q1,
      target: 100,
      months: [
        { period: '2026-04', due: 1, answeredInTime: 1, pending: 0, value: 100, met: true },
        { period: '2026-05', due: 2, answeredInTime: 0, pending: 0, value: 0, met: false },
        { period: '2026-06', due: 0, answeredInTime: 0, pending: 0, value: null, met: null },
      ],
      total: { due: 3, answeredInTime: 1, pending: 0, value: 33.3, met: false },
    });
  });

  it('is 404 for a service of another tenant, 400 naming a malformed quarter', async () => {
    const other = as(`other-${randomUUID().slice(0, 8)}`, 'provider-admin');
    expect((await get(other, '/services/home-01/complaints/kpi', { quarter: Q1 })).status).toBe(
      404,
    );
    const bad = await get(as(tenant, 'provider-admin'), '/services/home-01/complaints/kpi', {
      quarter: '2026 Q1',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'quarter' })]);
  });
});

describe("the council's anonymised report", () => {
  it('lists every complaint received in the quarter, with no summary, response or complainant', async () => {
    const response = await get(as(tenant, 'commissioner'), '/complaints/report', { quarter: Q1 });
    expect(response.status).toBe(200);
    expect(response.body.services).toEqual([
      {
        serviceId: 'home-01',
        name: 'Tŷ Gwyn',
        complaintsReceived: 3,
        compliments: 1,
        kpi: { due: 3, answeredInTime: 1, pending: 0, value: 33.3, met: false },
      },
      {
        serviceId: 'home-02',
        name: 'Plas Newydd',
        complaintsReceived: 1,
        compliments: 0,
        kpi: { due: 0, answeredInTime: 0, pending: 0, value: null, met: null },
      },
    ]);
    expect(response.body.complaints.map((c: { reference: string }) => c.reference)).toEqual([
      'c-a',
      'c-b',
      'c-c',
      'c-d',
    ]);
    expect(response.body.complaints[1]).toEqual({
      reference: 'c-b',
      serviceId: 'home-01',
      receivedOn: '2026-04-20',
      category: 'communication',
      acknowledgementDueOn: '2026-04-21',
      acknowledgedOn: null,
      responseDueOn: '2026-05-12',
      respondedOn: '2026-05-13',
      answeredInTime: false,
      finding: 'partly-upheld',
    });
    expect(JSON.stringify(response.body)).not.toMatch(/Ann|Acacia|Ombudsman|parent/);
  });

  it('comes as CSV for a spreadsheet', async () => {
    const response = await get(as(tenant, 'provider-admin'), '/complaints/report.csv', {
      quarter: Q1,
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="complaints-${tenant}-2026-27-Q1.csv"`,
    );
    const lines = response.text.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFreference,service_id,received_on,category,acknowledgement_due_on,acknowledged_on,response_due_on,responded_on,answered_in_time,finding',
    );
    expect(lines[1]).toBe(
      'c-a,home-01,2026-04-02,communication,2026-04-07,,2026-04-27,2026-04-24,true,partly-upheld',
    );
    expect(lines).toHaveLength(6); // header, four complaints, the final CRLF
    expect(response.text).not.toMatch(/Ann|Acacia/);
  });

  it('is for the provider, its commissioner and its regulator only; another tenant sees nothing', async () => {
    expect((await get(as(tenant, 'hr'), '/complaints/report', { quarter: Q1 })).status).toBe(403);
    expect((await get(as(tenant, 'regulator'), '/complaints/report', { quarter: Q1 })).status).toBe(
      200,
    );
    const other = await get(
      as(`other-${randomUUID().slice(0, 8)}`, 'commissioner'),
      '/complaints/report',
      {
        quarter: Q1,
      },
    );
    expect(other.body).toEqual({ quarter: Q1, services: [], complaints: [] });
  });
});
