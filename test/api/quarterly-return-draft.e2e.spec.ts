import { QUARTERLY_RETURN_KPI_CODES, type Role } from '@kpi/domain';
import { PROBLEM_JSON } from './support/api-under-test';
import {
  CARE_FRAMEWORK as FRAMEWORK,
  frameworkPath,
  startCareFrameworkApi,
  uniqueId as id,
  type CareFrameworkApi,
} from './support/care-framework-fixtures';

/**
 * The draft of a provider's quarterly return (docs/provider-returns.md), over HTTP: a
 * care-at-home provider keeps its complaints and staff register in kpi-ledger at two services,
 * and the draft counts each KPI of the return from them — the diplomas, which the register does
 * not hold, left for the provider to type in. Only the provider itself may draw it up.
 */
let env: CareFrameworkApi;
beforeAll(async () => {
  env = await startCareFrameworkApi('quarterly_return_draft_e2e', NOW);
});
afterAll(() => env?.stop());

/** 10 July 2026: 2026-27 Q1 (April–June) is over, Q2 is in progress. */
const NOW = new Date('2026-07-10T09:00:00Z');
const Q1 = '2026-27 Q1';
const council = id('southwark');
const otherCouncil = id('lambeth');
const [bryn, oak, outsider] = [id('bryn'), id('oak'), id('elm')];

