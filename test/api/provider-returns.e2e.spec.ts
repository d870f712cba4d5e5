import { randomUUID } from 'node:crypto';
import type { QuarterlyReturnFigures, Role } from '@kpi/domain';
import { PROBLEM_JSON } from './support/api-under-test';
import {
  CARE_FRAMEWORK as FRAMEWORK,
  frameworkPath,
  startCareFrameworkApi,
  uniqueId as id,
  type CareFrameworkApi,
} from './support/care-framework-fixtures';

/**
 * A provider's monthly capacity return and quarterly return to the council that commissions
 * it (docs/rules/provider-returns.md), over HTTP: the provider sends them with its own token,
 * they are stored with the council, the council reads every provider's (a missing one listed),
 * a provider only its own, anyone else nothing (404).
 */
let env: CareFrameworkApi;
beforeAll(async () => {
  env = await startCareFrameworkApi('provider_returns_e2e', NOW);
});
afterAll(() => env?.stop());

/** June 2026: May's capacity can be returned, and 2026-27 Q1 (its last month). */
const NOW = new Date('2026-06-15T10:00:00Z');
const council = id('southwark');
const otherCouncil = id('lambeth');
const [bryn, oak, ash, outsider, lambethProvider] = [
  id('bryn'),
  id('oak'),
  id('ash'),
  id('elm'),
  id('yew'),
];

const as = (tenantId: string, role?: Role) => env.as(tenantId, role);
const post = (token: string, path: string, body: object, idempotencyKey?: string) => {
  const request = env.api.http().post(path).set('Authorization', `Bearer ${token}`);
  if (idempotencyKey) request.set('Idempotency-Key', idempotencyKey);
  return request.send(body);
};
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  env.get(token, path, query);

const base = (councilId = council, frameworkId = FRAMEWORK) =>
  frameworkPath(councilId, frameworkId);
const CAPACITY = `${base()}/capacity-returns`;
const QUARTERLY = `${base()}/quarterly-returns`;

const MAY = {
  period: '2026-05',
  careWorkers: 40,
  packages: 55,
  totalHours: 812.5,
  estimatedHoursAvailableNextMonth: 120,
};
const FIGURES: QuarterlyReturnFigures = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
  'diploma-level-1': { numerator: 12, denominator: 40 },
  'diploma-level-2': { numerator: 9, denominator: 40 },
};
const CORRECTED: QuarterlyReturnFigures = {
  ...FIGURES,
  'staff-turnover': { numerator: 3, denominator: 39.5 },
};

const capacityStream = (providerId: string, period: string) =>
  `${council}:provider-capacity-return:${FRAMEWORK}:${providerId}:${period}`;
const quarterlyStream = (providerId: string, quarterKey: string) =>
  `${council}:provider-quarterly-return:${FRAMEWORK}:${providerId}:${quarterKey}`;

function expectInvalid(
  response: { status: number; headers: Record<string, string>; body: { errors?: unknown } },
  fields: string[],
) {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
    status: 400,
    type: expect.stringMatching(PROBLEM_JSON),
  });
  expect((response.body.errors as { field: string }[]).map((e) => e.field)).toEqual(fields);
}

beforeAll(async () => {
  await env.registerOrganisations([
    [council, 'council'],
    [otherCouncil, 'council'],
    ...[bryn, oak, ash, outsider, lambethProvider].map((p) => [p, 'provider'] as const),
  ]);
  await env.establishFramework(council, [bryn, oak, ash]);
  await env.establishFramework(otherCouncil, [lambethProvider]);
});

