import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { sessionCookie } from '../../apps/api/src/auth/session-cookie';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('sign_in_pages_e2e');
});
afterAll(() => api?.close());

const PASSWORD = 'correct horse battery staple';
const adminToken = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['admin'], userId: 'admin-1' });

/** A person invited into `tenantId` by its admin, who has set their password. */
async function person(tenantId: string, roles = ['regional-manager']) {
  const email = `${randomUUID().slice(0, 8)}@example.org`;
  const invited = await api
    .http()
    .post('/accounts/invitations')
    .set('Authorization', `Bearer ${adminToken(tenantId)}`)
    .send({ email, roles });
  expect(invited.status).toBe(201);
  const accepted = await api
    .http()
    .post(`/invitations/${invited.body.invitationToken}/acceptance`)
    .send({ password: PASSWORD });
  expect(accepted.status).toBe(204);
  return { email, accountId: invited.body.accountId as string };
}

/** A browser's cookies: each Set-Cookie replaces the one of its name (Max-Age=0 forgets it). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): this {
    for (const line of ([] as string[]).concat(response.headers['set-cookie'] ?? [])) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (/Max-Age=0/.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }
  get(name: string) {
    return this.cookies.get(name);
  }
  set(name: string, value: string) {
    this.cookies.set(name, value);
  }
  header(): string[] {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`);
  }
}

async function open(jar: CookieJar, path: string) {
  const response = await api.http().get(path).set('Cookie', jar.header());
  jar.take(response);
  return response;
}

const csrfOf = (page: Response) => /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];

async function post(jar: CookieJar, path: string, form: Record<string, string>) {
  const response = await api.http().post(path).set('Cookie', jar.header()).type('form').send(form);
  jar.take(response);
  return response;
}

/** Opens the sign-in form and posts it, as a browser does. */
async function signInThroughForm(
  jar: CookieJar,
  email: string,
  password = PASSWORD,
  returnTo?: string,
) {
  const form = await open(jar, '/app/sign-in');
  expect(form.status).toBe(200);
  return post(jar, '/app/sign-in', {
    _csrf: csrfOf(form)!,
    email,
    password,
    ...(returnTo === undefined ? {} : { returnTo }),
  });
}

async function sessionCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM sessions');
  return Number(rows[0]!.count);
}

describe('signing in through the form', () => {
  it('sets a new HttpOnly, SameSite=Lax, Path=/ session cookie, Secure outside development, and opens the pages', async () => {
    const { email } = await person('signin-a');
    const jar = new CookieJar();
    const signedIn = await signInThroughForm(jar, email);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/app');
    const cookie = ([] as string[])
      .concat(signedIn.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith('kpi_session='))!;
    expect(cookie).toMatch(/^kpi_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Secure/); // NODE_ENV=test
    expect(sessionCookie('id', 60, 'development')).not.toMatch(/Secure/);
    expect(sessionCookie('id', 60, 'production')).toMatch(/; Secure$/);

    const home = await open(jar, '/app');
    expect(home.status).toBe(200);
    expect(home.text).toContain(`Signed in as <strong>${email}</strong>`);
    expect(home.text).toContain('action="/app/sign-out"');
    expect(csrfOf(home)).toBeDefined();
  });

  it('sends a page opened without a session to the sign-in page, and back to it afterwards', async () => {
    const { email } = await person('signin-a');
    const jar = new CookieJar();
    const anonymous = await open(jar, '/app/returns-due?x=1');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/app/sign-in?returnTo=%2Fapp%2Freturns-due%3Fx%3D1');
    const form = await open(jar, anonymous.headers.location!);
    expect(form.text).toContain('name="returnTo" value="/app/returns-due?x=1"');
    const signedIn = await post(jar, '/app/sign-in', {
      _csrf: csrfOf(form)!,
      email,
      password: PASSWORD,
      returnTo: '/app/returns-due?x=1',
    });
    expect(signedIn.headers.location).toBe('/app/returns-due?x=1');
  });

  it('never sends a person to another site after signing in', async () => {
    const { email } = await person('signin-a');
    for (const returnTo of ['https://evil.example/app', '//evil.example', '/app//evil.example']) {
      const signedIn = await signInThroughForm(new CookieJar(), email, PASSWORD, returnTo);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.location).toBe('/app');
    }
  });

  it('says the email or password is wrong the same way for an unknown email, setting no session', async () => {
    const { email } = await person('signin-a');
    const before = await sessionCount();
    const wrongPassword = await signInThroughForm(new CookieJar(), email, 'not the password!');
    const unknownEmail = await signInThroughForm(new CookieJar(), 'nobody@example.org');
    for (const page of [wrongPassword, unknownEmail]) {
      expect(page.status).toBe(401);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('govuk-error-summary');
      expect(page.text).toContain('Enter a correct email address and password');
      expect(page.headers['set-cookie'] ?? []).not.toContainEqual(
        expect.stringMatching(/^kpi_session=/),
      );
    }
    const comparable = (page: Response, typed: string) =>
      page.text.replace(typed, 'EMAIL').replace(/name="_csrf" value="[^"]+"/g, '_csrf');
    expect(comparable(wrongPassword, email)).toEqual(
      comparable(unknownEmail, 'nobody@example.org'),
    );
    expect(await sessionCount()).toBe(before);
  });

  it('names the empty fields in the error summary (400)', async () => {
    const page = await signInThroughForm(new CookieJar(), '', '');
    expect(page.status).toBe(400);
    expect(page.text).toContain('href="#email"');
    expect(page.text).toContain('Enter your email address');
    expect(page.text).toContain('href="#password"');
    expect(page.text).toContain('Enter your password');
  });

  it('shows the lockout after repeated failures, with when to try again (429), even with the right password', async () => {
    const { email } = await person('signin-a');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const failed = await signInThroughForm(new CookieJar(), email, 'a wrong password');
      expect(failed.status).toBe(401);
    }
    const locked = await signInThroughForm(new CookieJar(), email);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.text).toContain('govuk-error-summary');
    expect(locked.text).toMatch(
      /There have been too many failed sign-ins. Try again after \d{1,2}:\d{2}(am|pm)/,
    );
  });
});

