import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The care-at-home call-off over HTTP (docs/rules/care-at-home-call-off.md): a quarter of packages
 * for three providers gives the KPI values and RAG expected for each contract year, and who may
 * see what holds for every role — the council sees all its providers, a provider only itself,
 * a provider of another council nothing.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('call_off_e2e');
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
const post = (token: string, path: string, body: object = {}) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);
async function ok(
  response: Promise<{ status: number; body: unknown }> | { status: number; body: unknown },
  status = 201,
) {
  const answer = await response;
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
  return answer.body as Record<string, unknown>;
}
const at = (instant: string) => api.setNow(new Date(instant));
const hoursAfter = (instant: string, hours: number) =>
  new Date(Date.parse(instant) + hours * 3_600_000).toISOString();

const run = randomUUID().slice(0, 6);
const council = `council-${run}`;
const otherCouncil = `other-council-${run}`;
const [alpha, beta, gamma] = ['alpha', 'beta', 'gamma'].map((p) => `${p}-${run}`) as [
  string,
  string,
  string,
];
const outsider = `outsider-${run}`; // a provider on the other council's framework only
const framework = 'care-at-home';
const Q1 = '2026-27 Q1'; // contract year 1: the contract started on 2025-07-01
const Q2 = '2026-27 Q2'; // contract year 2 (from 2026-07-01)
const base = `/councils/${council}`;
const packagesPath = `${base}/care-frameworks/${framework}/packages`;
const performancePath = (provider: string) =>
  `${base}/care-frameworks/${framework}/providers/${provider}/performance`;

const commissioner = () => as(council, 'commissioner');
const provider = (id: string) => as(id, 'provider-admin');

async function refer(packageId: string, referredAt: string, urgent = false) {
  at(referredAt);
  return ok(
    post(commissioner(), packagesPath, {
      packageId,
      hoursPerWeek: 10,
      outcomes: 'Personal care before school; short breaks at weekends.',
      startDate: '2026-05-18',
      urgent,
      communicationNeeds: 'Makaton',
    }),
  );
}
const act = (who: string, packageId: string, verb: string, when: string, body: object = {}) => {
  at(when);
  return post(provider(who), `${base}/care-packages/${packageId}/${verb}`, body);
};

