import { randomUUID } from 'node:crypto';
import { EventTypeRegistry, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Response } from 'supertest';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The reasons of capability reviews and appeals apart from the trail, over HTTP
 * (docs/decisions/0032): they are kept encrypted under the manager's key (the manager id is their
 * data subject id); the data-protection officer erases the manager; then the timeline and its
 * "why" — API and pages — say when they were erased instead, and every chain still verifies.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('personal_data_capability_e2e');
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  projections = await startProjections(api.pool, store);
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const MANAGER = 'mgr-siwan';
const HOME = 'plas-newydd';
const STAGE_3 = `${HOME}.EDU.2026-07.s3`;
const TIMELINE = `/capability/managers/${MANAGER}/timeline`;
const WHY = `${TIMELINE}/${STAGE_3}/why`;
const REVIEW_REASONS =
  'Siwan’s father died in August; Ffion and Tom were out of school after a move.';
const APPEAL_REASONS =
  'Siwan says the review did not weigh her bereavement; the record shows it did.';
const PERSONAL = /Siwan’s|Ffion|\bTom\b|bereavement/;
const LEGACY_REASONS = 'Recorded before reasons were kept apart.';

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const hr = (tenantId: string) => api.tokenFor({ tenantId, roles: ['hr'], userId: 'user:hr-sam' });
const dpo = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['data-protection'], userId: 'user:dpo-1' });

async function post(token: string, path: string, body: object, at: string): Promise<Response> {
  api.setNow(new Date(at));
  try {
    return await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  } finally {
    api.setNow(null);
  }
}
async function created(token: string, path: string, body: object, at: string) {
  const response = await post(token, path, body, at);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

/** plas-newydd, managed by mgr-siwan, misses EDU from July to October 2026: Stage 3. */
async function seedStory(): Promise<string> {
  const tenant = `pdc-${randomUUID().slice(0, 8)}`;
  await created(
    admin(tenant),
    '/regions',
    { regionId: 'north-wales', name: 'North Wales', regionalManagerId: 'rm-gwen' },
    '2025-12-01T09:00:00Z',
  );
  await created(
    admin(tenant),
    '/frameworks/presets/childrens-homes',
    { effectiveFrom: '2026-01' },
    '2025-12-01T09:00:00Z',
  );
  await created(
    admin(tenant),
    '/services',
    {
      serviceId: HOME,
      name: 'Plas Newydd',
      regionId: 'north-wales',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2026-01-01',
    },
    '2025-12-01T09:00:00Z',
  );
  await created(
    admin(tenant),
    `/services/${HOME}/manager-appointments`,
    { managerId: MANAGER, from: '2026-01-01' },
    '2025-12-01T09:00:00Z',
  );
  const rm = api.tokenFor({
    tenantId: tenant,
    roles: ['regional-manager'],
    userId: 'user:rm-gwen',
  });
  for (let month = 1; month <= 10; month++) {
    const period = `2026-${String(month).padStart(2, '0')}`;
    await created(
      rm,
      `/services/${HOME}/returns`,
      { period, values: { ...allMet, EDU: month >= 7 ? 70 : 93 } },
      `2026-${String(month + 1).padStart(2, '0')}-12T10:00:00Z`,
    );
  }
  return tenant;
}

let tenant: string;
let reviewId: string;

beforeAll(async () => {
  tenant = await seedStory();
  await projections.caughtUp();
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
      reasons: REVIEW_REASONS,
    },
    '2026-11-28T15:00:00Z',
  );
  reviewId = review.body.reviewId as string;
  await created(
    hr(tenant),
    '/capability/appeals',
    {
      managerId: MANAGER,
      serviceId: HOME,
      indicatorCode: 'EDU',
      against: { reviewId },
      heardBy: 'director-ola',
      heardOn: '2026-12-02',
      outcome: 'not-upheld',
      reasons: APPEAL_REASONS,
    },
    '2026-12-02T16:00:00Z',
  );
  await projections.caughtUp();
});

/** Every answer that shows the reasons: the timeline and the why, as the API and the pages give them. */
async function everyAnswer() {
  return {
    timeline: await get(hr(tenant), TIMELINE),
    why: await get(hr(tenant), WHY, { verify: 'true' }),
    timelinePage: await get(hr(tenant), `/app${TIMELINE}`),
    whyPage: await get(hr(tenant), `/app${WHY}`),
  };
}

