import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections } from './support/worker-in-process';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('api_accounts');
});
afterAll(() => api.close());

const PASSWORD = 'correct horse battery staple';
const admin = (tenantId: string) =>
  `Bearer ${api.tokenFor({ tenantId, roles: ['admin'], userId: 'admin-1' })}`;

/** Invites a person into a tenant and accepts, answering their email and account id. */
async function person(tenantId: string, roles = ['hr']) {
  const email = `${randomUUID().slice(0, 8)}@example.org`;
  const invited = await api
    .http()
    .post('/accounts/invitations')
    .set('Authorization', admin(tenantId))
    .send({ email, roles });
  expect(invited.status).toBe(201);
  const accepted = await api
    .http()
    .post(`/invitations/${invited.body.invitationToken}/acceptance`)
    .send({ password: PASSWORD });
  expect(accepted.status).toBe(204);
  return { email, accountId: invited.body.accountId as string };
}

async function sessionCookieOf(email: string): Promise<string> {
  const response = await api.http().post('/sessions').send({ email, password: PASSWORD });
  expect(response.status).toBe(201);
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return setCookie[0]!.split(';')[0]!;
}

describe('accounts and sessions over HTTP', () => {
  it('signs in with a kpi_session cookie that is HttpOnly, Secure, SameSite=Lax, Path=/', async () => {
    const { email, accountId } = await person('acc-tenant-a', ['hr']);
    const response = await api.http().post('/sessions').send({ email, password: PASSWORD });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      userId: accountId,
      tenantId: 'acc-tenant-a',
      roles: ['hr'],
    });
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0]!;
    expect(cookie).toMatch(/^kpi_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
  });

  it('answers GET /me from the cookie, as the account whose id events record', async () => {
    const { email, accountId } = await person('acc-tenant-a', ['regulator']);
    const me = await api
      .http()
      .get('/me')
      .set('Cookie', await sessionCookieOf(email));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ userId: accountId, tenantId: 'acc-tenant-a', roles: ['regulator'] });
  });

  it('refuses a wrong password with 401, and an unknown cookie with 401', async () => {
    const { email } = await person('acc-tenant-a');
    const wrong = await api.http().post('/sessions').send({ email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await api.http().get('/me').set('Cookie', 'kpi_session=made-up');
    expect(unknown.status).toBe(401);
  });

  it('refuses a short password or the email as password with 400 naming the field, setting nothing', async () => {
    const email = `${randomUUID().slice(0, 8)}@example.org`;
    const invited = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', admin('acc-tenant-a'))
      .send({ email, roles: ['hr'] });
    for (const password of ['short', email]) {
      const response = await api
        .http()
        .post(`/invitations/${invited.body.invitationToken}/acceptance`)
        .send({ password });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('password');
    }
    const signIn = await api.http().post('/sessions').send({ email, password: email });
    expect(signIn.status).toBe(401);
  });

  it('lets only admins invite (403 otherwise) and refuses a bad email naming the field', async () => {
    const hr = `Bearer ${api.tokenFor({ tenantId: 'acc-tenant-a', roles: ['hr'] })}`;
    const forbidden = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', hr)
      .send({ email: 'x@example.org', roles: ['hr'] });
    expect(forbidden.status).toBe(403);
    const bad = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', admin('acc-tenant-a'))
      .send({ email: 'not an email', roles: ['hr'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('email');
  });

  it('ends the session on sign-out and clears the cookie', async () => {
    const { email } = await person('acc-tenant-a');
    const cookie = await sessionCookieOf(email);
    const out = await api.http().delete('/sessions/current').set('Cookie', cookie);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^kpi_session=; Max-Age=0/);
    expect((await api.http().get('/me').set('Cookie', cookie)).status).toBe(401);
  });

  it('never promotes a session id presented before sign-in', async () => {
    const { email } = await person('acc-tenant-a');
    const planted = 'kpi_session=planted-by-someone-else';
    const response = await api
      .http()
      .post('/sessions')
      .set('Cookie', planted)
      .send({ email, password: PASSWORD });
    const issued = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    expect(issued).not.toBe(planted);
    expect((await api.http().get('/me').set('Cookie', planted)).status).toBe(401);
  });

  it('refuses the next request of a person whose access an admin removed', async () => {
    const { email, accountId } = await person('acc-tenant-a');
    const cookie = await sessionCookieOf(email);
    expect((await api.http().get('/me').set('Cookie', cookie)).status).toBe(200);
    const removal = await api
      .http()
      .post(`/accounts/${accountId}/access-removal`)
      .set('Authorization', admin('acc-tenant-a'));
    expect(removal.status).toBe(200);
    expect((await api.http().get('/me').set('Cookie', cookie)).status).toBe(401);
  });

  it('refuses an admin removing their own access with 409 saying why, writing nothing', async () => {
    const { accountId } = await person('acc-tenant-a', ['admin']);
    const asThemselves = `Bearer ${api.tokenFor({ tenantId: 'acc-tenant-a', roles: ['admin'], userId: accountId })}`;
    const refused = await api
      .http()
      .post(`/accounts/${accountId}/access-removal`)
      .set('Authorization', asThemselves);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/cannot remove your own access/);
    const listed = await api.http().get('/accounts').set('Authorization', asThemselves);
    const own = (listed.body as { accountId: string; status: string }[]).find(
      (account) => account.accountId === accountId,
    );
    expect(own?.status).toBe('active');
  });

  it('links a person to their manager id: they read their own capability record from their next request', async () => {
    // The read models' tables, so that a permitted read reaches the query: this manager has no
    // record yet, 404, where a read of another's is refused, 403.
    const projections = await startProjections(
      api.pool,
      new PostgresEventStore(api.pool, eventTypeRegistry()),
    );
    await projections.stop();
    const { email, accountId } = await person('acc-tenant-a', ['home-manager']);
    const cookie = await sessionCookieOf(email);
    const timeline = (managerId: string) =>
      api.http().get(`/capability/managers/${managerId}/timeline`).set('Cookie', cookie);
    expect((await timeline('mgr-linked')).status).toBe(403);

    const linked = await api
      .http()
      .put(`/accounts/${accountId}/manager`)
      .set('Authorization', admin('acc-tenant-a'))
      .send({ managerId: 'mgr-linked' });
    expect(linked.status).toBe(200);
    expect(linked.body).toEqual({ accountId, managerId: 'mgr-linked' });
    expect((await timeline('mgr-linked')).status).toBe(404);
    expect((await timeline('mgr-someone-else')).status).toBe(403);
    const listed = await api.http().get('/accounts').set('Authorization', admin('acc-tenant-a'));
    expect(
      (listed.body as { accountId: string; managerId: string | null }[]).find(
        (account) => account.accountId === accountId,
      )?.managerId,
    ).toBe('mgr-linked');

    const unlinked = await api
      .http()
      .put(`/accounts/${accountId}/manager`)
      .set('Authorization', admin('acc-tenant-a'))
      .send({ managerId: null });
    expect(unlinked.body).toEqual({ accountId, managerId: null });
    expect((await timeline('mgr-linked')).status).toBe(403);
  });

  it('refuses a link without managerId or with a malformed one, naming the field; only admins link', async () => {
    const { accountId } = await person('acc-tenant-a', ['home-manager']);
    for (const body of [{}, { managerId: 'has spaces' }, { managerId: 7 }]) {
      const refused = await api
        .http()
        .put(`/accounts/${accountId}/manager`)
        .set('Authorization', admin('acc-tenant-a'))
        .send(body);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(refused.body)).toMatch(/managerId/);
    }
    const hr = `Bearer ${api.tokenFor({ tenantId: 'acc-tenant-a', roles: ['hr'] })}`;
    const forbidden = await api
      .http()
      .put(`/accounts/${accountId}/manager`)
      .set('Authorization', hr)
      .send({ managerId: 'mgr-x' });
    expect(forbidden.status).toBe(403);
    const elsewhere = await api
      .http()
      .put(`/accounts/${accountId}/manager`)
      .set('Authorization', admin('acc-tenant-b'))
      .send({ managerId: 'mgr-x' });
    expect(elsewhere.status).toBe(404);
    const listed = await api.http().get('/accounts').set('Authorization', admin('acc-tenant-a'));
    expect(
      (listed.body as { accountId: string; managerId: string | null }[]).find(
        (account) => account.accountId === accountId,
      )?.managerId,
    ).toBeNull();
  });

  it("keeps each organisation's accounts to itself, by cookie as by token", async () => {
    const a = await person('acc-tenant-a', ['admin']);
    const b = await person('acc-tenant-b', ['hr']);
    const cookieOfA = await sessionCookieOf(a.email);
    const listed = await api.http().get('/accounts').set('Cookie', cookieOfA);
    expect(listed.status).toBe(200);
    const emails = (listed.body as { email: string }[]).map((account) => account.email);
    expect(emails).toContain(a.email);
    expect(emails).not.toContain(b.email);
    const removal = await api
      .http()
      .post(`/accounts/${b.accountId}/access-removal`)
      .set('Cookie', cookieOfA);
    expect(removal.status).toBe(404);
  });

  it('locks sign-in with 429 and Retry-After after 5 failures', async () => {
    const { email } = await person('acc-tenant-a');
    for (let n = 0; n < 5; n++) {
      await api.http().post('/sessions').send({ email, password: 'not the password' });
    }
    const locked = await api.http().post('/sessions').send({ email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
