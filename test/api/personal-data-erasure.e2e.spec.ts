import { randomUUID } from 'node:crypto';
import { DATA_PROTECTION_OFFICERS, ROLES, type Role } from '@kpi/domain';
import { EventTypeRegistry, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import type { Response } from 'supertest';
import {
  fixtureEvent,
  PROBLEM_JSON,
  startApiUnderTest,
  type ApiUnderTest,
} from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Personal data apart from the trail, over HTTP (docs/audit-trail.md#personal-data-and-erasure):
 * a complaint's summary, the complainant's name and contact and the response are kept encrypted
 * under the complainant's key; the data-protection officer erases the complainant; then no answer
 * holds them any more, the erasure is an event in the trail, and every chain still verifies.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('personal_data_erasure_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const as = (tenantId: string, role: Role) =>
  api.tokenFor({ tenantId, roles: [role], userId: `user:${role}-1` });

/** A request at a given moment (commands and queries read `now` from the test clock). */
async function at(moment: string, request: () => Promise<Response>): Promise<Response> {
  api.setNow(new Date(moment));
  try {
    return await request();
  } finally {
    api.setNow(null);
  }
}
const post = (token: string, path: string, body: object, moment = '2026-04-24T16:00:00Z') =>
  at(moment, () => api.http().post(path).set('Authorization', `Bearer ${token}`).send(body));
const get = (token: string, path: string, query: Record<string, string> = {}) =>
  at('2026-06-01T09:00:00Z', () =>
    api.http().get(path).query(query).set('Authorization', `Bearer ${token}`),
  );
async function created(token: string, path: string, body: object, moment?: string) {
  const response = await post(token, path, body, moment);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}

const Q1 = '2026-27 Q1';
const NAME = 'Ann Jones';
const CONTACT = '12 Acacia Avenue, 07700 900123';
const SUMMARY = 'Ann was not told that the placement plan for her son Tom had changed.';
const RESPONSE = 'We apologised to Ann; Tom’s plan is now shared within a day of any change.';
const PERSONAL = /Ann|Jones|Acacia|07700|Tom/;

let tenant: string;
let dataSubjectId: string;
let otherSubjectId: string;

beforeAll(async () => {
  tenant = `pd-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await created(admin, '/regions', { regionId: 'south', name: 'South', regionalManagerId: 'rm' });
  await created(admin, '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'south',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-01-01',
  });
  const manager = as(tenant, 'home-manager');
  const logged = await created(
    manager,
    '/complaints',
    {
      complaintId: 'cmp-ann',
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-02',
      category: 'communication',
      summary: SUMMARY,
      complainant: { relationship: 'parent', name: NAME, contact: CONTACT },
    },
    '2026-04-02T15:00:00Z',
  );
  dataSubjectId = logged.body.dataSubjectId as string;
  await created(manager, '/complaints/cmp-ann/response', {
    respondedOn: '2026-04-24',
    summary: RESPONSE,
    escalationRoute: 'The Local Government and Social Care Ombudsman',
    upheld: 'upheld',
  });
  const other = await created(
    manager,
    '/complaints',
    {
      complaintId: 'cmp-bob',
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-03',
      category: 'medication',
      summary: 'Medicines were given late on Sunday.',
      complainant: { relationship: 'social worker', name: 'Bob Smith' },
    },
    '2026-04-03T10:00:00Z',
  );
  otherSubjectId = other.body.dataSubjectId as string;
  await projections.caughtUp();
});

/** Every answer that can show a complaint of the tenant. */
async function everyAnswer() {
  const reader = as(tenant, 'regional-manager');
  return {
    complaint: await get(reader, '/complaints/cmp-ann'),
    list: await get(reader, '/complaints', { quarter: Q1 }),
    serviceList: await get(reader, '/complaints', { quarter: Q1, serviceId: 'ty-gwyn' }),
    report: await get(as(tenant, 'commissioner'), '/complaints/report', { quarter: Q1 }),
    csv: await get(reader, '/complaints/report.csv', { quarter: Q1 }),
    trail: await get(
      as(tenant, 'provider-admin'),
      `/audit/streams/${encodeURIComponent(`${tenant}:complaint:cmp-ann`)}/events`,
    ),
  };
}

const textOf = (response: Response) => response.text;

describe('before the erasure', () => {
  it('shows the texts to those who read complaints, with the complainant’s data subject id', async () => {
    const { complaint, list } = await everyAnswer();
    expect(complaint.status).toBe(200);
    expect(complaint.body).toEqual({
      complaintId: 'cmp-ann',
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-02',
      category: 'communication',
      dataSubjectId,
      summary: SUMMARY,
      complainant: { relationship: 'parent', name: NAME, contact: CONTACT },
      acknowledgementDueOn: '2026-04-07',
      acknowledgedOn: null,
      responseDueOn: '2026-04-27',
      response: {
        respondedOn: '2026-04-24',
        summary: RESPONSE,
        escalationRoute: 'The Local Government and Social Care Ombudsman',
        finding: 'upheld',
      },
      loggedBy: 'user:home-manager-1',
      loggedAt: '2026-04-02T15:00:00.000Z',
    });
    expect(list.body.complaints).toEqual([
      complaint.body,
      expect.objectContaining({ complaintId: 'cmp-bob', dataSubjectId: otherSubjectId }),
    ]);
  });

  it('keeps them out of the event log, the anonymised report and its CSV', async () => {
    const { report, csv, trail } = await everyAnswer();
    expect(trail.status).toBe(200);
    expect(trail.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ComplaintLogged',
      'ComplaintResponded',
    ]);
    for (const answer of [report, csv, trail]) expect(textOf(answer)).not.toMatch(PERSONAL);
    const [logged] = trail.body.events as { schemaVersion: number; data: { summary: object } }[];
    expect(logged).toMatchObject({
      schemaVersion: 2,
      data: { summary: { subjectId: dataSubjectId, ciphertextHash: expect.any(String) } },
    });
  });
});

describe('erasing a data subject', () => {
  const erasure = (subjectId: string) => `/data-subjects/${subjectId}/erasure`;

  it('is for the data-protection officer only: every other role is refused (403), nothing erased', async () => {
    const others = ROLES.filter((role) => !DATA_PROTECTION_OFFICERS.includes(role));
    expect(others.length).toBeGreaterThan(0);
    for (const role of others) {
      const refused = await post(as(tenant, role), erasure(dataSubjectId), {
        reason: 'consent-withdrawn',
      });
      expect({ role, status: refused.status }).toEqual({ role, status: 403 });
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    }
    expect((await get(as(tenant, 'home-manager'), '/complaints/cmp-ann')).body.summary).toBe(
      SUMMARY,
    );
  });

  it('needs a reason from the list (400 naming it), and a subject the organisation keeps (404)', async () => {
    const dpo = as(tenant, 'data-protection');
    for (const body of [{}, { reason: 'Ann asked' }, { reason: 7 }]) {
      const refused = await post(dpo, erasure(dataSubjectId), body);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ field: 'reason', reason: expect.stringContaining('one of') }),
      ]);
    }
    const unknown = await post(dpo, erasure(randomUUID()), { reason: 'consent-withdrawn' });
    expect(unknown.status).toBe(404);
    const elsewhere = as(`other-${randomUUID().slice(0, 8)}`, 'data-protection');
    const another = await post(elsewhere, erasure(dataSubjectId), { reason: 'consent-withdrawn' });
    expect(another.status).toBe(404);
    expect((await get(as(tenant, 'home-manager'), '/complaints/cmp-ann')).body.summary).toBe(
      SUMMARY,
    );
  });

  describe('done by the data-protection officer', () => {
    const idempotencyKey = `erasure-${randomUUID()}`;
    const erase = () =>
      at('2026-05-11T09:30:00Z', () =>
        api
          .http()
          .post(erasure(dataSubjectId))
          .set('Authorization', `Bearer ${as(tenant, 'data-protection')}`)
          .set('Idempotency-Key', idempotencyKey)
          .send({ reason: 'consent-withdrawn' }),
      );
    let erased: Response;
    beforeAll(async () => {
      erased = await erase();
      await projections.caughtUp();
    });

    it('answers when, and records it in the trail with nothing personal', async () => {
      expect(erased.status).toBe(201);
      expect(erased.body).toEqual({
        streamId: `${tenant}:data-subject:${dataSubjectId}`,
        subjectId: dataSubjectId,
        reason: 'consent-withdrawn',
        erasedAt: '2026-05-11T09:30:00.000Z',
        erasedOn: '2026-05-11',
        replayed: false,
      });
      const trail = await get(
        as(tenant, 'provider-admin'),
        `/audit/streams/${encodeURIComponent(erased.body.streamId as string)}/events`,
      );
      expect(trail.body.events).toEqual([
        expect.objectContaining({
          type: 'DataSubjectErased',
          data: {
            subjectId: dataSubjectId,
            reason: 'consent-withdrawn',
            erasedBy: 'user:data-protection-1',
            erasedAt: '2026-05-11T09:30:00.000Z',
          },
          metadata: expect.objectContaining({ actor: 'user:data-protection-1' }) as object,
        }),
      ]);
    });

    it('leaves the details in no answer: complaint, lists, report, CSV, trail', async () => {
      const answers = await everyAnswer();
      for (const [name, answer] of Object.entries(answers)) {
        expect({ name, status: answer.status }).toEqual({ name, status: 200 });
        expect({ name, text: textOf(answer) }).toEqual({
          name,
          text: expect.not.stringMatching(PERSONAL) as string,
        });
      }
      const gone = { erasedOn: '2026-05-11' };
      expect(answers.complaint.body).toMatchObject({
        complaintId: 'cmp-ann',
        dataSubjectId,
        summary: gone,
        complainant: { relationship: 'parent', name: gone, contact: gone },
        response: { summary: gone, finding: 'upheld', respondedOn: '2026-04-24' },
      });
      expect(answers.list.body.complaints[0]).toEqual(answers.complaint.body);
    });

    it('leaves other complainants as they were', async () => {
      const bob = await get(as(tenant, 'regulator'), '/complaints/cmp-bob');
      expect(bob.body).toMatchObject({
        summary: 'Medicines were given late on Sunday.',
        complainant: { name: 'Bob Smith', contact: null },
      });
    });

    it('leaves every chain verifying: the events hold a hash of each ciphertext, not the text', async () => {
      for (const streamId of [
        `${tenant}:complaint:cmp-ann`,
        `${tenant}:data-subject:${dataSubjectId}`,
      ]) {
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

    it('is done once: again is 409 naming the day; the same request retried is not a second', async () => {
      const again = await post(as(tenant, 'data-protection'), erasure(dataSubjectId), {
        reason: 'no-longer-needed',
      });
      expect(again.status).toBe(409);
      expect(again.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(again.body.detail).toBe(`Data subject ${dataSubjectId} was erased on 2026-05-11`);
      const retried = await erase();
      expect(retried.status).toBe(201);
      expect(retried.body).toEqual({ ...erased.body, replayed: true });
      const trail = await api.store.readStream(`${tenant}:data-subject:${dataSubjectId}`);
      expect(trail).toHaveLength(1);
    });

    it('keeps nothing new about the erased complainant: a complaint naming them is 409', async () => {
      const refused = await post(as(tenant, 'home-manager'), '/complaints', {
        complaintId: 'cmp-ann-again',
        serviceId: 'ty-gwyn',
        receivedOn: '2026-04-20',
        category: 'other',
        summary: 'Ann Jones complains again.',
        complainant: { subjectId: dataSubjectId },
      });
      expect(refused.status).toBe(409);
      const stream = await api.store.readStream(`${tenant}:complaint:cmp-ann-again`);
      expect(stream).toEqual([]);
    });
  });
});

describe('a complaint logged before personal data was kept apart', () => {
  it('is read with its summary as stored (schema version 1), and no data subject', async () => {
    const olderWriter = new PostgresEventStore(
      api.pool,
      new EventTypeRegistry([{ type: 'ComplaintLogged', schemaVersion: 1 }]),
    );
    const legacy = `${tenant}:complaint:cmp-legacy`;
    await olderWriter.append(
      legacy,
      [
        {
          ...fixtureEvent(tenant),
          type: 'ComplaintLogged',
          data: {
            complaintId: 'cmp-legacy',
            serviceId: 'ty-gwyn',
            receivedOn: '2026-04-01',
            category: 'other',
            summary: 'Logged before the vault',
            complainant: { relationship: null },
            acknowledgementDueOn: '2026-04-02',
            responseDueOn: '2026-04-23',
            loggedBy: 'user:mgr',
            loggedAt: '2026-04-01T09:00:00.000Z',
          },
        },
      ],
      'no-stream',
    );
    await projections.caughtUp();
    const reader = as(tenant, 'home-manager');
    expect((await get(reader, '/complaints/cmp-legacy')).body).toMatchObject({
      dataSubjectId: null,
      summary: 'Logged before the vault',
      complainant: { relationship: null, name: null, contact: null },
    });
    const list = await get(reader, '/complaints', { quarter: Q1 });
    expect(list.body.complaints.map((c: { complaintId: string }) => c.complaintId)).toEqual([
      'cmp-legacy',
      'cmp-ann',
      'cmp-bob',
    ]);
    // Its response is sealed under a data subject of its own, which the complaint then shows.
    await created(reader, '/complaints/cmp-legacy/response', {
      respondedOn: '2026-04-22',
      summary: 'Answered after the vault came',
      escalationRoute: 'The Ombudsman',
      upheld: 'not-upheld',
    });
    const answered = (await get(reader, '/complaints/cmp-legacy')).body;
    expect(answered).toMatchObject({
      dataSubjectId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      response: { summary: 'Answered after the vault came' },
    });
  });
});

describe('reading complaints', () => {
  it('is for complaint readers: 403 for a commissioner, 404 for another tenant’s complaint or service', async () => {
    expect((await get(as(tenant, 'commissioner'), '/complaints/cmp-bob')).status).toBe(403);
    expect((await get(as(tenant, 'hr'), '/complaints', { quarter: Q1 })).status).toBe(403);
    const outsider = as(`other-${randomUUID().slice(0, 8)}`, 'provider-admin');
    expect((await get(outsider, '/complaints/cmp-bob')).status).toBe(404);
    const otherService = await get(outsider, '/complaints', { quarter: Q1, serviceId: 'ty-gwyn' });
    expect(otherService.status).toBe(404);
    expect((await get(outsider, '/complaints', { quarter: Q1 })).body).toEqual({
      quarter: Q1,
      complaints: [],
    });
    const bad = await get(as(tenant, 'regulator'), '/complaints', { quarter: 'Q1' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'quarter' })]);
  });
});
