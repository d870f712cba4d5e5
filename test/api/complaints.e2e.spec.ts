import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import jwt from 'jsonwebtoken';
import {
  JWT_SECRET,
  PROBLEM_JSON,
  startApiUnderTest,
  type ApiUnderTest,
} from './support/api-under-test';

/**
 * Complaints over HTTP (docs/rules/complaints.md): the due dates count working days on the
 * England & Wales calendar, a response must say how to escalate, only the tenant's recorders
 * may post, and another tenant's complaint does not exist for the caller.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('complaints_e2e');
});
afterAll(() => api?.close());

const as = (tenantId: string, role: Role = 'home-manager') =>
  api.tokenFor({ tenantId, roles: [role], userId: 'user:mgr-siwan' });

/** POSTs at a given moment (commands read `now` from the test clock). */
async function post(token: string, path: string, body: object, at = '2026-04-02T15:00:00Z') {
  api.setNow(new Date(at));
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

const HOME = 'ty-gwyn';

async function tenantWithHome(): Promise<string> {
  const tenant = `cmp-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await created(admin, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(admin, '/services', {
    serviceId: HOME,
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-01-01',
  });
  return tenant;
}

const complaint = (complaintId: string) => ({
  complaintId,
  serviceId: HOME,
  receivedOn: '2026-04-02',
  category: 'communication',
  summary: 'Not told that the placement plan had changed.',
  complainant: { relationship: 'parent' },
});
const response = {
  respondedOn: '2026-04-24',
  summary: 'We apologised; the plan is now shared with parents within a day of any change.',
  escalationRoute: 'The Local Government and Social Care Ombudsman: www.lgo.org.uk',
  upheld: 'partly-upheld',
};

describe('complaints over HTTP', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await tenantWithHome();
  });

  it('works out the due dates over Easter: received Thursday 2026-04-02, acknowledged by 04-07, answered by 04-27', async () => {
    const logged = await created(as(tenant), '/complaints', complaint('cmp-easter'));
    expect(logged.body).toEqual({
      streamId: `${tenant}:complaint:cmp-easter`,
      complaintId: 'cmp-easter',
      dataSubjectId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      receivedOn: '2026-04-02',
      acknowledgementDueOn: '2026-04-07',
      responseDueOn: '2026-04-27',
      replayed: false,
    });
    const [stored] = await api.store.readStream(`${tenant}:complaint:cmp-easter`);
    expect(stored).toMatchObject({
      type: 'ComplaintLogged',
      metadata: { tenantId: tenant, actor: 'user:mgr-siwan' },
      data: {
        acknowledgementDueOn: '2026-04-07',
        responseDueOn: '2026-04-27',
        complainant: { subjectId: logged.body.dataSubjectId, relationship: 'parent' },
        loggedAt: '2026-04-02T15:00:00.000Z',
      },
    });
  });

  it('is acknowledged and answered once, the answer saying how to escalate', async () => {
    await created(as(tenant), '/complaints', complaint('cmp-answered'));
    const ack = await created(
      as(tenant),
      '/complaints/cmp-answered/acknowledgement',
      { acknowledgedOn: '2026-04-07' },
      '2026-04-07T10:00:00Z',
    );
    expect(ack.body).toMatchObject({ complaintId: 'cmp-answered', acknowledgedOn: '2026-04-07' });
    const answered = await created(
      as(tenant, 'regional-manager'),
      '/complaints/cmp-answered/response',
      response,
      '2026-04-24T16:00:00Z',
    );
    expect(answered.body).toMatchObject({
      streamId: `${tenant}:complaint:cmp-answered`,
      respondedOn: '2026-04-24',
      upheld: 'partly-upheld',
    });
    const again = await post(
      as(tenant),
      '/complaints/cmp-answered/response',
      response,
      '2026-04-25T09:00:00Z',
    );
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('refuses a response without escalationRoute (400 naming it) and stores nothing', async () => {
    await created(as(tenant), '/complaints', complaint('cmp-no-route'));
    const { escalationRoute: _left, ...withoutRoute } = response;
    for (const body of [withoutRoute, { ...response, escalationRoute: '' }]) {
      const refused = await post(
        as(tenant),
        '/complaints/cmp-no-route/response',
        body,
        '2026-04-24T16:00:00Z',
      );
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({
          field: 'escalationRoute',
          reason: expect.stringContaining('how to escalate') as string,
        }),
      ]);
    }
    const blank = await post(
      as(tenant),
      '/complaints/cmp-no-route/response',
      { ...response, escalationRoute: '   ' },
      '2026-04-24T16:00:00Z',
    );
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'escalationRoute' })]);
    const stored = await api.store.readStream(`${tenant}:complaint:cmp-no-route`);
    expect(stored.map((e) => e.type)).toEqual(['ComplaintLogged']);
  });

  it("keeps a complainant's name and contact details, and the summary, out of the event log (sealed, erasable)", async () => {
    const logged = await created(as(tenant), '/complaints', {
      ...complaint('cmp-personal'),
      complainant: { name: 'Ann Jones', relationship: 'parent', contact: 'ann@example.org' },
    });
    const [stored] = await api.store.readStream(`${tenant}:complaint:cmp-personal`);
    expect(stored!.data).toMatchObject({
      complainant: {
        subjectId: logged.body.dataSubjectId,
        relationship: 'parent',
        name: { subjectId: logged.body.dataSubjectId },
        contact: { subjectId: logged.body.dataSubjectId },
      },
      summary: { subjectId: logged.body.dataSubjectId },
    });
    expect(JSON.stringify(stored)).not.toMatch(/Ann Jones|ann@example|placement plan/);
  });

  it('refuses dates in the future and a response dated before the complaint was received', async () => {
    const future = await post(as(tenant), '/complaints', {
      ...complaint('cmp-future'),
      receivedOn: '2026-04-03',
    });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'receivedOn' })]);
    await created(as(tenant), '/complaints', complaint('cmp-early'));
    const early = await post(as(tenant), '/complaints/cmp-early/response', {
      ...response,
      respondedOn: '2026-04-01',
    });
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([
      expect.objectContaining({
        field: 'respondedOn',
        reason: 'is before the complaint was received (2026-04-02)',
      }),
    ]);
  });

  it('answers malformed input with a 400 problem naming the field, and stores nothing', async () => {
    await created(as(tenant), '/complaints', complaint('cmp-malformed'));
    const huge = 'x'.repeat(5000);
    const cases: [string, unknown, string][] = [
      ['/complaints', { ...complaint('cmp-m1'), receivedOn: '2026-02-30' }, 'receivedOn'],
      ['/complaints', { ...complaint('cmp-m1'), receivedOn: 20260402 }, 'receivedOn'],
      ['/complaints', { ...complaint('cmp-m1'), receivedOn: ['2026-04-02'] }, 'receivedOn'],
      ['/complaints', { ...complaint('cmp-m1'), complaintId: huge }, 'complaintId'],
      ['/complaints', { ...complaint('cmp-m1'), complaintId: 42 }, 'complaintId'],
      ['/complaints', { ...complaint('cmp-m1'), serviceId: [HOME] }, 'serviceId'],
      ['/complaints', { ...complaint('cmp-m1'), serviceId: { id: HOME } }, 'serviceId'],
      ['/complaints', { ...complaint('cmp-m1'), summary: huge }, 'summary'],
      ['/complaints', { ...complaint('cmp-m1'), summary: 12 }, 'summary'],
      ['/complaints', { ...complaint('cmp-m1'), category: ['communication'] }, 'category'],
      ['/complaints', { ...complaint('cmp-m1'), complainant: [] }, 'complainant'],
      [
        '/complaints',
        { ...complaint('cmp-m1'), complainant: [{ relationship: 'parent' }] },
        'complainant',
      ],
      ['/complaints', { ...complaint('cmp-m1'), complainant: 'parent' }, 'complainant'],
      [
        '/complaints',
        { ...complaint('cmp-m1'), complainant: { relationship: 7 } },
        'complainant.relationship',
      ],
      [
        '/complaints',
        { ...complaint('cmp-m1'), complainant: { relationship: 'x'.repeat(201) } },
        'complainant.relationship',
      ],
      ['/complaints', { ...complaint('cmp-m1'), complainant: { name: 7 } }, 'complainant.name'],
      [
        '/complaints',
        { ...complaint('cmp-m1'), complainant: { contact: 'x'.repeat(501) } },
        'complainant.contact',
      ],
      [
        '/complaints',
        { ...complaint('cmp-m1'), complainant: { subjectId: 'Ann Jones' } },
        'complainant.subjectId',
      ],
      ['/complaints/CMP%20X/acknowledgement', { acknowledgedOn: '2026-04-02' }, 'complaintId'],
      [
        `/complaints/${'a'.repeat(3000)}/acknowledgement`,
        { acknowledgedOn: '2026-04-02' },
        'complaintId',
      ],
      [
        '/complaints/cmp-malformed/acknowledgement',
        { acknowledgedOn: '2026-02-30' },
        'acknowledgedOn',
      ],
      [
        '/complaints/cmp-malformed/acknowledgement',
        { acknowledgedOn: ['2026-04-02'] },
        'acknowledgedOn',
      ],
      ['/complaints/cmp-malformed/response', { ...response, respondedOn: null }, 'respondedOn'],
      ['/complaints/cmp-malformed/response', { ...response, upheld: true }, 'upheld'],
      [
        '/complaints/cmp-malformed/response',
        { ...response, escalationRoute: huge },
        'escalationRoute',
      ],
      ['/complaints/cmp-malformed/response', { ...response, summary: { text: 'x' } }, 'summary'],
      [
        '/compliments',
        { serviceId: HOME, receivedOn: '2026-02-30', summary: 'Thanks' },
        'receivedOn',
      ],
      [
        '/compliments',
        { serviceId: HOME, receivedOn: '2026-04-02', summary: ['Thanks'] },
        'summary',
      ],
      [
        '/compliments',
        { complimentId: huge, serviceId: HOME, receivedOn: '2026-04-02', summary: 'Thanks' },
        'complimentId',
      ],
    ];
    for (const [path, body, field] of cases) {
      const refused = await post(as(tenant), path, body as object, '2026-04-24T16:00:00Z');
      expect({ path, field, status: refused.status }).toEqual({ path, field, status: 400 });
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
      expect({ path, fields: refused.body.errors.map((e: { field: string }) => e.field) }).toEqual({
        path,
        fields: [field],
      });
    }
    const anArray = await post(as(tenant), '/complaints', [complaint('cmp-m1')]);
    expect(anArray.status).toBe(400);
    expect(anArray.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(await api.store.readStream(`${tenant}:complaint:cmp-m1`)).toEqual([]);
    expect((await api.store.readStream(`${tenant}:complaint:cmp-malformed`)).length).toBe(1);
  });

  it.each<Role>(['commissioner', 'regulator', 'hr'])('refuses the role %s (403)', async (role) => {
    const refused = await post(as(tenant, role), '/complaints', complaint(`cmp-${role}`));
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect((await post(as(tenant, role), '/complaints/cmp-easter/response', response)).status).toBe(
      403,
    );
    expect(
      (
        await post(as(tenant, role), '/compliments', {
          serviceId: HOME,
          receivedOn: '2026-04-02',
          summary: 'Thank you',
        })
      ).status,
    ).toBe(403);
    expect(await api.store.readStream(`${tenant}:complaint:cmp-${role}`)).toEqual([]);
  });

  it("answers 404 for another tenant's complaint and service", async () => {
    const other = await tenantWithHome();
    await created(as(tenant), '/complaints', complaint('cmp-private'));
    for (const path of [
      '/complaints/cmp-private/acknowledgement',
      '/complaints/cmp-private/response',
    ]) {
      const notFound = await post(
        as(other),
        path,
        path.endsWith('acknowledgement') ? { acknowledgedOn: '2026-04-02' } : response,
        '2026-04-24T16:00:00Z',
      );
      expect({ path, status: notFound.status }).toEqual({ path, status: 404 });
      expect(notFound.headers['content-type']).toMatch(PROBLEM_JSON);
    }
    const unknownService = await post(
      as(`outsider-${randomUUID().slice(0, 8)}`),
      '/complaints',
      complaint('cmp-x'),
    );
    expect(unknownService.status).toBe(404);
    // The same complaint id in another tenant is another complaint.
    await created(as(other), '/complaints', complaint('cmp-private'));
    expect((await api.store.readStream(`${tenant}:complaint:cmp-private`)).length).toBe(1);
  });

  it('logs a complaint once when the request is retried with the same Idempotency-Key', async () => {
    const { complaintId: _ignored, ...withoutId } = complaint('unused');
    const key = `retry-${randomUUID()}`;
    const send = () =>
      api
        .http()
        .post('/complaints')
        .set('Authorization', `Bearer ${as(tenant)}`)
        .set('Idempotency-Key', key)
        .send(withoutId);
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(first.body.complaintId).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.body).toMatchObject({ complaintId: first.body.complaintId, replayed: true });
    const stored = await api.store.readStream(`${tenant}:complaint:${first.body.complaintId}`);
    expect(stored).toHaveLength(1);
  });

  it('logs a compliment, answering the data subject its summary is kept under', async () => {
    const logged = await created(as(tenant), '/compliments', {
      complimentId: 'cpl-1',
      serviceId: HOME,
      receivedOn: '2026-04-02',
      summary: 'A card thanking the night staff.',
    });
    expect(logged.body).toEqual({
      streamId: `${tenant}:compliment:cpl-1`,
      complimentId: 'cpl-1',
      dataSubjectId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      replayed: false,
    });
  });
});

describe('the reserved tenant "platform"', () => {
  // The organisation decider refuses it too (organisation.decider.unit.spec.ts); over HTTP no
  // token for it gets that far: the calendar's tenant is nobody's.
  it('cannot be registered as an organisation: a token for it is refused (401) and nothing is stored', async () => {
    const token = jwt.sign({ tenant: 'platform', roles: ['provider-admin'] }, JWT_SECRET, {
      algorithm: 'HS256',
      issuer: api.config.JWT_ISSUER,
      audience: api.config.JWT_AUDIENCE,
      subject: 'user-e2e',
      expiresIn: 600,
    });
    const refused = await post(token, '/organisation', { name: 'Platform Care', kind: 'provider' });
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(await api.store.readStream('platform:organisation')).toEqual([]);
  });
});