beforeAll(async () => {
  at('2026-04-01T09:00:00Z');
  await ok(
    post(as(council, 'provider-admin'), '/organisation', { name: 'Southwark', kind: 'council' }),
  );
  await ok(
    post(as(otherCouncil, 'provider-admin'), '/organisation', { name: 'Lambeth', kind: 'council' }),
  );
  for (const id of [alpha, beta, gamma, outsider])
    await ok(
      post(as(id, 'provider-admin'), '/organisation', { name: `Provider ${id}`, kind: 'provider' }),
    );
  await ok(
    post(commissioner(), `${base}/care-frameworks`, {
      frameworkId: framework,
      name: 'Care at Home 2025–2029',
      contractStartDate: '2025-07-01',
      providers: [alpha, beta, gamma],
    }),
  );
  await ok(
    post(as(otherCouncil, 'commissioner'), `/councils/${otherCouncil}/care-frameworks`, {
      frameworkId: framework,
      name: 'Lambeth Care at Home',
      contractStartDate: '2025-07-01',
      providers: [outsider],
    }),
  );

  // p0: first refusal alpha, who accepts within the hour; family contacted after 20 h (in time).
  const p0 = '2026-05-05T09:00:00Z';
  expect(await refer('p0', p0)).toMatchObject({
    status: 'offered',
    currentOffer: { round: 'first-refusal', providers: [alpha], closesAt: hoursAfter(p0, 2) },
  });
  await ok(act(alpha, 'p0', 'accept', hoursAfter(p0, 1)), 200);
  await ok(
    act(alpha, 'p0', 'family-contact', hoursAfter(p0, 21), { contactedAt: hoursAfter(p0, 21) }),
  );
  await ok(act(alpha, 'p0', 'care-started', '2026-05-12T09:00:00Z', { startedOn: '2026-05-12' }));

  // p1: first refusal beta declines at once; gamma, next in rotation, accepts after an hour but
  // contacts the family only after 30 h (late).
  const p1 = '2026-05-06T09:00:00Z';
  await refer('p1', p1);
  expect(
    await ok(act(beta, 'p1', 'decline', hoursAfter(p1, 0.5), { reason: 'No capacity' }), 200),
  ).toMatchObject({
    currentOffer: { round: 'second', providers: [gamma], offeredAt: hoursAfter(p1, 0.5) },
  });
  await ok(act(gamma, 'p1', 'accept', hoursAfter(p1, 1.5)), 200);
  await ok(
    act(gamma, 'p1', 'family-contact', hoursAfter(p1, 31.5), { contactedAt: hoursAfter(p1, 31.5) }),
  );
  await ok(act(gamma, 'p1', 'care-started', '2026-05-14T09:00:00Z', { startedOn: '2026-05-14' }));

  // p2 (urgent): gamma and then alpha let their 2-hour windows pass; it goes to beta, the only
  // other provider, who accepts and contacts the family within 12 hours.
  const p2 = '2026-05-07T09:00:00Z';
  await refer('p2', p2, true);
  const late = await act(gamma, 'p2', 'accept', hoursAfter(p2, 2.1));
  expect(late.status).toBe(409);
  expect(late.headers['content-type']).toMatch(PROBLEM_JSON);
  expect(late.body).toMatchObject({ reason: 'window-closed', closedAt: hoursAfter(p2, 2) });
  const early = await act(beta, 'p2', 'accept', hoursAfter(p2, 3));
  expect({ status: early.status, reason: early.body.reason }).toEqual({
    status: 409,
    reason: 'not-your-turn',
  });
  expect(await ok(act(beta, 'p2', 'accept', hoursAfter(p2, 5)), 200)).toMatchObject({
    status: 'accepted',
    events: ['CarePackageOffered', 'CarePackageOffered', 'CarePackageAccepted'],
  });
  await ok(
    act(beta, 'p2', 'family-contact', hoursAfter(p2, 15), { contactedAt: hoursAfter(p2, 15) }),
  );
  await ok(act(beta, 'p2', 'care-started', '2026-05-11T09:00:00Z', { startedOn: '2026-05-11' }));

  // p3 (urgent): alpha accepts in 10 minutes but contacts the family after 13 h (late), and
  // care never starts.
  const p3 = '2026-05-12T09:00:00Z';
  await refer('p3', p3, true);
  await ok(act(alpha, 'p3', 'accept', hoursAfter(p3, 1 / 6)), 200);
  await ok(
    act(alpha, 'p3', 'family-contact', hoursAfter(p3, 13.5), { contactedAt: hoursAfter(p3, 13.5) }),
  );

  // alpha's quarterly returns for Q1 and Q2 (the same figures: judged by each quarter's year).
  at('2026-10-05T09:00:00Z');
  for (const quarter of [Q1, Q2])
    await ok(
      post(provider(alpha), `${base}/care-frameworks/${framework}/quarterly-returns`, {
        quarter,
        figures: QUARTERLY_FIGURES,
      }),
    );
  await projections.caughtUp();
});

const QUARTERLY_FIGURES = {
  'complaints-answered-in-time': { numerator: 3, denominator: 3 }, // 100: green
  'staff-turnover': { numerator: 1, denominator: 20 }, // 5 %: not under 5, red
  'quarterly-supervision': { numerator: 18, denominator: 20 }, // 90: red
  'annual-appraisal': { numerator: 20, denominator: 20 }, // green
  'care-certificate-in-12-weeks': { numerator: 2, denominator: 2 }, // green
  'diploma-level-1': { numerator: 22, denominator: 100 }, // 22: green in year 1 (20), red in year 2 (25)
  'diploma-level-2': { numerator: 26, denominator: 100 }, // 26: green in both (20, 25)
};

function kpi(body: Record<string, unknown>, code: string) {
  return (body.kpis as { code: string }[]).find((k) => k.code === code);
}