/** The rows of a page's reviews-and-appeals table, as text. */
const reviewRows = (html: string): string[] =>
  [...html.matchAll(/<tr[^>]*data-review="[^"]+"[^>]*>([\s\S]*?)<\/tr>/g)].map((match) =>
    match[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

describe('before the manager is erased', () => {
  it('shows the reasons, with the manager as the data subject they are kept under', async () => {
    const { timeline, why } = await everyAnswer();
    expect(timeline.status).toBe(200);
    const stage3 = (
      timeline.body.entries as { entryId: string; reviews: object[]; appeals: object[] }[]
    ).find((e) => e.entryId === STAGE_3)!;
    expect(stage3.reviews).toEqual([
      expect.objectContaining({ reviewId, reasons: REVIEW_REASONS, dataSubjectId: MANAGER }),
    ]);
    expect(stage3.appeals).toEqual([
      expect.objectContaining({ reasons: APPEAL_REASONS, dataSubjectId: MANAGER }),
    ]);
    expect(why.status).toBe(200);
    expect(why.body.reviews).toEqual(stage3.reviews);
    expect(why.body.appeals).toEqual(stage3.appeals);
  });

  it('shows them on the timeline and why pages', async () => {
    const { timelinePage, whyPage } = await everyAnswer();
    expect(timelinePage.status).toBe(200);
    expect(reviewRows(timelinePage.text)).toEqual([
      expect.stringContaining(
        `Stage 3 review held by hr-sam on 2026-11-28 mitigating-circumstances ${REVIEW_REASONS}`,
      ),
      expect.stringContaining('Appeal heard by director-ola on 2026-12-02 not-upheld'),
    ]);
    expect(whyPage.status).toBe(200);
    expect(reviewRows(whyPage.text).join('\n')).toContain(APPEAL_REASONS);
  });

  it('keeps them out of the event log and the timeline read model', async () => {
    const events = await store.readStream(`${tenant}:capability:${MANAGER}:${HOME}:EDU`);
    const recorded = events.filter(
      (e) => e.type === 'CapabilityReviewRecorded' || e.type === 'CapabilityAppealRecorded',
    );
    expect(recorded).toHaveLength(2);
    for (const event of recorded) {
      expect(event).toMatchObject({
        schemaVersion: 2,
        data: { reasons: { subjectId: MANAGER, ciphertextHash: expect.any(String) } },
      });
    }
    expect(JSON.stringify(events)).not.toMatch(PERSONAL);
    const { rows } = await api.pool.query(
      'SELECT events::text AS events FROM rm_capability_timeline WHERE tenant_id = $1',
      [tenant],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows as { events: string }[]) {
      expect(row.events).not.toMatch(PERSONAL);
      expect(row.events).not.toContain('ciphertextHash');
    }
  });
});

describe('a review recorded before reasons were kept apart (schema version 1)', () => {
  it('is read with its reasons as stored, and no data subject', async () => {
    const streamId = `${tenant}:capability:${MANAGER}:${HOME}:EDU`;
    const [sealed] = (await store.readStream(streamId)).filter(
      (e) => e.type === 'CapabilityReviewRecorded',
    );
    const olderWriter = new PostgresEventStore(
      api.pool,
      new EventTypeRegistry([{ type: 'CapabilityReviewRecorded', schemaVersion: 1 }]),
    );
    await olderWriter.append(
      streamId,
      [
        {
          eventId: randomUUID(),
          type: 'CapabilityReviewRecorded',
          data: {
            ...(sealed!.data as object),
            reviewId: randomUUID(),
            heldOn: '2026-12-05',
            reasons: LEGACY_REASONS,
            recordedAt: '2026-12-05T10:00:00.000Z',
          },
          metadata: { ...sealed!.metadata, commandId: randomUUID() },
        },
      ],
      await store.streamVersion(streamId),
    );
    await projections.caughtUp();
    const why = await get(hr(tenant), WHY);
    expect(why.status).toBe(200);
    expect(why.body.reviews).toEqual([
      expect.objectContaining({ reasons: REVIEW_REASONS, dataSubjectId: MANAGER }),
      expect.objectContaining({ reasons: LEGACY_REASONS, dataSubjectId: null }),
    ]);
  });
});

describe('erasing the manager', () => {
  let erased: Response;
  beforeAll(async () => {
    erased = await post(
      dpo(tenant),
      `/data-subjects/${MANAGER}/erasure`,
      { reason: 'no-longer-needed' },
      '2026-12-10T09:30:00Z',
    );
    await projections.caughtUp();
  });

  it('is done by the data-protection officer, with the manager id as the subject', () => {
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({
      subjectId: MANAGER,
      erasedOn: '2026-12-10',
      replayed: false,
    });
  });

  it('leaves the reasons in no answer: timeline and why say when they were erased', async () => {
    const answers = await everyAnswer();
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, status: answer.status }).toEqual({ name, status: 200 });
      expect({ name, text: answer.text }).toEqual({
        name,
        text: expect.not.stringMatching(PERSONAL) as string,
      });
    }
    const gone = { erasedOn: '2026-12-10' };
    expect(answers.why.body.reviews).toEqual([
      expect.objectContaining({ reviewId, reasons: gone, dataSubjectId: MANAGER }),
      // Stored as text before the vault: it stays as it was (it cannot be erased).
      expect.objectContaining({ reasons: LEGACY_REASONS, dataSubjectId: null }),
    ]);
    expect(answers.why.body.appeals).toEqual([
      expect.objectContaining({ reasons: gone, dataSubjectId: MANAGER }),
    ]);
    const stage3 = (answers.timeline.body.entries as { entryId: string }[]).find(
      (e) => e.entryId === STAGE_3,
    );
    expect(stage3).toMatchObject({
      reviews: answers.why.body.reviews,
      appeals: answers.why.body.appeals,
    });
    for (const page of [answers.timelinePage, answers.whyPage]) {
      const rows = reviewRows(page.text);
      expect(rows).toHaveLength(3);
      expect(rows.filter((row) => row.includes('erased on 10 December 2026'))).toHaveLength(2);
    }
  });

  it('leaves every chain verifying', async () => {
    const why = await get(hr(tenant), WHY, { verify: 'true' });
    expect(why.body.verification).toMatchObject({ brokenLinks: [] });
    expect((await store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
  });

  it('keeps nothing new about the manager: another review is refused (409), nothing written', async () => {
    const streamId = `${tenant}:capability:${MANAGER}:${HOME}:EDU`;
    const before = await store.streamVersion(streamId);
    const refused = await post(
      hr(tenant),
      '/capability/reviews',
      {
        managerId: MANAGER,
        serviceId: HOME,
        indicatorCode: 'EDU',
        heldBy: 'hr-sam',
        heldByRole: 'hr',
        heldOn: '2026-12-11',
        companionOffered: true,
        outcome: 'standards-met',
        reasons: 'Siwan met the standard.',
      },
      '2026-12-11T15:00:00Z',
    );
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(await store.streamVersion(streamId)).toBe(before);
  });
});