describe('the session a sign-in makes', () => {
  it('is a new one: the cookie the browser held before is not the one after, and no longer works', async () => {
    const { email } = await person('signin-a');
    const jar = new CookieJar();
    await signInThroughForm(jar, email);
    const before = jar.get('kpi_session')!;
    await signInThroughForm(jar, email);
    const after = jar.get('kpi_session')!;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const planted = new CookieJar();
    planted.set('kpi_session', before);
    expect((await open(planted, '/app')).status).toBe(303);
    expect((await open(jar, '/app')).status).toBe(200);
  });

  it('refuses a form post with the cookie but no or a forged CSRF token (403), writing nothing', async () => {
    const { email } = await person('signin-a');
    const jar = new CookieJar();
    await signInThroughForm(jar, email);
    const home = await open(jar, '/app');
    const token = csrfOf(home)!;
    const forged = `${token.split('.')[0]!}.${'A'.repeat(43)}`;
    const sessions = await sessionCount();
    const forms: Record<string, string>[] = [{}, { _csrf: forged }, { _csrf: 'not-a-token' }];
    for (const form of forms) {
      const signOut = await post(jar, '/app/sign-out', form);
      expect(signOut.status).toBe(403);
      expect(signOut.text).toContain('You cannot open this page');
      const signIn = await post(jar, '/app/sign-in', { ...form, email, password: PASSWORD });
      expect(signIn.status).toBe(403);
    }
    expect(await sessionCount()).toBe(sessions);
    const { rows } = await api.pool.query('SELECT 1 FROM sessions WHERE revoked_at IS NOT NULL');
    const revokedBefore = rows.length;
    expect((await open(jar, '/app')).status).toBe(200); // still signed in
    const { rows: after } = await api.pool.query(
      'SELECT 1 FROM sessions WHERE revoked_at IS NOT NULL',
    );
    expect(after.length).toBe(revokedBefore);
  });

  it('ends with sign-out: the cookie is cleared and the old one no longer opens a page', async () => {
    const { email } = await person('signin-a');
    const jar = new CookieJar();
    await signInThroughForm(jar, email);
    const session = jar.get('kpi_session')!;
    const home = await open(jar, '/app');
    const signedOut = await post(jar, '/app/sign-out', { _csrf: csrfOf(home)! });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toBe('/app/sign-in?notice=signed-out');
    expect(signedOut.headers['set-cookie']).toContainEqual(
      expect.stringMatching(/^kpi_session=; Max-Age=0; Path=\/; HttpOnly/),
    );
    const notice = await open(jar, signedOut.headers.location!);
    expect(notice.text).toContain('You have signed out.');

    const replayed = new CookieJar();
    replayed.set('kpi_session', session);
    const refused = await open(replayed, '/app');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/app/sign-in');
  });

  it('ends at once when an admin removes the person’s access', async () => {
    const { email, accountId } = await person('signin-a');
    const jar = new CookieJar();
    await signInThroughForm(jar, email);
    expect((await open(jar, '/app')).status).toBe(200);
    const removed = await api
      .http()
      .post(`/accounts/${accountId}/access-removal`)
      .set('Authorization', `Bearer ${adminToken('signin-a')}`);
    expect(removed.status).toBe(200);
    expect((await open(jar, '/app')).status).toBe(303);
    const again = await signInThroughForm(new CookieJar(), email);
    expect(again.status).toBe(401);
  });

  it('opens only its own organisation’s pages: another organisation’s home is not found', async () => {
    const other = `signin-b-${randomUUID().slice(0, 6)}`;
    const token = api.tokenFor({ tenantId: other, roles: ['provider-admin'] });
    const setUp = async (path: string, body: object) =>
      expect(
        (await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body)).status,
      ).toBe(201);
    await setUp('/organisation', { name: 'Other Care', kind: 'provider' });
    await setUp('/regions', { regionId: 'north', name: 'North', regionalManagerId: 'rm-1' });
    await setUp('/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
    await setUp('/services', {
      serviceId: 'ty-other',
      name: 'Tŷ Arall',
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2024-04-01',
    });
    const { email } = await person('signin-a', ['regional-manager']);
    const jar = new CookieJar();
    await signInThroughForm(jar, email);
    const theirs = await open(jar, '/app/services/ty-other/returns/2026-09/submit');
    expect(theirs.status).toBe(404);
    expect(theirs.text).toContain('Page not found');
    const asThemselves = await api
      .http()
      .get('/app/services/ty-other/returns/2026-09/submit')
      .set(
        'Authorization',
        `Bearer ${api.tokenFor({ tenantId: other, roles: ['regional-manager'] })}`,
      );
    expect(asThemselves.status).toBe(200);
  });
});

