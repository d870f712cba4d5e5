import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('people_pages_e2e');
});
afterAll(() => api?.close());

const PASSWORD = 'correct horse battery staple';
const newTenant = () => `people-${randomUUID().slice(0, 8)}`;
const adminOf = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['admin'], userId: 'admin-1' });
const newEmail = () => `${randomUUID().slice(0, 8)}@example.org`;

function getPage(token: string, path: string, cookies: string[] = []) {
  return api.http().get(path).set('Authorization', `Bearer ${token}`).set('Cookie', cookies);
}

/** A form page, its CSRF token and form key, and the cookie holding the token's secret. */
async function openForm(token: string, path: string) {
  const page = await getPage(token, path);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  const formKey = /name="_formKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  expect(csrf).toBeDefined();
  return { page, csrf: csrf!, formKey, cookies };
}

/** Posts a urlencoded form (a field may repeat, as checkboxes do). */
function postForm(token: string, path: string, cookies: string[], form: [string, string][]) {
  return api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .set('Cookie', cookies)
    .type('form')
    .send(new URLSearchParams(form).toString());
}

/** Invites a person through the form; answers the page shown after. */
async function inviteThroughForm(token: string, fields: [string, string][]) {
  const { csrf, formKey, cookies } = await openForm(token, '/app/people/invite');
  return postForm(token, '/app/people/invite', cookies, [
    ['_csrf', csrf],
    ['_formKey', formKey],
    ...fields,
  ]);
}

const linkOn = (page: Response) =>
  /data-invitation-link>(https?:\/\/[^<]+\/app\/invitations\/([A-Za-z0-9_-]+))</.exec(page.text);

async function accountsIn(tenantId: string): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>(
    'SELECT count(*) FROM accounts WHERE tenant_id = $1',
    [tenantId],
  );
  return Number(rows[0]!.count);
}

async function eventCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]!.count);
}