describe('provider performance per quarter', () => {
  it('counts each provider’s call-off KPIs and judges them against the year-1 targets', async () => {
    const figures = async (who: string) => {
      const body = await ok(get(commissioner(), performancePath(who), { quarter: Q1 }), 200);
      expect(body).toMatchObject({ providerId: who, quarter: Q1, contractYear: 1 });
      return [
        'acceptance-within-4-hours',
        'family-contact-in-time',
        'care-started-within-a-week',
      ].map((code) => {
        const { numerator, denominator, value, target, rag } = kpi(body, code) as Record<
          string,
          unknown
        >;
        return { code, numerator, denominator, value, target, rag };
      });
    };
    // alpha: answered p0 and p3 in time, let p2 (next in rotation) lapse.
    expect(await figures(alpha)).toEqual([
      {
        code: 'acceptance-within-4-hours',
        numerator: 2,
        denominator: 3,
        value: 66.7,
        target: 95,
        rag: 'red',
      },
      {
        code: 'family-contact-in-time',
        numerator: 1,
        denominator: 2,
        value: 50,
        target: 95,
        rag: 'red',
      },
      {
        code: 'care-started-within-a-week',
        numerator: 1,
        denominator: 2,
        value: 50,
        target: null,
        rag: 'grey',
      },
    ]);
    // beta: its decline of p1 was an answer; p2 came to it in the offer to all (not counted).
    expect(await figures(beta)).toEqual([
      {
        code: 'acceptance-within-4-hours',
        numerator: 1,
        denominator: 1,
        value: 100,
        target: 95,
        rag: 'green',
      },
      {
        code: 'family-contact-in-time',
        numerator: 1,
        denominator: 1,
        value: 100,
        target: 95,
        rag: 'green',
      },
      {
        code: 'care-started-within-a-week',
        numerator: 1,
        denominator: 1,
        value: 100,
        target: null,
        rag: 'grey',
      },
    ]);
    expect(await figures(gamma)).toEqual([
      {
        code: 'acceptance-within-4-hours',
        numerator: 1,
        denominator: 2,
        value: 50,
        target: 95,
        rag: 'red',
      },
      {
        code: 'family-contact-in-time',
        numerator: 0,
        denominator: 1,
        value: 0,
        target: 95,
        rag: 'red',
      },
      {
        code: 'care-started-within-a-week',
        numerator: 1,
        denominator: 1,
        value: 100,
        target: null,
        rag: 'grey',
      },
    ]);
  });

  it('judges the quarterly return by the targets of each quarter’s contract year', async () => {
    const judged = async (quarter: string) => {
      const body = await ok(get(commissioner(), performancePath(alpha), { quarter }), 200);
      expect(body).toMatchObject({ quarterlyReturnReceived: true });
      const pick = (code: string) => {
        const { value, target, rag } = kpi(body, code) as Record<string, unknown>;
        return { code, value, target, rag };
      };
      return {
        contractYear: body.contractYear,
        kpis: [
          'acceptance-within-4-hours',
          'complaints-answered-in-time',
          'staff-turnover',
          'quarterly-supervision',
          'annual-appraisal',
          'care-certificate-in-12-weeks',
          'diploma-level-1',
          'diploma-level-2',
        ].map(pick),
      };
    };
    expect(await judged(Q1)).toEqual({
      contractYear: 1,
      kpis: [
        { code: 'acceptance-within-4-hours', value: 66.7, target: 95, rag: 'red' },
        { code: 'complaints-answered-in-time', value: 100, target: 100, rag: 'green' },
        { code: 'staff-turnover', value: 5, target: 5, rag: 'red' },
        { code: 'quarterly-supervision', value: 90, target: 100, rag: 'red' },
        { code: 'annual-appraisal', value: 100, target: 100, rag: 'green' },
        { code: 'care-certificate-in-12-weeks', value: 100, target: 100, rag: 'green' },
        { code: 'diploma-level-1', value: 22, target: 20, rag: 'green' },
        { code: 'diploma-level-2', value: 26, target: 20, rag: 'green' },
      ],
    });
    // Q2 began on the contract's first anniversary: year 2, higher targets, no packages.
    expect(await judged(Q2)).toEqual({
      contractYear: 2,
      kpis: [
        { code: 'acceptance-within-4-hours', value: null, target: 96, rag: 'grey' },
        { code: 'complaints-answered-in-time', value: 100, target: 100, rag: 'green' },
        { code: 'staff-turnover', value: 5, target: 5, rag: 'red' },
        { code: 'quarterly-supervision', value: 90, target: 100, rag: 'red' },
        { code: 'annual-appraisal', value: 100, target: 100, rag: 'green' },
        { code: 'care-certificate-in-12-weeks', value: 100, target: 100, rag: 'green' },
        { code: 'diploma-level-1', value: 22, target: 25, rag: 'red' },
        { code: 'diploma-level-2', value: 26, target: 25, rag: 'green' },
      ],
    });
    const betaQ2 = await ok(get(commissioner(), performancePath(beta), { quarter: Q2 }), 200);
    expect(betaQ2).toMatchObject({ contractYear: 2, quarterlyReturnReceived: false });
    expect(kpi(betaQ2, 'diploma-level-1')).toMatchObject({ value: null, target: 25, rag: 'grey' });
  });

  it('ranks the providers in the league table, as JSON and as CSV', async () => {
    const table = await ok(
      get(commissioner(), `${base}/care-frameworks/${framework}/league-table`, { quarter: Q1 }),
      200,
    );
    expect(
      (table.providers as Record<string, unknown>[]).map(({ rank, providerId, green, red }) => ({
        rank,
        providerId,
        green,
        red,
      })),
    ).toEqual([
      { rank: 1, providerId: alpha, green: 5, red: 4 },
      { rank: 2, providerId: beta, green: 2, red: 0 },
      { rank: 3, providerId: gamma, green: 0, red: 2 },
    ]);
    const csv = await get(commissioner(), `${base}/care-frameworks/${framework}/league-table.csv`, {
      quarter: Q1,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^1,${alpha},5,4,1,66.7,95,red,`));
  });
});

describe('who sees what', () => {
  const councilReaders: Role[] = ['commissioner', 'provider-admin', 'regulator'];
  it.each(councilReaders)(
    'the council’s %s sees every provider and the league table',
    async (role) => {
      for (const who of [alpha, beta, gamma])
        await ok(get(as(council, role), performancePath(who), { quarter: Q1 }), 200);
      await ok(
        get(as(council, role), `${base}/care-frameworks/${framework}/league-table`, {
          quarter: Q1,
        }),
        200,
      );
      const packages = await ok(get(as(council, role), packagesPath), 200);
      expect((packages as unknown as unknown[]).length).toBe(4);
    },
  );

  it.each(['home-manager', 'regional-manager', 'hr'] as Role[])(
    'the council’s %s may not read provider performance (403)',
    async (role) => {
      const response = await get(as(council, role), performancePath(alpha), { quarter: Q1 });
      expect(response.status).toBe(403);
    },
  );

  const providerRoles: Role[] = [
    'provider-admin',
    'regional-manager',
    'hr',
    'home-manager',
    'regulator',
  ];
  it.each(providerRoles)('a provider’s %s sees only its own performance', async (role) => {
    await ok(get(as(alpha, role), performancePath(alpha), { quarter: Q1 }), 200);
    for (const other of [beta, gamma]) {
      const response = await get(as(alpha, role), performancePath(other), { quarter: Q1 });
      expect(response.status).toBe(404);
    }
    const table = await get(as(alpha, role), `${base}/care-frameworks/${framework}/league-table`, {
      quarter: Q1,
    });
    expect(table.status).toBe(403);
  });

  it('the council sees the framework’s rotation; a provider only itself; an outsider nothing', async () => {
    const path = `${base}/care-frameworks/${framework}`;
    expect(await ok(get(commissioner(), path), 200)).toEqual({
      frameworkId: framework,
      name: 'Care at Home 2025–2029',
      contractStartDate: '2025-07-01',
      contractYear: 2, // today is 2026-10-05 in this file's clock
      providers: [alpha, beta, gamma],
      packagesReferred: 4,
      nextFirstRefusal: beta, // the fifth package (position 4): 4 mod 3 = 1
    });
    expect(await ok(get(provider(alpha), path), 200)).toMatchObject({
      providers: [alpha],
      packagesReferred: 0,
      nextFirstRefusal: null,
    });
    expect((await get(provider(outsider), path)).status).toBe(404);
  });

  it('a provider sees the packages placed with it, never who took the others', async () => {
    const mine = (await ok(get(provider(alpha), packagesPath), 200)) as unknown as {
      packageId: string;
      acceptedBy: string | null;
    }[];
    expect(mine.map((p) => p.packageId).sort()).toEqual(['p0', 'p3']);
    const other = await get(provider(alpha), `${base}/care-packages/p2`);
    expect(other.status).toBe(404);
  });

  it('a provider of another council, and that council, see nothing of this framework (404)', async () => {
    for (const token of [provider(outsider), as(otherCouncil, 'commissioner')]) {
      for (const path of [
        performancePath(alpha),
        `${base}/care-frameworks/${framework}/league-table`,
        packagesPath,
        `${base}/care-packages/p0`,
      ]) {
        const response = await get(token, path, { quarter: Q1 });
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
      const accept = await post(token, `${base}/care-packages/p0/accept`);
      expect([403, 404]).toContain(accept.status);
    }
  });

  it('only the council refers packages; providers answer offers; nothing is written when refused', async () => {
    const before = await api.pool.query('SELECT count(*)::int AS n FROM events');
    const byProvider = await post(provider(alpha), packagesPath, {
      hoursPerWeek: 5,
      outcomes: 'x',
      startDate: '2026-07-20',
      urgent: false,
    });
    expect(byProvider.status).toBe(403);
    const byCommissioner = await post(commissioner(), `${base}/care-packages/p0/accept`);
    expect(byCommissioner.status).toBe(403);
    const bad = await post(commissioner(), packagesPath, {
      hoursPerWeek: 0,
      outcomes: '',
      startDate: '2026-13-01',
      urgent: false,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['hoursPerWeek', 'outcomes', 'startDate']);
    const after = await api.pool.query('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('the offer to all, over HTTP', () => {
  it('moves on by the clock, and of two providers accepting at once exactly one wins', async () => {
    const rush = 'rush-hour';
    const delta = `delta-${run}`;
    at('2026-11-02T09:00:00Z');
    await ok(
      post(as(delta, 'provider-admin'), '/organisation', { name: 'Delta', kind: 'provider' }),
    );
    await ok(
      post(commissioner(), `${base}/care-frameworks`, {
        frameworkId: rush,
        name: 'Winter pressures',
        contractStartDate: '2026-10-01',
        providers: [alpha, beta, gamma, delta],
      }),
    );
    const referredAt = '2026-11-03T10:00:00Z'; // a Tuesday (GMT)
    at(referredAt);
    await ok(
      post(commissioner(), `${base}/care-frameworks/${rush}/packages`, {
        packageId: 'r0',
        hoursPerWeek: 6,
        outcomes: 'Evening routine support',
        startDate: '2026-11-09',
        urgent: false,
      }),
    );
    // No timer runs here: at 4 h 30 both windows have closed by the clock, so the package is
    // offered to the two others, and each sees it in its list.
    // alpha's first refusal, unanswered: pending for its 2 hours, then missed by the clock
    // alone (nothing recorded meanwhile: the read model keeps when an open item lapses).
    await projections.caughtUp();
    const alphaIn = async () => {
      const body = await ok(
        get(commissioner(), `${base}/care-frameworks/${rush}/providers/${alpha}/performance`, {
          quarter: '2026-27 Q3',
        }),
        200,
      );
      const { numerator, denominator, pending } = kpi(body, 'acceptance-within-4-hours') as Record<
        string,
        unknown
      >;
      return { numerator, denominator, pending };
    };
    at(hoursAfter(referredAt, 1));
    expect(await alphaIn()).toEqual({ numerator: 0, denominator: 0, pending: 1 });
    at(hoursAfter(referredAt, 4.5));
    expect(await alphaIn()).toEqual({ numerator: 0, denominator: 1, pending: 0 });
    for (const who of [gamma, delta]) {
      const list = (await ok(
        get(provider(who), `${base}/care-frameworks/${rush}/packages`),
        200,
      )) as unknown as { packageId: string; currentOffer: { round: string } }[];
      expect(list.map((p) => [p.packageId, p.currentOffer.round])).toEqual([['r0', 'all']]);
    }
    const answers = await Promise.all(
      [gamma, delta].map((who) => post(provider(who), `${base}/care-packages/r0/accept`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.body).toMatchObject({ reason: 'placed-with-another-provider' });
    const winner = [gamma, delta][answers.findIndex((a) => a.status === 200)]!;
    expect(JSON.stringify(loser.body)).not.toContain(winner); // who won is not the loser's to know
    const stream = await api.store.readStream(`${council}:care-package:r0`);
    expect(stream.filter((e) => e.type === 'CarePackageAccepted')).toHaveLength(1);
  });
});