describe('who am I, signed in to an account', () => {
  /** The summary list's rows as "key: value", in order. */
  const detailsOn = (page: Response) =>
    [
      ...(/data-who-am-i[\s\S]*?<\/dl>/.exec(page.text)?.[0] ?? '').matchAll(
        /<dt[^>]*>([\s\S]*?)<\/dt>\s*<dd[^>]*>([\s\S]*?)<\/dd>/g,
      ),
    ].map(([, key, value]) => `${key!.trim()}: ${value!.trim()}`);

  it('shows the email and the manager id the account is linked to', async () => {
    const email = `${randomUUID().slice(0, 8)}@example.org`;
    const invited = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', `Bearer ${adminToken('signin-a')}`)
      .send({ email, roles: ['home-manager'], managerId: 'mgr-home-02' });
    await api
      .http()
      .post(`/invitations/${invited.body.invitationToken}/acceptance`)
      .send({ password: PASSWORD });
    const jar = new CookieJar();
    expect((await signInThroughForm(jar, email)).status).toBe(303);
    expect(detailsOn(await open(jar, '/app'))).toEqual([
      `Email address: ${email}`,
      `User ID: ${invited.body.accountId as string}`,
      'Organisation: signin-a',
      'Roles: home-manager',
      'Manager id: mgr-home-02',
    ]);
  });

  it('shows no manager id for an account linked to none', async () => {
    const { email } = await person('signin-a', ['hr']);
    const jar = new CookieJar();
    await signInThroughForm(jar, email);
    const details = detailsOn(await open(jar, '/app'));
    expect(details).toContain(`Email address: ${email}`);
    expect(details.filter((row) => row.startsWith('Manager id'))).toEqual([]);
  });
});

