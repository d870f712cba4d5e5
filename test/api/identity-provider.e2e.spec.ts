import { streamIds } from '@kpi/domain';
import { identityProviderOf } from '@kpi/features/accounts';
import { parseMasterKey } from '@kpi/personal-data';
import { startOidcProvider, type TestOidcProvider } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/** The client secret the organisation's row opens to, under the API's master key. */
async function secretOf(tenantId: string): Promise<string | undefined> {
  const record = await identityProviderOf(
    api.pool,
    tenantId,
    parseMasterKey(api.config.PERSONAL_DATA_KEY),
  );
  return record?.clientSecret;
}
let api: ApiUnderTest;
let provider: TestOidcProvider;
beforeAll(async () => {
  [api, provider] = await Promise.all([
    startApiUnderTest('api_identity_provider'),
    startOidcProvider('https://kpi.example.org/app/sign-in/organisation/callback'),
  ]);
});
afterAll(async () => {
  await provider?.close();
  await api?.close();
});

const token = (tenantId: string, roles: Parameters<ApiUnderTest['tokenFor']>[0]['roles']) =>
  `Bearer ${api.tokenFor({ tenantId, roles, userId: 'admin-1' })}`;

const settings = () => ({
  issuer: provider.issuer,
  clientId: provider.clientId,
  clientSecret: provider.clientSecret,
  roleClaim: 'groups',
  roleMappings: [
    { claimValue: 'kpi-hr', roles: ['hr'] },
    { claimValue: 'kpi-admins', roles: ['admin', 'provider-admin'] },
  ],
  additionalScopes: ['groups'],
});

const put = (tenantId: string, body: object, roles: ['admin'] | ['provider-admin'] = ['admin']) =>
  api
    .http()
    .put('/accounts/identity-provider')
    .set('Authorization', token(tenantId, roles))
    .send(body);

const eventCount = async () =>
  Number((await api.pool.query('SELECT count(*) FROM events')).rows[0].count);

describe('PUT and GET /accounts/identity-provider', () => {
  it('sets the identity provider: an event without the secret, the secret in its own table, never shown again', async () => {
    const answer = await put('idp-a', settings());
    expect(answer.status).toBe(200);
    const { clientSecret, ...shown } = settings();
    const expected = {
      ...shown,
      configuredBy: 'admin-1',
      configuredAt: expect.any(String),
      redirectUri: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:\d+\/app\/sign-in\/organisation\/callback$/,
      ),
      signInLink: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:\d+\/app\/sign-in\/organisation\?organisation=idp-a$/,
      ),
    };
    expect(answer.body).toEqual(expected);

    const read = await api
      .http()
      .get('/accounts/identity-provider')
      .set('Authorization', token('idp-a', ['admin']));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(expected);
    expect(JSON.stringify(read.body)).not.toContain(clientSecret);

    const [event] = await api.store.readStream(streamIds.identityProvider('idp-a'));
    expect(event).toMatchObject({
      type: 'IdentityProviderConfigured',
      data: { ...shown, configuredBy: 'admin-1' },
      metadata: { actor: 'admin-1' },
    });
    const { rows } = await api.pool.query(
      "SELECT count(*)::int AS n FROM events WHERE data::text LIKE '%' || $1 || '%' OR metadata::text LIKE '%' || $1 || '%'",
      [clientSecret],
    );
    expect(rows[0].n).toBe(0);
    const stored = await api.pool.query(
      'SELECT client_secret FROM identity_providers WHERE tenant_id = $1',
      ['idp-a'],
    );
    // Sealed under the vault's master key: the table holds no secret in clear.
    expect(stored.rows[0].client_secret).toMatch(/^sealed-v1:/);
    expect(stored.rows[0].client_secret).not.toContain(clientSecret);
    expect(await secretOf('idp-a')).toBe(clientSecret);
  });

  it('replaces the settings, the secret with them, recording each change', async () => {
    expect((await put('idp-b', settings())).status).toBe(200);
    const changed = {
      ...settings(),
      roleClaim: 'roles',
      clientSecret: 'a new secret',
      additionalScopes: [],
    };
    const answer = await put('idp-b', changed);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ roleClaim: 'roles', additionalScopes: [] });
    const events = await api.store.readStream(streamIds.identityProvider('idp-b'));
    expect(events.map((event) => event.data)).toMatchObject([
      { roleClaim: 'groups' },
      { roleClaim: 'roles' },
    ]);
    expect(await secretOf('idp-b')).toBe('a new secret');
  });

  it('answers 404 to an organisation that has none, and is for account admins only', async () => {
    const none = await api
      .http()
      .get('/accounts/identity-provider')
      .set('Authorization', token('idp-none', ['admin']));
    expect(none.status).toBe(404);
    expect(none.headers['content-type']).toMatch(PROBLEM_JSON);

    const before = await eventCount();
    expect((await put('idp-c', settings(), ['provider-admin'])).status).toBe(403);
    expect((await api.http().put('/accounts/identity-provider').send(settings())).status).toBe(401);
    const read = await api
      .http()
      .get('/accounts/identity-provider')
      .set('Authorization', token('idp-a', ['provider-admin']));
    expect(read.status).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    [{ issuer: 'http://login.example.org' }, 'issuer', 'must start with https://'],
    [
      { issuer: 'not a url' },
      'issuer',
      'must be a URL, like https://login.example.org/realms/care',
    ],
    [{ issuer: 'https://login.example.org/?tenant=1' }, 'issuer', 'must have no query or fragment'],
    [{ clientSecret: '' }, 'clientSecret', /must be longer than or equal to 1 characters/],
    [{ roleMappings: [] }, 'roleMappings', 'name at least one claim value and the roles it gives'],
    [
      { roleMappings: [{ claimValue: 'kpi-hr', roles: ['superuser'] }] },
      'roleMappings[0].roles',
      /^each must be one of home-manager/,
    ],
    [
      {
        roleMappings: [
          { claimValue: 'kpi-hr', roles: ['hr'] },
          { claimValue: 'kpi-hr', roles: ['admin'] },
        ],
      },
      'roleMappings[1].claimValue',
      'is mapped already',
    ],
    [
      { additionalScopes: ['openid'] },
      'additionalScopes[0]',
      'is asked for always (openid email profile)',
    ],
    [
      { additionalScopes: ['two words'] },
      'additionalScopes[0]',
      'must be a scope: visible characters, no spaces',
    ],
  ])('refuses %j, naming the field, writing nothing', async (change, field, reason) => {
    const before = await eventCount();
    const answer = await put('idp-d', { ...settings(), ...change });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(answer.body.errors).toEqual([
      { field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) },
    ]);
    expect(await eventCount()).toBe(before);
    const stored = await api.pool.query('SELECT 1 FROM identity_providers WHERE tenant_id = $1', [
      'idp-d',
    ]);
    expect(stored.rowCount).toBe(0);
  });

  it('refuses an issuer whose discovery document cannot be read, naming issuer, writing nothing', async () => {
    const before = await eventCount();
    // Nothing listens on port 1; the test provider's issuer with a path is not its issuer.
    for (const issuer of ['http://127.0.0.1:1', `${provider.issuer}/elsewhere`]) {
      const answer = await put('idp-e', { ...settings(), issuer });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { field: 'issuer', reason: expect.stringMatching(/^could not be discovered: /) },
      ]);
    }
    expect(await eventCount()).toBe(before);
  });
});