describe('a monthly capacity return', () => {
  it('is sent by a provider on the framework and stored with the council, the average worked out', async () => {
    const key = randomUUID();
    const response = await post(as(bryn, 'regional-manager'), CAPACITY, MAY, key);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      streamId: capacityStream(bryn, '2026-05'),
      providerId: bryn,
      period: '2026-05',
      careWorkers: 40,
      packages: 55,
      totalHours: 812.5,
      averageHoursPerCareWorker: 20.3,
      estimatedHoursAvailableNextMonth: 120,
      replayed: false,
    });
    const [stored] = await env.api.store.readStream(capacityStream(bryn, '2026-05'));
    expect(stored).toMatchObject({
      type: 'ProviderCapacityReturnSubmitted',
      data: { providerId: bryn, submittedBy: 'ola' },
      metadata: { tenantId: council, actor: `ola@${bryn}` },
    });

    const retried = await post(as(bryn, 'regional-manager'), CAPACITY, MAY, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ replayed: true });
  });

  it('is refused a second time for the month (409), naming the first', async () => {
    const response = await post(as(bryn), CAPACITY, { ...MAY, careWorkers: 41 });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.existingReturn).toMatchObject({ providerId: bryn, period: '2026-05' });
  });

  it('is amended with every figure and a reason', async () => {
    const response = await post(as(bryn), `${CAPACITY}/2026-05/amendments`, {
      careWorkers: 42,
      packages: 55,
      totalHours: 812.5,
      estimatedHoursAvailableNextMonth: 150,
      reason: 'Two care workers who started on 28 May were left out',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ careWorkers: 42, averageHoursPerCareWorker: 19.3 });
    expect(await env.api.store.readStream(capacityStream(bryn, '2026-05'))).toHaveLength(2);
  });

  it.each([
    [
      'an average sent by the client',
      { ...MAY, averageHoursPerCareWorker: 20.3 },
      ['averageHoursPerCareWorker'],
    ],
    ['a month in the future', { ...MAY, period: '2026-07' }, ['period']],
    ['a month not written YYYY-MM', { ...MAY, period: 'May 2026' }, ['period']],
    [
      'negative workers and hours to the thousandth',
      { ...MAY, careWorkers: -1, totalHours: 812.125 },
      ['careWorkers', 'totalHours'],
    ],
    ['a count sent as text', { ...MAY, packages: '55' }, ['packages']],
    [
      'a missing figure',
      { ...MAY, estimatedHoursAvailableNextMonth: undefined },
      ['estimatedHoursAvailableNextMonth'],
    ],
    ['a field it does not know', { ...MAY, notes: 'hello' }, ['notes']],
    // Past the council's table's integer columns: once stored, it stalled the read model.
    [
      'more care workers and packages than any provider has',
      { ...MAY, careWorkers: 3_000_000_000, packages: 1_000_001 },
      ['careWorkers', 'packages'],
    ],
    ['hours beyond any provider’s', { ...MAY, totalHours: 1e300 }, ['totalHours']],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_case, body, fields) => {
    expectInvalid(await post(as(oak), CAPACITY, body), fields);
    expect(await env.api.store.readStream(capacityStream(oak, '2026-05'))).toEqual([]);
  });

  it('refuses 1e400, which JSON reads as Infinity, naming the field', async () => {
    const response = await env.api
      .http()
      .post(CAPACITY)
      .set('Authorization', `Bearer ${as(oak)}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(MAY).replace('"totalHours":812.5', '"totalHours":1e400'));
    expectInvalid(response, ['totalHours']);
    expect(await env.api.store.readStream(capacityStream(oak, '2026-05'))).toEqual([]);
  });

  it('refuses an amendment without a reason, or of a month never returned', async () => {
    const figures = {
      careWorkers: 1,
      packages: 1,
      totalHours: 1,
      estimatedHoursAvailableNextMonth: 1,
    };
    expectInvalid(await post(as(bryn), `${CAPACITY}/2026-05/amendments`, figures), ['reason']);
    expect(await env.api.store.readStream(capacityStream(bryn, '2026-05'))).toHaveLength(2);
    const never = await post(as(bryn), `${CAPACITY}/2026-04/amendments`, {
      ...figures,
      reason: 'x',
    });
    expect(never.status).toBe(404);
    expectInvalid(
      await post(as(bryn), `${CAPACITY}/2026-4/amendments`, { ...figures, reason: 'x' }),
      ['period'],
    );
  });

  it('is sent by providers only: the council is refused (403), a provider elsewhere finds no framework (404)', async () => {
    const byCouncil = await post(as(council), CAPACITY, MAY);
    expect(byCouncil.status).toBe(403);
    expect(byCouncil.headers['content-type']).toMatch(PROBLEM_JSON);
    expect((await post(as(outsider), CAPACITY, MAY)).status).toBe(404);
    expect((await post(as(lambethProvider), CAPACITY, MAY)).status).toBe(404);
    expect(
      (await post(as(bryn), `${base(council, 'no-such-framework')}/capacity-returns`, MAY)).status,
    ).toBe(404);
    expect((await post(as(bryn, 'home-manager'), CAPACITY, MAY)).status).toBe(403);
    expect((await env.api.http().post(CAPACITY).send(MAY)).status).toBe(401);
    for (const providerId of [outsider, lambethProvider])
      expect(await env.api.store.readStream(capacityStream(providerId, '2026-05'))).toEqual([]);
  });
});

describe('a quarterly return', () => {
  it('is sent with every KPI’s numerator and denominator, and amended by its quarter key', async () => {
    const response = await post(as(bryn), QUARTERLY, { quarter: '2026-27 Q1', figures: FIGURES });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      streamId: quarterlyStream(bryn, '2026-27-q1'),
      providerId: bryn,
      quarter: '2026-27 Q1',
      quarterKey: '2026-27-q1',
      figures: FIGURES,
      replayed: false,
    });
    const amended = await post(as(bryn), `${QUARTERLY}/2026-27-q1/amendments`, {
      figures: CORRECTED,
      reason: 'A leaver on 30 June was recorded in July',
    });
    expect(amended.status).toBe(201);
    expect(amended.body.figures).toEqual(CORRECTED);
  });

  it('is refused a second time for the quarter (409)', async () => {
    const response = await post(as(bryn), QUARTERLY, { quarter: '2026-27 Q1', figures: FIGURES });
    expect(response.status).toBe(409);
    expect(response.body.existingReturn).toMatchObject({ quarter: '2026-27 Q1' });
  });

  const inQ1 = (code: string, figure: unknown) => ({
    quarter: '2026-27 Q1',
    figures: { ...FIGURES, [code]: figure },
  });
  it.each([
    [
      'a quarter not yet in its last month',
      { quarter: '2026-27 Q2', figures: FIGURES },
      ['quarter'],
    ],
    ['a quarter not written 2026-27 Q1', { quarter: '2026 Q1', figures: FIGURES }, ['quarter']],
    ['a missing KPI', inQ1('annual-appraisal', undefined), ['figures.annual-appraisal']],
    [
      'an unknown KPI',
      inQ1('agency-hours', { numerator: 1, denominator: 1 }),
      ['figures.agency-hours'],
    ],
    [
      'more supervised than due',
      inQ1('quarterly-supervision', { numerator: 37, denominator: 36 }),
      ['figures.quarterly-supervision.numerator'],
    ],
    [
      'an average headcount not in steps of 0.5',
      inQ1('staff-turnover', { numerator: 2, denominator: 39.25 }),
      ['figures.staff-turnover.denominator'],
    ],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_case, body, fields) => {
    expectInvalid(await post(as(oak), QUARTERLY, body), fields);
    for (const key of ['2026-27-q1', '2026-27-q2'])
      expect(await env.api.store.readStream(quarterlyStream(oak, key))).toEqual([]);
  });

  it('takes leavers above the average headcount (staff turnover)', async () => {
    const response = await post(as(oak), QUARTERLY, {
      quarter: '2026-27 Q1',
      figures: { ...FIGURES, 'staff-turnover': { numerator: 3, denominator: 2.5 } },
    });
    expect(response.status).toBe(201);
  });

  it('names a malformed quarter key, and a quarter never returned is 404', async () => {
    const body = { figures: CORRECTED, reason: 'x' };
    expectInvalid(await post(as(bryn), `${QUARTERLY}/2026-27%20Q1/amendments`, body), [
      'quarterKey',
    ]);
    expect((await post(as(bryn), `${QUARTERLY}/2025-26-q4/amendments`, body)).status).toBe(404);
  });

  it('is refused to the council (403) and to a provider not on the framework (404)', async () => {
    const body = { quarter: '2026-27 Q1', figures: FIGURES };
    expect((await post(as(council), QUARTERLY, body)).status).toBe(403);
    expect((await post(as(outsider), QUARTERLY, body)).status).toBe(404);
    expect((await post(as(lambethProvider), QUARTERLY, body)).status).toBe(404);
  });
});

describe("the council's tables", () => {
  beforeAll(async () => {
    const response = await post(as(oak), CAPACITY, {
      ...MAY,
      careWorkers: 55,
      packages: 75,
      totalHours: 1093,
      estimatedHoursAvailableNextMonth: 160,
    });
    expect(response.status).toBe(201);
    await env.projections.caughtUp();
  });

  it('lists every provider on the framework for the month, the one that has not returned as missing', async () => {
    const response = await get(as(council, 'commissioner'), CAPACITY, { period: '2026-05' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      councilId: council,
      frameworkId: FRAMEWORK,
      period: '2026-05',
      returned: 2,
      missing: 1,
      totals: {
        careWorkers: 97,
        packages: 130,
        totalHours: 1905.5,
        averageHoursPerCareWorker: 19.6,
        estimatedHoursAvailableNextMonth: 310,
      },
    });
    expect(response.body.providers).toEqual([
      {
        providerId: bryn,
        status: 'returned',
        careWorkers: 42,
        packages: 55,
        totalHours: 812.5,
        averageHoursPerCareWorker: 19.3,
        estimatedHoursAvailableNextMonth: 150,
        submittedAt: NOW.toISOString(),
        submittedBy: 'ola',
        amendments: 1,
        lastAmendedAt: NOW.toISOString(),
        lastAmendmentReason: 'Two care workers who started on 28 May were left out',
        // Kept in the personal-data vault under a data subject of its own.
        lastAmendmentDataSubjectId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      },
      expect.objectContaining({
        providerId: oak,
        status: 'returned',
        averageHoursPerCareWorker: 19.9,
      }),
      {
        providerId: ash,
        status: 'missing',
        careWorkers: null,
        packages: null,
        totalHours: null,
        averageHoursPerCareWorker: null,
        estimatedHoursAvailableNextMonth: null,
        submittedAt: null,
        submittedBy: null,
        amendments: 0,
        lastAmendedAt: null,
        lastAmendmentReason: null,
        lastAmendmentDataSubjectId: null,
      },
    ]);
  });

  it('comes as CSV for a spreadsheet', async () => {
    const response = await get(as(council, 'commissioner'), `${CAPACITY}.csv`, {
      period: '2026-05',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="capacity-returns-${council}-${FRAMEWORK}-2026-05.csv"`,
    );
    const lines = response.text.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFcouncil_id,framework_id,period,provider_id,status,care_workers,packages,total_hours,average_hours_per_care_worker,estimated_hours_available_next_month,submitted_at,submitted_by,amendments,last_amended_at',
    );
    expect(lines[1]).toBe(
      `${council},${FRAMEWORK},2026-05,${bryn},returned,42,55,812.5,19.3,150,${NOW.toISOString()},ola,1,${NOW.toISOString()}`,
    );
    expect(lines[3]).toBe(`${council},${FRAMEWORK},2026-05,${ash},missing,,,,,,,,0,`);
    expect(lines).toHaveLength(5); // header, three providers, the final CRLF
  });

  it('shows a provider only its own row, even one it has not returned', async () => {
    const own = await get(as(oak, 'home-manager'), CAPACITY, { period: '2026-05' });
    expect(own.status).toBe(200);
    expect(own.body.providers.map((p: { providerId: string }) => p.providerId)).toEqual([oak]);
    expect(own.body).toMatchObject({ returned: 1, missing: 0, totals: { careWorkers: 55 } });
    const missing = await get(as(ash, 'hr'), CAPACITY, { period: '2026-05' });
    expect(missing.body.providers).toEqual([
      expect.objectContaining({ providerId: ash, status: 'missing' }),
    ]);
  });

  it('is 404 for a provider not on the framework, a provider of another council and another council', async () => {
    for (const token of [as(outsider), as(lambethProvider), as(otherCouncil, 'commissioner')]) {
      expect((await get(token, CAPACITY, { period: '2026-05' })).status).toBe(404);
      expect((await get(token, `${CAPACITY}.csv`, { period: '2026-05' })).status).toBe(404);
      expect((await get(token, QUARTERLY, { quarter: '2026-27 Q1' })).status).toBe(404);
    }
  });

  it('names a malformed month or quarter (400)', async () => {
    expectInvalid(await get(as(council, 'commissioner'), CAPACITY, { period: '2026-5' }), [
      'period',
    ]);
    expectInvalid(await get(as(council, 'commissioner'), CAPACITY), ['period']);
    expectInvalid(await get(as(council, 'commissioner'), QUARTERLY, { quarter: '2026-27-q1' }), [
      'quarter',
    ]);
  });

  it("lists the quarter's returns with their figures as last amended", async () => {
    const response = await get(as(council, 'regulator'), QUARTERLY, { quarter: '2026-27 Q1' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ quarter: '2026-27 Q1', returned: 2, missing: 1 });
    expect(response.body.providers).toEqual([
      expect.objectContaining({
        providerId: bryn,
        status: 'returned',
        figures: CORRECTED,
        amendments: 1,
      }),
      expect.objectContaining({ providerId: oak, status: 'returned', amendments: 0 }),
      expect.objectContaining({ providerId: ash, status: 'missing', figures: null }),
    ]);
    const own = await get(as(bryn, 'regional-manager'), QUARTERLY, { quarter: '2026-27 Q1' });
    expect(own.body.providers).toEqual([
      expect.objectContaining({ providerId: bryn, figures: CORRECTED }),
    ]);
  });

  it('keeps the quarterly figures as QuarterlyReturnFigures JSON for provider performance', async () => {
    const { rows } = await env.api.pool.query<{
      figures: QuarterlyReturnFigures;
      amendments: number;
    }>(
      `SELECT figures, amendments FROM rm_provider_quarterly_returns
        WHERE tenant_id = $1 AND framework_id = $2 AND provider_id = $3 AND quarter = '2026-27 Q1'`,
      [council, FRAMEWORK, bryn],
    );
    expect(rows).toEqual([{ figures: CORRECTED, amendments: 1 }]);
  });
});