describe('accepting an invitation through its link', () => {
  async function invitation(tenantId: string) {
    const email = `${randomUUID().slice(0, 8)}@example.org`;
    const invited = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', `Bearer ${adminToken(tenantId)}`)
      .send({ email, roles: ['hr'] });
    expect(invited.status).toBe(201);
    return {
      email,
      accountId: invited.body.accountId as string,
      link: `/app/invitations/${invited.body.invitationToken as string}`,
    };
  }
  const credentialsOf = async (accountId: string) =>
    (await api.pool.query('SELECT 1 FROM credentials WHERE account_id = $1', [accountId])).rowCount;

  it('sets the password with the accounts rules shown as errors, then the person signs in', async () => {
    const { email, accountId, link } = await invitation('signin-a');
    const jar = new CookieJar();
    const form = await open(jar, link);
    expect(form.status).toBe(200);
    expect(form.text).toContain('At least 12 characters, and not your email address');
    const _csrf = csrfOf(form)!;

    const short = await post(jar, link, { _csrf, password: 'short', confirmPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('govuk-error-summary');
    expect(short.text).toContain('Your password must be at least 12 characters');
    const asEmail = await post(jar, link, { _csrf, password: email, confirmPassword: email });
    expect(asEmail.text).toContain('Your password must not be your email address');
    const differ = await post(jar, link, { _csrf, password: PASSWORD, confirmPassword: 'other' });
    expect(differ.status).toBe(400);
    expect(differ.text).toContain('Enter the same password twice');
    const forged = await post(jar, link, { password: PASSWORD, confirmPassword: PASSWORD });
    expect(forged.status).toBe(403);
    expect(await credentialsOf(accountId)).toBe(0);

    const accepted = await post(jar, link, {
      _csrf,
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe('/app/sign-in?notice=invitation-accepted');
    expect((await open(jar, accepted.headers.location!)).text).toContain('Your password is set.');
    expect((await signInThroughForm(jar, email)).status).toBe(303);

    const again = await post(jar, link, { _csrf, password: PASSWORD, confirmPassword: PASSWORD });
    expect(again.status).toBe(410);
    expect(again.text).toContain('This invitation has been used');
  });

  const expectEnded = (page: Response, status: number, title: string) => {
    expect(page.status).toBe(status);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(title);
    expect(page.text).not.toContain('Choose your password');
    expect(page.text).not.toContain('name="password"');
  };

  it('says an unknown link does not work, and to ask the admin for a new invitation', async () => {
    const page = await open(new CookieJar(), '/app/invitations/no-such-invitation-token');
    expectEnded(page, 404, 'This invitation link does not work');
    expect(page.text).toContain('Ask your organisation’s admin to invite you again');
  });

  it('says a used link has been used, offering sign-in instead of the form', async () => {
    const { link } = await invitation('signin-a');
    const token = link.split('/').pop()!;
    const accepted = await api
      .http()
      .post(`/invitations/${token}/acceptance`)
      .send({ password: PASSWORD });
    expect(accepted.status).toBe(204);
    const page = await open(new CookieJar(), link);
    expectEnded(page, 410, 'This invitation has been used');
    expect(page.text).toContain('href="/app/sign-in"');
  });

  it('says an expired link has expired, on the form and on a post, setting no password', async () => {
    const { accountId, link } = await invitation('signin-a');
    const jar = new CookieJar();
    const _csrf = csrfOf(await open(jar, link))!;
    api.setNow(new Date(Date.now() + 7 * 24 * 60 * 60 * 1000 + 60 * 1000));
    try {
      const page = await open(jar, link);
      expectEnded(page, 410, 'This invitation has expired');
      expect(page.text).toContain('Ask your organisation’s admin to invite you again');
      const posted = await post(jar, link, {
        _csrf,
        password: PASSWORD,
        confirmPassword: PASSWORD,
      });
      expectEnded(posted, 410, 'This invitation has expired');
    } finally {
      api.setNow(null);
    }
    expect(await credentialsOf(accountId)).toBe(0);
  });

  it('says a link whose access an admin removed has been withdrawn', async () => {
    const { accountId, link } = await invitation('signin-a');
    const removal = await api
      .http()
      .post(`/accounts/${accountId}/access-removal`)
      .set('Authorization', `Bearer ${adminToken('signin-a')}`);
    expect(removal.status).toBe(200);
    expectEnded(await open(new CookieJar(), link), 410, 'This invitation has been withdrawn');
  });
});
