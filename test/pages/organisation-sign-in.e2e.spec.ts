import { streamIds } from '@kpi/domain';
import type { AddressInfo } from 'node:net';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { CookieBrowser } from '../support/cookie-browser';
import { startOidcProvider, type TestOidcProvider } from '@kpi/testing';

const TENANT = 'oidc-care';
const CALLBACK = '/app/sign-in/organisation/callback';

let api: ApiUnderTest;
let baseUrl: string;
let provider: TestOidcProvider;
beforeAll(async () => {
  api = await startApiUnderTest('organisation_sign_in_e2e');
  await api.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  provider = await startOidcProvider(`${baseUrl}${CALLBACK}`);
  const set = await api
    .http()
    .put('/accounts/identity-provider')
    .set('Authorization', `Bearer ${adminToken()}`)
    .send({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      roleClaim: 'groups',
      roleMappings: [
        { claimValue: 'kpi-hr', roles: ['hr'] },
        { claimValue: 'kpi-regional', roles: ['regional-manager'] },
        { claimValue: 'kpi-admins', roles: ['admin', 'hr'] },
      ],
      additionalScopes: ['groups'],
    });
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await provider?.close();
  await api?.close();
});

const adminToken = () => api.tokenFor({ tenantId: TENANT, roles: ['admin'], userId: 'admin-1' });
const isCallback = (url: URL) => url.pathname === CALLBACK;
let people = 0;

/** A person at the provider with these groups (and an email, unless null); username: their `sub`. */
async function person(groups: string[], email: string | null = '') {
  const sub = `person-${++people}`;
  const address = email === '' ? `${sub}@oidc-care.example.org` : email;
  await provider.setPerson(sub, { ...(address === null ? {} : { email: address }), groups });
  return sub;
}

/**
 * Starts signing in from the sign-in page's second form, signs in at the provider as `sub`,
 * and stops before the browser goes back to the callback: answers the callback address.
 */
async function upToCallback(browser: CookieBrowser, sub: string, returnTo?: string) {
  const start = new URL('/app/sign-in/organisation', baseUrl);
  start.searchParams.set('organisation', TENANT);
  if (returnTo) start.searchParams.set('returnTo', returnTo);
  const started = await browser.get(start);
  expect(started.status).toBe(303);
  const atProvider = await browser.follow(started, start, isCallback);
  // Signed in at the provider already (its own session cookie): straight back.
  if (isCallback(atProvider.url)) return atProvider.url;
  expect(atProvider.response.status).toBe(200);
  expect(await atProvider.response.text()).toContain('Username');
  const login = await browser.postForm(atProvider.url, { login: sub });
  const back = await browser.follow(login, atProvider.url, isCallback);
  expect(isCallback(back.url)).toBe(true);
  return back.url;
}

/** The whole sign-in: answers the callback's response (303 to the page, with the cookie). */
async function signIn(browser: CookieBrowser, sub: string, returnTo?: string) {
  return browser.get(await upToCallback(browser, sub, returnTo));
}

async function whoAmI(browser: CookieBrowser) {
  const response = await browser.get(new URL('/app', baseUrl));
  return { status: response.status, text: await response.text() };
}

async function accountOf(sub: string) {
  const { rows } = await api.pool.query<{ account_id: string; email: string; roles: string[] }>(
    `SELECT account_id, email, roles FROM accounts
      WHERE tenant_id = $1 AND identity_issuer = $2 AND identity_subject = $3`,
    [TENANT, provider.issuer, sub],
  );
  return rows[0];
}

const accountEvents = async (accountId: string) =>
  (await api.store.readStream(streamIds.account(TENANT, accountId))).map(({ type, data }) => ({
    type,
    data,
  }));