const as = (tenantId: string, role?: Role) => env.as(tenantId, role);
async function created(token: string, path: string, body: object) {
  const response = await env.api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  env.get(token, path, query);

const base = (councilId = council, frameworkId = FRAMEWORK) =>
  frameworkPath(councilId, frameworkId);
const DRAFT = `${base()}/quarterly-returns/draft`;
const draft = (token: string, quarter = Q1) => get(token, DRAFT, { quarter });
const eventCount = async () =>
  Number((await env.api.pool.query('SELECT count(*) FROM events')).rows[0].count);

/**
 * Bryn Care's records, at its two care-at-home services (2026-27 Q1 is 1 April – 30 June):
 *
 * | staff  | service | started    | left       | one-to-ones | appraisals             | Care Certificate     |
 * | ------ | ------- | ---------- | ---------- | ----------- | ---------------------- | -------------------- |
 * | alys   | north   | 2024-03-04 |            | 2026-05-20  | 2025-11-10, 2026-07-06 |                      |
 * | bedwyr | north   | 2024-09-02 |            | 2026-02-10  | 2025-06-30             |                      |
 * | ceri   | north   | 2026-02-02 |            | 2026-06-01  |                        | 2026-04-20, 07-01    |
 * | dai    | south   | 2025-01-06 | 2026-05-15 | 2026-05-01  |                        |                      |
 * | efa    | south   | 2026-03-09 |            |             |                        |                      |
 * | gwen   | south   | 2026-03-02 | 2026-04-30 |             |                        |                      |
 * | hywel  | south   | 2026-05-11 |            |             |                        |                      |
 *
 * Complaints: c-e (received 20 March, due 14 April after Easter) answered 10 April; c-a (due
 * 27 April) answered in time; c-b (due 12 May) a day late; c-c (due 26 May) never; c-d received
 * 29 June, due 20 July.
 */
async function seedBrynCare(): Promise<void> {
  const admin = as(bryn);
  const hr = as(bryn, 'hr');
  const manager = as(bryn, 'home-manager');
  await created(admin, '/regions', { regionId: 'london', name: 'London', regionalManagerId: 'rm' });
  await created(admin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2024-01' });
  for (const serviceId of ['north', 'south'])
    await created(admin, '/services', {
      serviceId,
      name: `Bryn Care ${serviceId}`,
      regionId: 'london',
      serviceType: 'care-at-home',
      frameworkId: 'childrens-homes',
      openedOn: '2024-01-01',
    });

  const register = (staffId: string, serviceId: string, startedOn: string, role = 'care-worker') =>
    created(hr, '/staff', { staffId, serviceId, role, startedOn });
  await register('alys', 'north', '2024-03-04');
  await register('bedwyr', 'north', '2024-09-02', 'senior-care-worker');
  await register('ceri', 'north', '2026-02-02');
  await register('dai', 'south', '2025-01-06');
  await register('efa', 'south', '2026-03-09');
  await register('gwen', 'south', '2026-03-02', 'other');
  await register('hywel', 'south', '2026-05-11');

  const oneToOne = (superviseeId: string, date: string) =>
    created(manager, '/supervisions', {
      superviseeId,
      supervisorId: 'mgr-siwan',
      date,
      kind: 'one-to-one',
    });
  await oneToOne('alys', '2026-05-20');
  await oneToOne('bedwyr', '2026-02-10');
  await oneToOne('ceri', '2026-06-01');
  await oneToOne('dai', '2026-05-01');

  const appraisal = (staffId: string, heldOn: string) =>
    created(hr, `/staff/${staffId}/appraisals`, { heldOn, appraiserId: 'mgr-siwan' });
  await appraisal('alys', '2025-11-10');
  await appraisal('alys', '2026-07-06'); // after the quarter: the earlier one still counts in it
  await appraisal('bedwyr', '2025-06-30'); // twelve months to the day before 30 June: too old
  const careCertificate = (staffId: string, completedOn: string) =>
    created(hr, `/staff/${staffId}/training`, { course: 'care-certificate', completedOn });
  await careCertificate('ceri', '2026-04-20');
  await careCertificate('ceri', '2026-07-01'); // recorded again later: the first is in time
  const leaving = (staffId: string, leftOn: string) =>
    created(hr, `/staff/${staffId}/leaving`, { leftOn, reason: 'Moved away' });
  await leaving('dai', '2026-05-15');
  await leaving('gwen', '2026-04-30');

  const log = async (complaintId: string, serviceId: string, receivedOn: string) =>
    (
      await created(manager, '/complaints', {
        complaintId,
        serviceId,
        receivedOn,
        category: 'communication',
        summary: 'A carer arrived late',
        complainant: { relationship: 'parent' },
      })
    ).body as { responseDueOn: string };
  const respond = (complaintId: string, respondedOn: string) =>
    created(manager, `/complaints/${complaintId}/response`, {
      respondedOn,
      summary: 'We apologised and changed the rota.',
      escalationRoute: 'The Local Government and Social Care Ombudsman',
      upheld: 'upheld',
    });
  expect(await log('c-e', 'south', '2026-03-20')).toMatchObject({ responseDueOn: '2026-04-14' });
  await respond('c-e', '2026-04-10');
  expect(await log('c-a', 'north', '2026-04-02')).toMatchObject({ responseDueOn: '2026-04-27' });
  await respond('c-a', '2026-04-24');
  expect(await log('c-b', 'north', '2026-04-20')).toMatchObject({ responseDueOn: '2026-05-12' });
  await respond('c-b', '2026-05-13');
  expect(await log('c-c', 'south', '2026-05-01')).toMatchObject({ responseDueOn: '2026-05-26' });
  expect(await log('c-d', 'south', '2026-06-29')).toMatchObject({ responseDueOn: '2026-07-20' });
}

beforeAll(async () => {
  await env.registerOrganisations([
    [council, 'council'],
    [bryn, 'provider'],
    [oak, 'provider'],
    [outsider, 'provider'],
  ]);
  await env.establishFramework(council, [bryn, oak]);
  await seedBrynCare();
  await env.projections.caughtUp();
});

describe("the draft of a provider's quarterly return", () => {
  it('counts every KPI it can from the provider’s own records, across its services', async () => {
    const before = await eventCount();
    const response = await draft(as(bryn, 'regional-manager'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      councilId: council,
      frameworkId: FRAMEWORK,
      providerId: bryn,
      quarter: Q1,
      firstDay: '2026-04-01',
      lastDay: '2026-06-30',
      provisional: false,
      notRecorded: ['diploma-level-1', 'diploma-level-2'],
    });
    expect(response.body.figures).toEqual({
      // c-e and c-a in time, c-b late, c-c never answered; c-d falls due in July.
      'complaints-answered-in-time': { numerator: 2, denominator: 4 },
      // dai and gwen left; 6 in post on 1 April, 5 at the close of 30 June (hywel joined).
      'staff-turnover': { numerator: 2, denominator: 5.5 },
      // alys and ceri of alys, bedwyr, ceri, efa (hywel not yet three months in post).
      'quarterly-supervision': { numerator: 2, denominator: 4 },
      // alys (in November) of alys and bedwyr; ceri, efa and hywel under a year in post.
      'annual-appraisal': { numerator: 1, denominator: 2 },
      // ceri by 27 April, efa not by 1 June; gwen left before her 12 weeks were up.
      'care-certificate-in-12-weeks': { numerator: 1, denominator: 2 },
      'diploma-level-1': { numerator: null, denominator: null },
      'diploma-level-2': { numerator: null, denominator: null },
    });
    expect(Object.keys(response.body.workings)).toEqual([...QUARTERLY_RETURN_KPI_CODES]);
    expect(response.body.workings).toEqual({
      'complaints-answered-in-time': {
        source: 'records',
        basis:
          '2 of 4 complaints whose response (15 working days from receipt) fell due in 2026-27 Q1 were answered by the due date, across all services.',
      },
      'staff-turnover': {
        source: 'records',
        basis:
          '2 staff left in 2026-27 Q1; average headcount (6 in post on 2026-04-01 + 5 at the close of 2026-06-30) ÷ 2 = 5.5. Every role on the staff register, all services.',
      },
      'quarterly-supervision': {
        source: 'records',
        basis:
          '2 of 4 staff in post on 2026-06-30 for at least three months had a one-to-one supervision after 2026-03-30; 1 newer starter is not yet due one.',
      },
      'annual-appraisal': {
        source: 'records',
        basis:
          '1 of 2 staff in post on 2026-06-30 for at least a year were appraised after 2025-06-30; 3 in post under a year are not yet due one.',
      },
      'care-certificate-in-12-weeks': {
        source: 'records',
        basis:
          '1 of 2 staff whose 12 weeks from starting ended in 2026-27 Q1 had completed the Care Certificate by then. Left out: 1 who left before their 12 weeks were up.',
      },
      'diploma-level-1': {
        source: 'not-recorded',
        basis:
          'The staff register does not record NVQ / Diploma levels: type in care staff holding level 1 (or higher) over care staff in post at the quarter end.',
      },
      'diploma-level-2': {
        source: 'not-recorded',
        basis:
          'The staff register does not record NVQ / Diploma levels: type in care staff holding level 2 (or higher) over care staff in post at the quarter end.',
      },
    });
    expect(await eventCount()).toBe(before); // a draft stores nothing
  });

  it('gives figures that, with the nulls typed in, are the figures of the return itself', async () => {
    const { body } = await draft(as(bryn));
    const figures = {
      ...body.figures,
      'diploma-level-1': { numerator: 3, denominator: 5 },
      'diploma-level-2': { numerator: 2, denominator: 5 },
    };
    const sent = await created(as(bryn), `${base()}/quarterly-returns`, { quarter: Q1, figures });
    expect(sent.body.figures).toEqual(figures);
    await env.projections.caughtUp();
    const read = await get(as(council, 'commissioner'), `${base()}/quarterly-returns`, {
      quarter: Q1,
    });
    expect(read.status).toBe(200);
    expect(read.body.providers).toEqual([
      expect.objectContaining({ providerId: bryn, status: 'returned', figures }),
      expect.objectContaining({ providerId: oak, status: 'missing' }),
    ]);
  });

  it('is provisional while the quarter runs, holding back what is not yet due', async () => {
    const response = await draft(as(bryn, 'hr'), '2026-27 Q2');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ lastDay: '2026-09-30', provisional: true });
    expect(response.body.figures).toMatchObject({
      // c-d is due on 20 July and not yet answered.
      'complaints-answered-in-time': { numerator: 0, denominator: 0 },
      'staff-turnover': { numerator: 0, denominator: 5 },
      // hywel's 12 weeks end on 3 August.
      'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
    });
    expect(response.body.workings['complaints-answered-in-time'].basis).toBe(
      '0 of 0 complaints whose response (15 working days from receipt) fell due in 2026-27 Q2 were answered by the due date, across all services. 1 due later in the quarter and not yet answered is left out until answered or overdue. Nothing to count: 0 / 0 (the KPI is grey).',
    );
    expect(response.body.workings['care-certificate-in-12-weeks'].basis).toMatch(
      /Left out: 1 whose 12 weeks are still running\./,
    );
  });

  it('counts only the caller’s own records: a provider with none gets 0 / 0', async () => {
    const response = await draft(as(oak, 'home-manager'));
    expect(response.status).toBe(200);
    expect(response.body.providerId).toBe(oak);
    for (const code of QUARTERLY_RETURN_KPI_CODES.filter((c) => !c.startsWith('diploma')))
      expect({ code, figure: response.body.figures[code] }).toEqual({
        code,
        figure: { numerator: 0, denominator: 0 },
      });
  });

  it('refuses a quarter not yet started, or not written 2026-27 Q1 (400 naming quarter)', async () => {
    for (const quarter of ['2026-27 Q3', '2026-27-q1']) {
      const response = await draft(as(bryn), quarter);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'quarter' })]);
    }
    expect((await get(as(bryn), DRAFT)).status).toBe(400);
  });

  it('is the provider’s own: the council is refused (403), anyone not on the framework finds none (404)', async () => {
    for (const role of ['commissioner', 'provider-admin', 'regulator'] as const) {
      const byCouncil = await draft(as(council, role));
      expect({ role, status: byCouncil.status }).toEqual({ role, status: 403 });
      expect(byCouncil.headers['content-type']).toMatch(PROBLEM_JSON);
    }
    for (const token of [as(outsider), as(otherCouncil, 'commissioner')])
      expect((await draft(token)).status).toBe(404);
    const noSuchFramework = await get(
      as(bryn),
      `${base(council, 'no-such-framework')}/quarterly-returns/draft`,
      { quarter: Q1 },
    );
    expect(noSuchFramework.status).toBe(404);
    // Bryn Care is not on another council's framework of the same name (there is none).
    expect(
      (await get(as(bryn), `${base(otherCouncil)}/quarterly-returns/draft`, { quarter: Q1 }))
        .status,
    ).toBe(404);
    expect((await env.api.http().get(DRAFT).query({ quarter: Q1 })).status).toBe(401);
  });

  it('leaves the quarterly-returns table where it was', async () => {
    const response = await get(as(bryn, 'regulator'), `${base()}/quarterly-returns`, {
      quarter: Q1,
    });
    expect(response.status).toBe(200);
    expect(response.body.providers).toEqual([expect.objectContaining({ providerId: bryn })]);
  });
});