describe('people pages', () => {
  it('are linked from who am I for admins only, and refuse other roles (403 page)', async () => {
    const tenant = newTenant();
    const home = await getPage(adminOf(tenant), '/app');
    expect(home.text).toContain('href="/app/people"');
    const manager = api.tokenFor({ tenantId: tenant, roles: ['regional-manager'] });
    expect((await getPage(manager, '/app')).text).not.toContain('href="/app/people"');
    const refused = await getPage(manager, '/app/people');
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
  });

  it('invite a person with roles and a manager id, show the link once, and list them', async () => {
    const tenant = newTenant();
    const token = adminOf(tenant);
    const email = newEmail();
    const invited = await inviteThroughForm(token, [
      ['email', `  ${email.toUpperCase()} `],
      ['roles', 'home-manager'],
      ['roles', 'hr'],
      ['managerId', 'mgr-home-02'],
    ]);
    expect(invited.status).toBe(200);
    expect(invited.text).toContain('only time the link is shown');
    const link = linkOn(invited);
    expect(link).not.toBeNull();

    const list = await getPage(token, '/app/people');
    expect(list.status).toBe(200);
    const row = new RegExp(`<tr[^>]*data-account="(acc-[0-9a-f]{16})"[^>]*>([\\s\\S]*?)</tr>`).exec(
      list.text,
    );
    expect(row?.[2]).toContain(email);
    expect(row?.[2]).toContain('home-manager, hr');
    expect(row?.[2]).toContain('mgr-home-02');
    expect(row?.[2]).toContain('Invited');
    expect(list.text).not.toContain(link![2]!); // the token is never shown again

    const invitationPage = await api.http().get(new URL(link![1]!).pathname);
    expect(invitationPage.status).toBe(200);
    expect(invitationPage.text).toContain('Choose your password');
  });

  it('answer a bad form with the error summary naming each field, writing nothing', async () => {
    const tenant = newTenant();
    const before = await eventCount();
    const refused = await inviteThroughForm(adminOf(tenant), [
      ['email', 'not-an-email'],
      ['managerId', 'Not An Id'],
    ]);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('href="#email">Enter an email address');
    expect(refused.text).toContain('href="#roles">Choose at least one role');
    expect(refused.text).toContain('href="#managerId">Enter a manager id');
    expect(refused.text).toContain('value="Not An Id"');
    const unknownRole = await inviteThroughForm(adminOf(tenant), [
      ['email', newEmail()],
      ['roles', 'emperor'],
    ]);
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.text).toContain('Choose roles from the list');
    expect(await accountsIn(tenant)).toBe(0);
    expect(await eventCount()).toBe(before);
  });

  it('say an email already in use is taken (409), and refuse a post without its CSRF token', async () => {
    const tenant = newTenant();
    const email = newEmail();
    await inviteThroughForm(adminOf(tenant), [
      ['email', email],
      ['roles', 'hr'],
    ]);
    const again = await inviteThroughForm(adminOf(tenant), [
      ['email', email],
      ['roles', 'hr'],
    ]);
    expect(again.status).toBe(409);
    expect(again.text).toContain(`${email} already has an account`);

    const { cookies } = await openForm(adminOf(tenant), '/app/people/invite');
    const forged = await postForm(adminOf(tenant), '/app/people/invite', cookies, [
      ['email', newEmail()],
      ['roles', 'hr'],
    ]);
    expect(forged.status).toBe(403);
    expect(await accountsIn(tenant)).toBe(1);
  });

  it('remove access after the confirmation page: their session ends, the list says so', async () => {
    const tenant = newTenant();
    const token = adminOf(tenant);
    const email = newEmail();
    const invited = await inviteThroughForm(token, [
      ['email', email],
      ['roles', 'regional-manager'],
    ]);
    const invitationToken = linkOn(invited)![2]!;
    const accepted = await api
      .http()
      .post(`/invitations/${invitationToken}/acceptance`)
      .send({ password: PASSWORD });
    expect(accepted.status).toBe(204);
    const signedIn = await api.http().post('/sessions').send({ email, password: PASSWORD });
    const session = [signedIn.headers['set-cookie'] ?? []]
      .flat()
      .map((c: string) => c.split(';')[0]!)
      .find((c) => c.startsWith('kpi_session='))!;
    expect((await api.http().get('/app').set('Cookie', session)).status).toBe(200);

    const list = await getPage(token, '/app/people');
    const accountId = new RegExp(`data-account="(acc-[0-9a-f]{16})"`).exec(list.text)![1]!;
    const path = `/app/people/${accountId}/remove`;
    expect(list.text).toContain(`href="${path}"`);
    const { page, csrf, cookies } = await openForm(token, path);
    expect(page.text).toContain(`Remove access of ${email}?`);

    const removed = await postForm(token, path, cookies, [['_csrf', csrf]]);
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe(`/app/people?removed=${accountId}`);
    const after = await getPage(token, removed.headers.location!);
    expect(after.text).toContain(`${email} no longer has access`);
    expect(after.text).toContain('Access removed');
    expect(after.text).not.toContain(`href="${path}"`);
    const ended = await api.http().get('/app').set('Cookie', session);
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toMatch(/^\/app\/sign-in/);

    expect((await getPage(token, path)).status).toBe(404); // already removed
  });

  it('offer no removal of your own access, and refuse it with a page saying why', async () => {
    const tenant = newTenant();
    const invited = await inviteThroughForm(adminOf(tenant), [
      ['email', newEmail()],
      ['roles', 'admin'],
    ]);
    const invitationToken = linkOn(invited)![2]!;
    const list = await getPage(adminOf(tenant), '/app/people');
    const accountId = /data-account="(acc-[0-9a-f]{16})"/.exec(list.text)![1]!;
    await api
      .http()
      .post(`/invitations/${invitationToken}/acceptance`)
      .send({ password: PASSWORD });
    const themselves = api.tokenFor({ tenantId: tenant, roles: ['admin'], userId: accountId });
    const path = `/app/people/${accountId}/remove`;

    const ownList = await getPage(themselves, '/app/people');
    expect(ownList.text).toContain('(you)');
    expect(ownList.text).not.toContain(`href="${path}"`);
    const confirmation = await getPage(themselves, path);
    expect(confirmation.status).toBe(409);
    expect(confirmation.text).toContain('You cannot remove your own access');
    expect(confirmation.text).not.toContain(`action="${path}"`);

    const { csrf, cookies } = await openForm(themselves, '/app/people/invite');
    const before = await eventCount();
    const refused = await postForm(themselves, path, cookies, [['_csrf', csrf]]);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Ask another admin of your organisation');
    expect(await eventCount()).toBe(before);
    const { rows } = await api.pool.query<{ status: string }>(
      'SELECT status FROM accounts WHERE tenant_id = $1 AND account_id = $2',
      [tenant, accountId],
    );
    expect(rows[0]?.status).toBe('active');
  });

  it('answer an unknown account with the 404 page, and an ill-formed id with 400', async () => {
    const token = adminOf(newTenant());
    const unknown = await getPage(token, '/app/people/acc-0000000000000000/remove');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
    expect((await getPage(token, '/app/people/BAD%20ID/remove')).status).toBe(400);
  });
});