describe('signing in through the organisation’s identity provider', () => {
  it('runs the code flow with PKCE, state and nonce, creates the account just in time and opens the pages with the mapped roles', async () => {
    const sub = await person(['kpi-regional', 'kpi-hr', 'unrelated-group']);
    const browser = new CookieBrowser();
    const start = new URL('/app/sign-in/organisation', baseUrl);
    start.searchParams.set('organisation', TENANT);
    const started = await browser.get(start);
    const authorization = new URL(started.headers.get('location')!);
    expect(authorization.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: `${baseUrl}${CALLBACK}`,
      response_type: 'code',
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const signInCookie = started.headers
      .getSetCookie()
      .find((line) => line.startsWith('kpi_sign_in='))!;
    expect(signInCookie).toMatch(
      /^kpi_sign_in=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/app\/sign-in\/organisation; HttpOnly; SameSite=Lax; Secure$/,
    );

    const browserTwo = new CookieBrowser();
    const callback = await signIn(browserTwo, sub, '/app/returns-due');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/app/returns-due');
    const sessionCookie = callback.headers
      .getSetCookie()
      .find((line) => line.startsWith('kpi_session='))!;
    expect(sessionCookie).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    expect(browserTwo.cookie('kpi_sign_in')).toBeUndefined();

    const home = await whoAmI(browserTwo);
    expect(home.status).toBe(200);
    expect(home.text).toMatch(
      /Roles\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*hr, regional-manager\s*<\/dd>/,
    );

    const account = (await accountOf(sub))!;
    expect(account).toMatchObject({
      email: `${sub}@oidc-care.example.org`,
      roles: ['hr', 'regional-manager'],
    });
    expect(home.text).toContain(account.account_id);
    expect(await accountEvents(account.account_id)).toEqual([
      {
        type: 'PersonJoinedThroughIdentityProvider',
        data: {
          accountId: account.account_id,
          issuer: provider.issuer,
          subject: sub,
          roles: ['hr', 'regional-manager'],
          joinedAt: expect.any(String),
        },
      },
    ]);
    const stored = await api.store.readStream(streamIds.account(TENANT, account.account_id));
    expect(stored.map(({ metadata }) => metadata.actor)).toEqual([account.account_id]);
  });

  it('finds the same account at the next sign-in, and changes its roles (RolesChanged) when the claims changed', async () => {
    const sub = await person(['kpi-hr']);
    expect((await signIn(new CookieBrowser(), sub)).status).toBe(303);
    const { account_id: accountId } = (await accountOf(sub))!;

    const same = new CookieBrowser();
    expect((await signIn(same, sub)).status).toBe(303);
    expect((await accountEvents(accountId)).map((event) => event.type)).toEqual([
      'PersonJoinedThroughIdentityProvider',
    ]);

    await provider.setPerson(sub, {
      email: `moved-${sub}@oidc-care.example.org`,
      groups: ['kpi-admins'],
    });
    const changed = new CookieBrowser();
    expect((await signIn(changed, sub)).status).toBe(303);
    expect((await accountEvents(accountId)).slice(1)).toEqual([
      {
        type: 'RolesChanged',
        data: {
          accountId,
          roles: ['admin', 'hr'],
          changedBy: 'system:identity-provider',
          changedAt: expect.any(String),
        },
      },
    ]);
    expect(await accountOf(sub)).toMatchObject({
      account_id: accountId,
      email: `moved-${sub}@oidc-care.example.org`,
      roles: ['admin', 'hr'],
    });
    expect((await whoAmI(changed)).text).toMatch(/admin, hr/);
    // The session of before the change reads the roles of now.
    expect((await whoAmI(same)).text).toMatch(/admin, hr/);
  });

  it('refuses a person whose provider gives no email address, creating nothing', async () => {
    const sub = await person(['kpi-hr'], null);
    const refused = await signIn(new CookieBrowser(), sub);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('did not share your email address');
    expect(await accountOf(sub)).toBeUndefined();
  });

  it('refuses a person whose claims map to no role, with a page that says so, creating nothing', async () => {
    const sub = await person(['cleaners', 'everyone']);
    const browser = new CookieBrowser();
    const refused = await signIn(browser, sub);
    expect(refused.status).toBe(403);
    const page = await refused.text();
    expect(page).toContain('Your account gives you no role in KPI ledger');
    expect(browser.cookie('kpi_session')).toBeUndefined();
    expect(await accountOf(sub)).toBeUndefined();
    expect((await whoAmI(browser)).status).toBe(303);
  });

  it('refuses an answer whose state is not the one sent, and a callback replayed, opening no session', async () => {
    const sub = await person(['kpi-hr']);
    const browser = new CookieBrowser();
    const callback = await upToCallback(browser, sub);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'a-state-this-browser-never-sent');
    const refused = await browser.get(forged);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Your sign-in could not be checked');
    expect(browser.cookie('kpi_session')).toBeUndefined();
    // The sign-in under way was used up by that try: the true answer now finds none.
    const replayed = await browser.get(callback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('Your sign-in has expired');
    expect(await accountOf(sub)).toBeUndefined();

    const honest = new CookieBrowser();
    const honestCallback = await upToCallback(honest, sub);
    expect((await honest.get(honestCallback)).status).toBe(303);
    const session = honest.cookie('kpi_session');
    // The same answer again, in that browser or in another one: refused, no session opened.
    expect((await honest.get(honestCallback)).status).toBe(400);
    expect(honest.cookie('kpi_session')).toBe(session);
    const another = new CookieBrowser();
    expect((await another.get(honestCallback)).status).toBe(400);
    expect(another.cookie('kpi_session')).toBeUndefined();
  });

  it('refuses a person whose access an admin removed, and ends the session they had', async () => {
    const sub = await person(['kpi-hr']);
    const browser = new CookieBrowser();
    expect((await signIn(browser, sub)).status).toBe(303);
    const { account_id: accountId } = (await accountOf(sub))!;
    const removed = await api
      .http()
      .post(`/accounts/${accountId}/access-removal`)
      .set('Authorization', `Bearer ${adminToken()}`);
    expect(removed.body).toEqual({ accountId, status: 'removed' });
    expect((await whoAmI(browser)).status).toBe(303);
    const ended = browser.cookie('kpi_session');

    const again = await signIn(browser, sub);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('Your access to KPI ledger was removed');
    expect(browser.cookie('kpi_session')).toBe(ended);
    expect((await whoAmI(browser)).status).toBe(303);
    expect((await accountEvents(accountId)).map((event) => event.type)).toEqual([
      'PersonJoinedThroughIdentityProvider',
      'AccessRemoved',
    ]);
  });

  it('ends the session the browser held when it signs in again (no session fixation)', async () => {
    const sub = await person(['kpi-hr']);
    const browser = new CookieBrowser();
    expect((await signIn(browser, sub)).status).toBe(303);
    const before = browser.cookie('kpi_session')!;
    expect((await signIn(browser, sub)).status).toBe(303);
    expect(browser.cookie('kpi_session')).not.toBe(before);
    const stale = await fetch(new URL('/app', baseUrl), {
      headers: { cookie: `kpi_session=${before}` },
      redirect: 'manual',
    });
    expect(stale.status).toBe(303);
  });

  it('asks for the organisation id, and says so when it names no organisation with an identity provider', async () => {
    const browser = new CookieBrowser();
    const blank = await browser.get(new URL('/app/sign-in/organisation?organisation=', baseUrl));
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('Enter your organisation id');
    for (const organisation of ['no-such-organisation', 'Not an id!']) {
      const url = new URL('/app/sign-in/organisation', baseUrl);
      url.searchParams.set('organisation', organisation);
      const unknown = await browser.get(url);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain(
        'There is no organisation with that id that signs in with its own account',
      );
    }
    const signInPage = await (await browser.get(new URL('/app/sign-in', baseUrl))).text();
    expect(signInPage).toContain('Sign in with your organisation’s account');
    expect(signInPage).toContain('action="/app/sign-in/organisation"');
  });
});
