import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import {
  capabilityCountersProjection,
  capabilityTimelineProjection,
} from '@kpi/features/capability';
import { rebuildProjection } from '@kpi/projections';
import { supervisionsProjection } from '@kpi/features/workforce';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The capability procedure over HTTP, with the worker's projections and escalation process
 * running: the textbook case — the same KPI missed four months running ends at Stage 3 with
 * a review due — and what a tribunal or an inspector asks of it afterwards.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('capability_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const regionalManager = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['regional-manager'], userId: 'user:rm-gwen' });
const hr = (tenantId: string) => api.tokenFor({ tenantId, roles: ['hr'], userId: 'user:hr-sam' });
const as = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });

/** POSTs at a given moment (commands read `now` from the test clock). */
async function post(token: string, path: string, body: object, at?: string) {
  api.setNow(at ? new Date(at) : null);
  try {
    return await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  } finally {
    api.setNow(null);
  }
}
async function created(token: string, path: string, body: object, at?: string) {
  const response = await post(token, path, body, at);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

const MANAGER = 'mgr-siwan';
const HOME = 'plas-newydd';
const STAGE_3 = `${HOME}.EDU.2026-07.s3`;

/** Bryn Melyn's story: plas-newydd, managed by mgr-siwan, misses EDU from July to October 2026. */
async function seedStory(): Promise<string> {
  const tenant = `bryn-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(
    admin(tenant),
    '/frameworks/presets/childrens-homes',
    { effectiveFrom: '2026-01' },
    '2025-12-01T09:00:00Z',
  );
  await created(admin(tenant), '/services', {
    serviceId: HOME,
    name: 'Plas Newydd',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2026-01-01',
  });
  await created(admin(tenant), `/services/${HOME}/manager-appointments`, {
    managerId: MANAGER,
    from: '2026-01-01',
  });
  for (let month = 1; month <= 10; month++) {
    const period = `2026-${String(month).padStart(2, '0')}`;
    await submit(tenant, period, month >= 7 ? 70 : 93);
  }
  await projections.caughtUp();
  return tenant;
}

const submit = (tenant: string, period: string, edu: number) =>
  created(
    regionalManager(tenant),
    `/services/${HOME}/returns`,
    { period, values: { ...allMet, EDU: edu } },
    `${nextMonth(period)}-12T10:00:00Z`,
  );

function nextMonth(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

describe('the capability procedure over HTTP', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seedStory();
  });

  it('ends at Stage 3 with a review due when the same KPI is missed four months running', async () => {
    const counters = await get(hr(tenant), '/capability/counters');
    expect(counters.status).toBe(200);
    expect(counters.body.counters).toEqual([
      expect.objectContaining({
        managerId: MANAGER,
        serviceId: HOME,
        regionId: 'north-wales',
        indicatorCode: 'EDU',
        consecutiveMisses: 4,
        stage: 3,
        runStart: '2026-07',
        openEntryId: STAGE_3,
        reviewDue: true,
      }),
    ]);

    const timeline = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`);
    expect(timeline.status).toBe(200);
    expect(
      timeline.body.entries.map((e: { entryId: string; status: string }) => [e.entryId, e.status]),
    ).toEqual([
      [`${HOME}.EDU.2026-07.s1`, 'escalated'],
      [`${HOME}.EDU.2026-07.s2`, 'escalated'],
      [STAGE_3, 'open'],
    ]);
    expect(timeline.body.entries[2]).toMatchObject({
      stage: 3,
      reviewDue: true,
      consecutiveMisses: 4,
    });

    const dashboard = await get(regionalManager(tenant), '/capability/stages-by-region');
    expect(dashboard.body.regions).toEqual([
      expect.objectContaining({
        regionId: 'north-wales',
        name: 'North Wales',
        managersAtStage: { stage1: 0, stage2: 0, stage3: 1 },
        reviewsDue: 1,
      }),
    ]);
    const region = await get(regionalManager(tenant), '/capability/stages-by-region', {
      regionId: 'north-wales',
    });
    expect(region.body.regions[0].managers).toEqual([
      expect.objectContaining({
        managerId: MANAGER,
        stage: 3,
        reviewDue: true,
        counters: [expect.objectContaining({ serviceId: HOME, indicatorCode: 'EDU', stage: 3 })],
      }),
    ]);
    expect(counters.body.nextOffset).toBeNull();
  });

  it('answers why: the four months, their values and benchmark, and the stored events they rest on', async () => {
    const why = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline/${STAGE_3}/why`, {
      verify: 'true',
    });
    expect(why.status).toBe(200);
    expect(why.body.question).toContain('Stage 3');
    expect(why.body.answer).toContain('EDU was missed 4 consecutive months');
    expect(
      why.body.months.map((m: { period: string; value: number; target: number }) => [
        m.period,
        m.value,
        m.target,
      ]),
    ).toEqual([
      ['2026-07', 70, 90],
      ['2026-08', 70, 90],
      ['2026-09', 70, 90],
      ['2026-10', 70, 90],
    ]);
    for (const month of why.body.months) {
      const stored = await get(
        regionalManager(tenant),
        `/services/${HOME}/returns/${month.period}`,
      );
      const submission = stored.body.history[0];
      expect(month.countedFrom).toMatchObject({
        eventId: submission.eventId,
        globalPosition: submission.globalPosition,
        by: 'user:rm-gwen',
      });
      expect(month.return.history).toEqual([
        expect.objectContaining({
          kind: 'submission',
          eventId: submission.eventId,
          globalPosition: submission.globalPosition,
          by: 'user:rm-gwen',
          value: 70,
          late: false,
        }),
      ]);
      expect(month.frameworkVersion).toBe(1);
    }
    expect(why.body.benchmarks).toEqual([
      expect.objectContaining({
        frameworkId: 'childrens-homes',
        frameworkVersion: 1,
        target: 90,
        floor: 75,
      }),
    ]);
    expect(why.body.stageChanges.map((c: { summary: string }) => c.summary)).toEqual([
      'Stage 1 entered for 2026-07 (1 month missed)',
      '2026-08 missed again (2 in a row)',
      'Stage 2 entered for 2026-09 (3 consecutive months missed)',
      'Stage 3 entered for 2026-10 (4 consecutive months missed)',
    ]);
    for (const change of why.body.stageChanges) {
      const events = await get(
        admin(tenant),
        `/audit/streams/${encodeURIComponent(`${tenant}:capability:${MANAGER}:${HOME}:EDU`)}/events`,
      );
      expect(events.body.events.map((e: { eventId: string }) => e.eventId)).toContain(
        change.eventId,
      );
    }
    expect(why.body.verification).toMatchObject({ streamsChecked: 5, brokenLinks: [] });
  });

  it('shows a stage as addressed when a supervision in its time discussed it', async () => {
    await created(
      regionalManager(tenant),
      '/supervisions',
      {
        superviseeId: MANAGER,
        supervisorId: 'rm-gwen',
        date: '2026-08-20',
        kind: 'one-to-one',
        capabilityItems: [{ serviceId: HOME, indicatorCode: 'EDU' }],
      },
      '2026-08-21T09:00:00Z',
    );
    await projections.caughtUp();
    const timeline = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`);
    const [stage1, stage2, stage3] = timeline.body.entries;
    expect(stage1).toMatchObject({
      addressed: true,
      addressedIn: [expect.objectContaining({ date: '2026-08-20', supervisorId: 'rm-gwen' })],
    });
    expect(stage2.addressed).toBe(false);
    expect(stage3.addressed).toBe(false);
  });

  it('records a Stage 3 review and refuses an appeal heard by someone involved', async () => {
    const review = await created(
      hr(tenant),
      '/capability/reviews',
      {
        managerId: MANAGER,
        serviceId: HOME,
        indicatorCode: 'EDU',
        heldBy: 'hr-sam',
        heldByRole: 'hr',
        heldOn: '2026-11-28',
        companionOffered: true,
        outcome: 'mitigating-circumstances',
        furtherReviewMonths: 3,
        reasons: 'Two children out of education after a placement move; a plan is agreed.',
      },
      '2026-11-28T15:00:00Z',
    );
    expect(review.body).toMatchObject({
      entryId: STAGE_3,
      nextReviewDue: '2027-02-28',
      replayed: false,
    });
    await projections.caughtUp();
    const counters = await get(hr(tenant), '/capability/counters');
    expect(counters.body.counters[0]).toMatchObject({
      stage: 3,
      reviewDue: false,
      lastReviewOn: '2026-11-28',
      nextReviewDue: '2027-02-28',
    });

    const appeal = (heardBy: string) =>
      post(
        hr(tenant),
        '/capability/appeals',
        {
          managerId: MANAGER,
          serviceId: HOME,
          indicatorCode: 'EDU',
          against: { reviewId: review.body.reviewId },
          heardBy,
          heardOn: '2026-12-02',
          outcome: 'not-upheld',
          reasons: 'The review followed the procedure.',
        },
        '2026-12-02T16:00:00Z',
      );
    for (const involved of ['rm-gwen', 'hr-sam', MANAGER]) {
      const refused = await appeal(involved);
      expect(refused.status).toBe(409);
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'heardBy' })]);
    }
    const heard = await appeal('director-ola');
    expect(heard.status).toBe(201);
    expect(heard.body.against).toMatchObject({
      kind: 'review',
      outcome: 'mitigating-circumstances',
    });
    await projections.caughtUp();
    const why = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline/${STAGE_3}/why`);
    expect(why.body.reviews).toEqual([
      expect.objectContaining({
        heldBy: 'hr-sam',
        outcome: 'mitigating-circumstances',
        eventId: expect.any(String),
        globalPosition: expect.any(Number),
      }),
    ]);
    expect(why.body.appeals).toEqual([
      expect.objectContaining({ heardBy: 'director-ola', outcome: 'not-upheld' }),
    ]);
  });

  it('gives an identical timeline when the read models are rebuilt from the log', async () => {
    const before = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`);
    const beforeCounters = await get(hr(tenant), '/capability/counters', { minStage: '0' });
    for (const projection of [
      capabilityTimelineProjection,
      capabilityCountersProjection,
      supervisionsProjection,
    ]) {
      await rebuildProjection(api.pool, store, projection);
    }
    await projections.caughtUp();
    expect((await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`)).body).toEqual(
      before.body,
    );
    expect((await get(hr(tenant), '/capability/counters', { minStage: '0' })).body).toEqual(
      beforeCounters.body,
    );
  });

  it('lets only the roles that may read employment records see them', async () => {
    for (const role of ROLES) {
      const response = await get(as(tenant, role), `/capability/managers/${MANAGER}/timeline`);
      const allowed = ['regional-manager', 'hr', 'provider-admin', 'regulator'].includes(role);
      expect({ role, status: response.status }).toEqual({ role, status: allowed ? 200 : 403 });
    }
    const recorders = await post(as(tenant, 'regulator'), '/capability/reviews', {});
    expect(recorders.status).toBe(403);
  });

  it('lets a home manager read their own timeline and why, and refuses anyone else’s', async () => {
    const timeline = `/capability/managers/${MANAGER}/timeline`;
    const own = api.tokenFor({ tenantId: tenant, roles: ['home-manager'], managerId: MANAGER });
    const answer = await get(own, timeline);
    expect(answer.status).toBe(200);
    const entryId = (answer.body as { entries: { entryId: string }[] }).entries[0]!.entryId;
    expect((await get(own, `${timeline}/${entryId}/why`)).status).toBe(200);
    expect((await get(own, '/capability/counters')).status).toBe(403);
    expect((await get(own, '/capability/stages-by-region')).status).toBe(403);

    const other = api.tokenFor({ tenantId: tenant, roles: ['home-manager'], managerId: 'mgr-x' });
    const refused = await get(other, timeline);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toContain('only your own capability record (mgr-x)');
    expect((await get(other, `${timeline}/${entryId}/why`)).status).toBe(403);
  });

  it('shows another tenant nothing', async () => {
    const other = `other-${randomUUID().slice(0, 8)}`;
    // Another tenant's manager reads as one never appointed: 404, not an empty timeline.
    const timeline = await get(hr(other), `/capability/managers/${MANAGER}/timeline`);
    expect(timeline.status).toBe(404);
    expect(timeline.body.detail).toBe(`No manager ${MANAGER}`);
    expect((await get(hr(other), '/capability/counters')).body.counters).toEqual([]);
    const why = await get(hr(other), `/capability/managers/${MANAGER}/timeline/${STAGE_3}/why`);
    expect(why.status).toBe(404);
    const review = await post(hr(other), '/capability/reviews', {
      managerId: MANAGER,
      serviceId: HOME,
      indicatorCode: 'EDU',
      heldBy: 'hr-x',
      heldByRole: 'hr',
      heldOn: '2026-11-28',
      companionOffered: true,
      outcome: 'dismissed',
      reasons: 'x',
    });
    expect(review.status).toBe(404);
  });

  it('answers bad input with a problem naming the field, and stores nothing', async () => {
    const before = Number((await api.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const asOf = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`, {
      asOf: '2026-13-01',
    });
    expect(asOf.status).toBe(400);
    expect(asOf.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
    const entry = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline/nonsense/why`);
    expect(entry.status).toBe(400);
    expect(entry.body.errors).toEqual([expect.objectContaining({ field: 'entryId' })]);
    const review = await post(hr(tenant), '/capability/reviews', {
      managerId: MANAGER,
      serviceId: HOME,
      indicatorCode: 'EDU',
      heldBy: 'hr-sam',
      heldByRole: 'hr',
      heldOn: '2027-05-01',
      companionOffered: 'yes',
      outcome: 'mitigating-circumstances',
      reasons: 'x',
    });
    expect(review.status).toBe(400);
    expect(review.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(review.body.errors.map((e: { field: string }) => e.field)).toContain('companionOffered');
    const supervision = await post(regionalManager(tenant), '/supervisions', {
      superviseeId: MANAGER,
      supervisorId: 'rm-gwen',
      date: '2026-08-20',
      kind: 'one-to-one',
      capabilityItems: [
        { serviceId: 'no-such-home', indicatorCode: 'EDU' },
        { serviceId: HOME, indicatorCode: 'XYZ' },
      ],
    });
    expect(supervision.status).toBe(400);
    expect(supervision.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'capabilityItems[0].serviceId',
      'capabilityItems[1].indicatorCode',
    ]);
    expect(Number((await api.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(
      before,
    );
  });
});

describe('an amendment that withdraws Stage 2 and Stage 3, seen as of before and after', () => {
  it('withdraws the stages citing the amendment, and as-of shows what was believed before', async () => {
    const tenant = await seedStory();
    const amendedAt = new Date('2026-11-25T10:00:00Z');
    await created(
      regionalManager(tenant),
      `/services/${HOME}/returns/2026-09/amendments`,
      { values: { EDU: 92 }, reason: 'Exclusions were counted as absence' },
      amendedAt.toISOString(),
    );
    await projections.caughtUp();
    const amendment = (await get(regionalManager(tenant), `/services/${HOME}/returns/2026-09`)).body
      .history[1];

    const now = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`);
    expect(
      now.body.entries.map((e: { entryId: string; status: string }) => [e.entryId, e.status]),
    ).toEqual([
      [`${HOME}.EDU.2026-07.s1`, 'resolved'],
      [`${HOME}.EDU.2026-07.s2`, 'withdrawn'],
      [STAGE_3, 'withdrawn'],
      [`${HOME}.EDU.2026-10.s1`, 'open'],
    ]);
    const stage3 = now.body.entries[2];
    expect(stage3.withdrawal).toMatchObject({
      cause: {
        eventId: amendment.eventId,
        globalPosition: amendment.globalPosition,
        type: 'MonthlyReturnAmended',
      },
    });
    expect(stage3.withdrawal.explanation).toContain(
      `The 2026-09 return of ${HOME} was amended by user:rm-gwen (amendment 1).`,
    );
    // The reason can name people: the why opens it from the vault; the trail never quotes it.
    expect(stage3.withdrawal.explanation).not.toContain('Exclusions were counted as absence');
    expect((await get(hr(tenant), '/capability/counters')).body.counters).toEqual([
      expect.objectContaining({ stage: 1, consecutiveMisses: 1, runStart: '2026-10' }),
    ]);

    // As known just before the amendment was stored: the stages stood.
    const before = new Date(Date.parse(amendment.recordedAt) - 1).toISOString();
    const then = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`, {
      asOf: before,
    });
    expect(then.status).toBe(200);
    expect(
      then.body.entries.map((e: { entryId: string; status: string }) => [e.entryId, e.status]),
    ).toEqual([
      [`${HOME}.EDU.2026-07.s1`, 'escalated'],
      [`${HOME}.EDU.2026-07.s2`, 'escalated'],
      [STAGE_3, 'open'],
    ]);
    const whyThen = await get(
      hr(tenant),
      `/capability/managers/${MANAGER}/timeline/${STAGE_3}/why`,
      { asOf: before },
    );
    expect(
      whyThen.body.months.map((m: { period: string; value: number }) => [m.period, m.value]),
    ).toEqual([
      ['2026-07', 70],
      ['2026-08', 70],
      ['2026-09', 70],
      ['2026-10', 70],
    ]);
    expect(whyThen.body.months[2].return.history).toHaveLength(1); // the amendment came later
    const whyNow = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline/${STAGE_3}/why`);
    expect(whyNow.body.entry.status).toBe('withdrawn');
    expect(
      whyNow.body.months[2].return.history.map((h: { kind: string; value: number }) => [
        h.kind,
        h.value,
      ]),
    ).toEqual([
      ['submission', 70],
      ['amendment', 92],
    ]);
    const asOfYesterday = await get(hr(tenant), `/capability/managers/${MANAGER}/timeline`, {
      asOf: '2020-01-01',
    });
    expect(asOfYesterday.body.entries).toEqual([]);
  });
});
