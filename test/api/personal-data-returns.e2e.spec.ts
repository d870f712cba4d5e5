import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { EventTypeRegistry, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Response } from 'supertest';
import { fixtureEvent, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Personal text kept apart from the trail, over HTTP, beyond complaints: an amendment's reason
 * (under a data subject of its own), a compliment's summary (under its own, or the one named)
 * and a leaver's reason (under their staff id). The data-protection officer finds the subject
 * in the return's history and erases it; then the history, the capability why (API and page)
 * say when it was erased, and every chain still verifies. Events stored before keep their text.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('personal_data_returns_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const as = (tenantId: string, role: Role, userId = `user:${role}-1`) =>
  api.tokenFor({ tenantId, roles: [role], userId });

/** A request at a given moment (commands and queries read `now` from the test clock). */
async function at(moment: string, request: () => Promise<Response>): Promise<Response> {
  api.setNow(new Date(moment));
  try {
    return await request();
  } finally {
    api.setNow(null);
  }
}
async function created(token: string, path: string, body: object, moment: string) {
  const response = await at(moment, () =>
    api.http().post(path).set('Authorization', `Bearer ${token}`).send(body),
  );
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}
const get = (token: string, path: string) =>
  at('2026-06-01T09:00:00Z', () => api.http().get(path).set('Authorization', `Bearer ${token}`));
const trail = (tenant: string, streamId: string) =>
  get(as(tenant, 'provider-admin'), `/audit/streams/${encodeURIComponent(streamId)}/events`);

const HOME = 'plas-newydd';
const MANAGER = 'mgr-siwan';
const ENTRY = `${HOME}.EDU.2026-03.s1`;
const REASON = 'Tom Evans was excluded on 3 March and recorded as attending';
const OTHER_REASON = 'Recounted after the audit';
const PERSONAL = /Tom|Evans/;
const ERASED = { erasedOn: '2026-05-11' };

let tenant: string;
let marchStream: string;

/** plas-newydd, managed by mgr-siwan, misses EDU in March 2026; the March return amended twice. */
beforeAll(async () => {
  tenant = `pdr-${randomUUID().slice(0, 8)}`;
  marchStream = `${tenant}:monthly-return:${HOME}:2026-03`;
  const admin = as(tenant, 'provider-admin');
  const before = '2025-12-01T09:00:00Z';
  await created(
    admin,
    '/regions',
    { regionId: 'north', name: 'North', regionalManagerId: 'rm-gwen' },
    before,
  );
  await created(admin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2026-01' }, before);
  await created(
    admin,
    '/services',
    {
      serviceId: HOME,
      name: 'Plas Newydd',
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2026-01-01',
    },
    before,
  );
  await created(
    admin,
    `/services/${HOME}/manager-appointments`,
    { managerId: MANAGER, from: '2026-01-01' },
    before,
  );
  const rm = as(tenant, 'regional-manager', 'user:rm-gwen');
  for (const [period, edu] of [
    ['2026-01', 93],
    ['2026-02', 93],
    ['2026-03', 70],
  ] as const) {
    const month = Number(period.slice(5)) + 1;
    await created(
      rm,
      `/services/${HOME}/returns`,
      { period, values: { ...allMet, EDU: edu } },
      `2026-0${month}-12T10:00:00Z`,
    );
  }
  const amendments = `/services/${HOME}/returns/2026-03/amendments`;
  await created(rm, amendments, { values: { EDU: 72 }, reason: REASON }, '2026-04-20T10:00:00Z');
  await created(
    rm,
    amendments,
    { values: { EDU: 74 }, reason: OTHER_REASON },
    '2026-04-21T10:00:00Z',
  );
  await projections.caughtUp();
});

/** Every answer that shows the March amendments' reasons. */
async function everyAnswer() {
  const hr = as(tenant, 'hr');
  const why = `/capability/managers/${MANAGER}/timeline/${ENTRY}/why`;
  return {
    history: await get(as(tenant, 'regional-manager'), `/services/${HOME}/returns/2026-03`),
    why: await get(hr, why),
    page: await get(hr, `/app${why}`),
  };
}
const amendmentsOf = (history: Response) =>
  (history.body.history as { kind: string; reason: unknown; dataSubjectId: string | null }[])
    .filter((entry) => entry.kind === 'amendment')
    .map(({ reason, dataSubjectId }) => ({ reason, dataSubjectId }));
const whyReasons = (why: Response) =>
  (why.body.months as { return: { history: { reason: unknown }[] } }[]).flatMap((month) =>
    month.return.history.map((entry) => entry.reason),
  );

describe("an amendment's reason", () => {
  let subjectId: string;

  it('is shown in the history with its own data subject, which the data-protection officer can read', async () => {
    const { history } = await everyAnswer();
    expect(history.status).toBe(200);
    const [first, second] = amendmentsOf(history);
    expect(first).toEqual({ reason: REASON, dataSubjectId: expect.any(String) as string });
    expect(second!.reason).toBe(OTHER_REASON);
    expect(second!.dataSubjectId).not.toBe(first!.dataSubjectId);
    subjectId = first!.dataSubjectId!;
    const dpo = await get(as(tenant, 'data-protection'), `/services/${HOME}/returns/2026-03`);
    expect(dpo.status).toBe(200);
    expect(amendmentsOf(dpo)[0]!.dataSubjectId).toBe(subjectId);
  });

  it('is shown in the why, API and page', async () => {
    const { why, page } = await everyAnswer();
    expect(why.status).toBe(200);
    expect(whyReasons(why)).toEqual([null, REASON, OTHER_REASON]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Amended: “Tom Evans was excluded on 3 March');
  });

  it('is in no event: the return’s stream holds a sealed reference, the capability trail no quote', async () => {
    const returns = await trail(tenant, marchStream);
    expect(returns.status).toBe(200);
    expect(returns.text).not.toMatch(PERSONAL);
    expect(returns.body.events[1]).toMatchObject({
      type: 'MonthlyReturnAmended',
      schemaVersion: 2,
      data: { reason: { subjectId, ciphertextHash: expect.any(String) as string } },
    });
    const { rows } = await api.pool.query<{ data: unknown }>(
      "SELECT data FROM events WHERE tenant_id = $1 AND stream_id LIKE '%:capability:%'",
      [tenant],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/Tom|Evans|Recounted/);
    const readModel = await api.pool.query(
      'SELECT * FROM rm_monthly_returns WHERE tenant_id = $1',
      [tenant],
    );
    expect(JSON.stringify(readModel.rows)).not.toMatch(PERSONAL);
  });

  describe('once its data subject is erased', () => {
    let erasure: Response;
    beforeAll(async () => {
      erasure = await at('2026-05-11T09:30:00Z', () =>
        api
          .http()
          .post(`/data-subjects/${subjectId}/erasure`)
          .set('Authorization', `Bearer ${as(tenant, 'data-protection')}`)
          .send({ reason: 'objection-upheld' }),
      );
      await projections.caughtUp();
    });

    it('reads as erased on the day in the history, the why and its page; the other reason stays', async () => {
      expect(erasure.status).toBe(201);
      const answers = await everyAnswer();
      for (const [name, answer] of Object.entries(answers)) {
        expect({ name, status: answer.status }).toEqual({ name, status: 200 });
        expect({ name, text: answer.text }).toEqual({
          name,
          text: expect.not.stringMatching(PERSONAL) as string,
        });
      }
      expect(amendmentsOf(answers.history)).toEqual([
        { reason: ERASED, dataSubjectId: subjectId },
        { reason: OTHER_REASON, dataSubjectId: expect.any(String) as string },
      ]);
      expect(whyReasons(answers.why)).toEqual([null, ERASED, OTHER_REASON]);
      expect(answers.page.text).toContain('Amended: the reason was erased on 11 May 2026');
      expect(answers.page.text).toContain('Amended: “Recounted after the audit”');
    });

    it('leaves every chain verifying', async () => {
      for (const streamId of [marchStream, `${tenant}:data-subject:${subjectId}`]) {
        const verification = await get(
          as(tenant, 'regulator'),
          `/audit/streams/${encodeURIComponent(streamId)}/verification`,
        );
        expect({ streamId, body: verification.body }).toMatchObject({
          streamId,
          body: { brokenLinks: [] },
        });
      }
      expect((await api.store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
    });
  });

  it('stored at schema version 1 is read with its reason as text and no data subject', async () => {
    const januaryStream = `${tenant}:monthly-return:${HOME}:2026-01`;
    const [submission] = await api.store.readStream(januaryStream);
    const olderWriter = new PostgresEventStore(
      api.pool,
      new EventTypeRegistry([{ type: 'MonthlyReturnAmended', schemaVersion: 1 }]),
    );
    await olderWriter.append(
      januaryStream,
      [
        {
          ...fixtureEvent(tenant),
          type: 'MonthlyReturnAmended',
          data: {
            ...(submission!.data as Record<string, unknown>),
            amendmentNumber: 1,
            changes: {},
            reason: 'Amended before the vault',
            amendedBy: 'user:rm-gwen',
            amendedAt: '2026-02-20T10:00:00.000Z',
          },
        },
      ],
      1,
    );
    await projections.caughtUp();
    const history = await get(as(tenant, 'hr'), `/services/${HOME}/returns/2026-01`);
    expect(history.status).toBe(200);
    expect(amendmentsOf(history)).toEqual([
      { reason: 'Amended before the vault', dataSubjectId: null },
    ]);
  });
});

describe("a compliment's summary", () => {
  it('is kept under a data subject of its own, named in the answer, and erased with it', async () => {
    const manager = as(tenant, 'home-manager');
    const logged = await created(
      manager,
      '/compliments',
      {
        complimentId: 'cpl-1',
        serviceId: HOME,
        receivedOn: '2026-04-03',
        summary: 'Ann Jones thanked Sam on nights',
      },
      '2026-04-24T16:00:00Z',
    );
    const subjectId = logged.body.dataSubjectId as string;
    expect(subjectId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await created(
      manager,
      '/compliments',
      {
        complimentId: 'cpl-2',
        serviceId: HOME,
        receivedOn: '2026-04-04',
        summary: 'Ann Jones again',
        subjectId,
      },
      '2026-04-24T16:00:00Z',
    );
    expect(again.body.dataSubjectId).toBe(subjectId);
    const stream = `${tenant}:compliment:cpl-1`;
    const events = await trail(tenant, stream);
    expect(events.text).not.toMatch(/Ann|Jones|Sam/);
    expect(events.body.events[0]).toMatchObject({
      schemaVersion: 2,
      data: { subjectId, summary: { subjectId } },
    });
    const erased = await created(
      as(tenant, 'data-protection'),
      `/data-subjects/${subjectId}/erasure`,
      { reason: 'consent-withdrawn' },
      '2026-05-11T09:30:00Z',
    );
    expect(erased.body).toMatchObject({ subjectId, erasedOn: '2026-05-11' });
    const refused = await at('2026-05-12T09:00:00Z', () =>
      api
        .http()
        .post('/compliments')
        .set('Authorization', `Bearer ${manager}`)
        .send({ serviceId: HOME, receivedOn: '2026-05-01', summary: 'Ann once more', subjectId }),
    );
    expect(refused.status).toBe(409);
    expect((await api.store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
  });
});

describe("a leaver's reason", () => {
  it('is kept under their staff id, and erased with them', async () => {
    const hr = as(tenant, 'hr');
    await created(
      hr,
      '/staff',
      { staffId: 'cw-alys', serviceId: HOME, role: 'care-worker', startedOn: '2026-01-05' },
      '2026-04-01T09:00:00Z',
    );
    await created(
      hr,
      '/staff/cw-alys/leaving',
      { leftOn: '2026-03-31', reason: 'Left after a grievance against Gareth Price' },
      '2026-04-01T09:00:00Z',
    );
    const events = await trail(tenant, `${tenant}:staff:cw-alys`);
    expect(events.text).not.toMatch(/grievance|Gareth/);
    expect(events.body.events[1]).toMatchObject({
      type: 'StaffMemberLeft',
      schemaVersion: 2,
      data: { leftOn: '2026-03-31', reason: { subjectId: 'cw-alys' } },
    });
    const erased = await created(
      as(tenant, 'data-protection'),
      '/data-subjects/cw-alys/erasure',
      { reason: 'no-longer-needed' },
      '2026-05-11T09:30:00Z',
    );
    expect(erased.body).toMatchObject({ subjectId: 'cw-alys', erasedOn: '2026-05-11' });
    expect((await api.store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
  });
});
