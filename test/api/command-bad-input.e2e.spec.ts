import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * Malformed command bodies of every shape (wrong types deep inside frameworks, ids that are not
 * slugs, nested junk) get a 4xx problem — never a 500 — and nothing is stored.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('command_bad_input');
});
afterAll(() => api.close());
const bodies: [string, unknown][] = [
  ['/frameworks/f1/versions', { name: 'x', effectiveFrom: '2026-01', indicators: [5, null, 'a'] }],
  [
    '/frameworks/f1/versions',
    {
      name: 'x',
      effectiveFrom: '2026-01',
      indicators: [
        {
          code: 'A',
          name: 'a',
          unit: 'count',
          direction: 'higher-is-better',
          target: 1,
          periodicity: 'monthly',
          aggregation: 'sum',
          expectedRange: 5,
        },
      ],
    },
  ],
  [
    '/frameworks/f1/versions',
    {
      name: 'x',
      effectiveFrom: '2026-01',
      indicators: [
        {
          code: 'A',
          name: 'a',
          unit: 'count',
          direction: 'within-range',
          expectedRange: { lower: 'a', upper: null },
          periodicity: 'monthly',
          aggregation: 'sum',
        },
      ],
    },
  ],
  [
    '/frameworks/f1/versions',
    {
      name: 'x',
      effectiveFrom: '2026-01',
      indicators: [
        {
          code: 'A',
          name: 'a',
          unit: 'count',
          direction: 'higher-is-better',
          target: 1,
          floor: 'x',
          periodicity: 'monthly',
          aggregation: 'sum',
        },
      ],
      bonusRule: { required: 'x', of: [] },
    },
  ],
  ['/frameworks/f1/versions', { name: 7, effectiveFrom: 202601, indicators: 'x' }],
  ['/frameworks/F1!/versions', { name: 'x', effectiveFrom: '2026-01', indicators: [] }],
  [
    '/services',
    {
      serviceId: 'a',
      name: 'A',
      regionId: 'r',
      serviceType: 'childrens-home',
      frameworkId: 'f',
      openedOn: 20240101,
    },
  ],
  ['/services/x/manager-appointments', { managerId: 5, from: [] }],
  [
    '/services/x/returns',
    { period: '2026-01', values: { a: { notApplicable: true, reason: 5, extra: 1 } } },
  ],
  ['/regions', { regionId: 'A B', name: 'x', regionalManagerId: 'y' }],
  ['/organisation', { name: 'x'.repeat(500), kind: 'provider' }],
  ['/supervisions', { superviseeId: 'A', supervisorId: 5, date: [], kind: 'one-to-one' }],
  [
    '/supervisions',
    {
      superviseeId: 'mgr-a',
      supervisorId: 'rm-1',
      date: '2026-01-05',
      kind: 'one-to-one',
      capabilityItems: [5, { serviceId: null }, { serviceId: 'x', indicatorCode: {} }],
    },
  ],
  [
    '/capability/reviews',
    {
      managerId: 'mgr-a',
      serviceId: 'x',
      indicatorCode: ['EDU'],
      heldBy: {},
      heldByRole: 'hr',
      heldOn: '2026-02-30',
      companionOffered: true,
      outcome: 'dismissed',
      reasons: 'x',
    },
  ],
  [
    '/capability/appeals',
    {
      managerId: 'mgr-a',
      serviceId: 'x',
      indicatorCode: 'EDU',
      against: 'stage 3',
      heardBy: 'd',
      heardOn: '2026-01-01',
      outcome: 'upheld',
      reasons: 'x',
    },
  ],
  [
    '/capability/appeals',
    {
      managerId: 'mgr-a',
      serviceId: 'x',
      indicatorCode: 'EDU',
      against: { entryId: { $ne: 1 } },
      heardBy: 'd',
      heardOn: '2026-01-01',
      outcome: 'upheld',
      reasons: 'x',
    },
  ],
];
const eventCount = async () =>
  Number((await api.pool.query('SELECT count(*) FROM events')).rows[0].count);

it.each(bodies)('POST %s with %j answers a 4xx problem and stores nothing', async (path, body) => {
  const token = api.tokenFor({ tenantId: 'bad-input', roles: ['provider-admin'] });
  const before = await eventCount();
  const response = await api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  expect(await eventCount()).toBe(before);
});
