import { streamIds } from '@kpi/domain';
import { randomBytes } from 'node:crypto';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { acceptInvitation, identityProviderOf, listAccounts } from '@kpi/features/accounts';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import {
  createTestDatabase,
  startOidcProvider,
  type TestDatabase,
  type TestOidcProvider,
} from '@kpi/testing';
import type { Pool } from 'pg';
import {
  configureIdentityProvider,
  createAdmin,
  identityProviderLines,
  invitationLine,
  roleMappingOf,
} from './accounts.command';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
const secretsKey = randomBytes(32);
beforeAll(async () => {
  database = await createTestDatabase('accounts_cli');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database.drop());

describe('cli accounts create-admin', () => {
  it('invites an admin and prints the /app/invitations link, which works once', async () => {
    const invitation = await createAdmin(store, pool, vault, {
      tenant: 'acme-care',
      email: ' Ada@Example.org ',
    });
    expect(await listAccounts(pool, vault, 'acme-care')).toEqual([
      expect.objectContaining({ email: 'ada@example.org', roles: ['admin'], status: 'invited' }),
    ]);
    const [link, note] = invitationLine(invitation, 'https://kpi.example.org/').split('\n');
    expect(link).toBe(`https://kpi.example.org/app/invitations/${invitation.invitationToken}`);
    expect(note).toContain('ada@example.org');
    expect(invitationLine(invitation, '').split('\n')[0]).toBe(
      `/app/invitations/${invitation.invitationToken}`,
    );
    const accepted = await acceptInvitation(store, pool, {
      invitationToken: invitation.invitationToken,
      password: 'correct horse battery staple',
      now: new Date(),
      correlationId: null,
    });
    expect(accepted).toEqual({ accountId: invitation.accountId, tenantId: 'acme-care' });
    const [event] = await store.readStream(streamIds.account('acme-care', invitation.accountId));
    expect(event?.data).toMatchObject({ invitedBy: 'system:cli', roles: ['admin'] });
  });

  it('refuses a bad tenant id or email, writing nothing', async () => {
    await expect(
      createAdmin(store, pool, vault, { tenant: 'Acme Care', email: 'a@b.org' }),
    ).rejects.toThrow(/--tenant must be/);
    await expect(
      createAdmin(store, pool, vault, { tenant: 'other', email: 'nope' }),
    ).rejects.toThrow(/--email must be an email address/);
    expect(await listAccounts(pool, vault, 'Acme Care')).toEqual([]);
    expect(await listAccounts(pool, vault, 'other')).toEqual([]);
  });
});

describe('cli accounts set-identity-provider', () => {
  let provider: TestOidcProvider;
  beforeAll(async () => {
    provider = await startOidcProvider('https://kpi.example.org/app/sign-in/organisation/callback');
  });
  afterAll(() => provider?.close());

  const options = () => ({
    tenant: 'acme-care',
    issuer: provider.issuer,
    clientId: provider.clientId,
    roleClaim: 'groups',
    map: ['kpi-hr=hr', 'kpi-admins=admin, hr'],
    scope: ['groups'],
  });

  it('sets the identity provider as an admin would, the event naming system:cli, the secret kept aside', async () => {
    const view = await configureIdentityProvider(store, pool, options(), provider.clientSecret, {
      allowLoopbackHttp: true,
      secretsKey,
    });
    expect(view).toMatchObject({
      issuer: provider.issuer,
      roleMappings: [
        { claimValue: 'kpi-hr', roles: ['hr'] },
        { claimValue: 'kpi-admins', roles: ['admin', 'hr'] },
      ],
      additionalScopes: ['groups'],
      configuredBy: 'system:cli',
    });
    const [event] = await store.readStream(streamIds.identityProvider('acme-care'));
    expect(event?.data).toMatchObject({ configuredBy: 'system:cli', roleClaim: 'groups' });
    expect(JSON.stringify(event)).not.toContain(provider.clientSecret);
    // The row keeps the secret sealed under the vault's master key: a dump does not show it.
    const { rows } = await pool.query<{ client_secret: string }>(
      "SELECT client_secret FROM identity_providers WHERE tenant_id = 'acme-care'",
    );
    expect(rows[0]!.client_secret).toMatch(/^sealed-v1:/);
    expect(rows[0]!.client_secret).not.toContain(provider.clientSecret);
    const opened = await identityProviderOf(pool, 'acme-care', secretsKey);
    expect(opened?.clientSecret).toBe(provider.clientSecret);
    expect(identityProviderLines('acme-care', 'https://kpi.example.org/').split('\n')).toEqual([
      'redirect URI to register at the provider: https://kpi.example.org/app/sign-in/organisation/callback',
      "sign-in link for acme-care's people: https://kpi.example.org/app/sign-in/organisation?organisation=acme-care",
    ]);
  });

  it('refuses a mapping without =, a role it does not know, a bad tenant, plain http where not allowed', async () => {
    expect(roleMappingOf('a=b=hr,admin')).toEqual({ claimValue: 'a=b', roles: ['hr', 'admin'] });
    expect(() => roleMappingOf('kpi-hr')).toThrow(/--map takes "claim value=role/);
    const configure = (change: object, allowLoopbackHttp = true) =>
      configureIdentityProvider(store, pool, { ...options(), ...change }, 'secret', {
        allowLoopbackHttp,
        secretsKey,
      });
    await expect(configure({ map: ['kpi-hr=owner'] })).rejects.toThrow(
      'roleMappings[0].roles: must be roles of KPI ledger',
    );
    await expect(configure({ tenant: 'Acme Care' })).rejects.toThrow(/--tenant must be/);
    await expect(configure({ tenant: 'acme-prod' }, false)).rejects.toThrow(
      'issuer: must start with https://',
    );
    const { rows } = await pool.query(
      "SELECT tenant_id FROM identity_providers WHERE tenant_id <> 'acme-care'",
    );
    expect(rows).toEqual([]);
  });
});
