import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * An invited person's email apart from the trail, over HTTP (docs/decisions/0032): the
 * invitation's event holds it sealed under the person's key (their account id is the data
 * subject id), the accounts table keeps it for sign-in; the data-protection officer erases the
 * person; then they cannot sign in, their sessions are over, the list says when they were
 * erased, and every chain still verifies.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('personal_data_accounts_e2e');
});
afterAll(() => api?.close());

const PASSWORD = 'correct horse battery staple';
const tenant = `pda-${randomUUID().slice(0, 8)}`;
const LOCAL_PART = `gwen-${randomUUID().slice(0, 8)}`;
const EMAIL = `${LOCAL_PART}@example.org`;

const bearer = (roles: string[], userId: string) =>
  `Bearer ${api.tokenFor({ tenantId: tenant, roles: roles as never, userId })}`;
const admin = () => bearer(['admin'], 'user:admin-1');
const auditor = () => bearer(['provider-admin'], 'user:auditor-1');

async function at(moment: string, request: () => Promise<Response>): Promise<Response> {
  api.setNow(new Date(moment));
  try {
    return await request();
  } finally {
    api.setNow(null);
  }
}

let accountId: string;
let sessionCookie: string;
let otherAccountId: string;

beforeAll(async () => {
  const invited = await api
    .http()
    .post('/accounts/invitations')
    .set('Authorization', admin())
    .send({ email: EMAIL, roles: ['hr'] });
  expect(invited.status).toBe(201);
  accountId = invited.body.accountId as string;
  const accepted = await api
    .http()
    .post(`/invitations/${invited.body.invitationToken}/acceptance`)
    .send({ password: PASSWORD });
  expect(accepted.status).toBe(204);
  const signedIn = await api.http().post('/sessions').send({ email: EMAIL, password: PASSWORD });
  expect(signedIn.status).toBe(201);
  sessionCookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
  const other = await api
    .http()
    .post('/accounts/invitations')
    .set('Authorization', admin())
    .send({ email: `other-${randomUUID().slice(0, 8)}@example.org`, roles: ['regulator'] });
  otherAccountId = other.body.accountId as string;
});

const accountStream = () => `${tenant}:account:${accountId}`;
const trailOf = (streamId: string) =>
  api
    .http()
    .get(`/audit/streams/${encodeURIComponent(streamId)}/events`)
    .set('Authorization', auditor());

describe('an invitation', () => {
  it('keeps the email out of the trail: the event holds it sealed under the account id', async () => {
    const trail = await trailOf(accountStream());
    expect(trail.status).toBe(200);
    const [invited] = trail.body.events as { type: string; schemaVersion: number; data: object }[];
    expect(invited).toMatchObject({
      type: 'PersonInvited',
      schemaVersion: 2,
      data: { email: { subjectId: accountId, ciphertextHash: expect.any(String) } },
    });
    expect(trail.text).not.toContain(LOCAL_PART);
  });

  it('lists the person with their email and their data subject id, for the data-protection officer too', async () => {
    const dpo = bearer(['data-protection'], 'user:dpo-1');
    for (const reader of [admin(), dpo]) {
      const list = await api.http().get('/accounts').set('Authorization', reader);
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(
        expect.objectContaining({
          accountId,
          email: EMAIL,
          dataSubjectId: accountId,
          status: 'active',
        }),
      );
    }
    for (const role of ['hr', 'provider-admin', 'regulator']) {
      const refused = await api
        .http()
        .get('/accounts')
        .set('Authorization', bearer([role], 'x'));
      expect({ role, status: refused.status }).toEqual({ role, status: 403 });
    }
    const invite = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', dpo)
      .send({ email: 'nobody@example.org', roles: ['hr'] });
    expect(invite.status).toBe(403);
  });
});

describe('erasing the person', () => {
  let erased: Response;
  beforeAll(async () => {
    erased = await at('2026-05-11T09:30:00Z', () =>
      api
        .http()
        .post(`/data-subjects/${accountId}/erasure`)
        .set('Authorization', bearer(['data-protection'], 'user:dpo-1'))
        .send({ reason: 'consent-withdrawn' }),
    );
  });

  it('is done by the data-protection officer, naming the account id', () => {
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({ subjectId: accountId, erasedOn: '2026-05-11' });
  });

  it('refuses their sign-in and ends their session', async () => {
    const signIn = await api.http().post('/sessions').send({ email: EMAIL, password: PASSWORD });
    expect(signIn.status).toBe(401);
    expect((await api.http().get('/me').set('Cookie', sessionCookie)).status).toBe(401);
  });

  it('lists them as erased, access removed, and the others as they were', async () => {
    const list = await api.http().get('/accounts').set('Authorization', admin());
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(LOCAL_PART);
    expect(list.body).toContainEqual({
      accountId,
      email: { erasedOn: '2026-05-11' },
      dataSubjectId: accountId,
      roles: ['hr'],
      managerId: null,
      status: 'removed',
      invitedAt: expect.any(String),
    });
    expect(list.body).toContainEqual(
      expect.objectContaining({ accountId: otherAccountId, status: 'invited' }),
    );
    const page = await api.http().get('/app/people').set('Authorization', admin());
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(LOCAL_PART);
    const row = new RegExp(`data-account="${accountId}"[^>]*>([\\s\\S]*?)</tr>`).exec(page.text);
    expect(row?.[1]).toMatch(/erased on 11 May 2026[\s\S]*Access removed/);
  });

  it('says in the account’s trail that its access was removed, with nothing personal', async () => {
    const trail = await trailOf(accountStream());
    expect(trail.body.events.map((e: { type: string }) => e.type)).toEqual([
      'PersonInvited',
      'InvitationAccepted',
      'AccessRemoved',
    ]);
    expect(trail.body.events[2]).toMatchObject({
      data: { accountId, removedBy: 'user:dpo-1' },
    });
    expect(trail.text).not.toContain(LOCAL_PART);
  });

  it('leaves every chain verifying', async () => {
    for (const streamId of [accountStream(), `${tenant}:data-subject:${accountId}`]) {
      const verification = await api
        .http()
        .get(`/audit/streams/${encodeURIComponent(streamId)}/verification`)
        .set('Authorization', auditor());
      expect({ streamId, body: verification.body }).toMatchObject({
        streamId,
        body: { brokenLinks: [] },
      });
    }
    expect((await api.store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
  });

  it('lets the email be invited again, as a new person with a new account', async () => {
    const again = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', admin())
      .send({ email: EMAIL, roles: ['hr'] });
    expect(again.status).toBe(201);
    expect(again.body.accountId).not.toBe(accountId);
  });
});
