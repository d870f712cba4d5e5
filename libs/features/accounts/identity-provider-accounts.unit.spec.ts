import { InvalidCommandError } from '@kpi/domain';
import { identityAccountIdFor, rolesFromClaims } from './identity-provider-accounts';
import { discoverIdentityProvider } from './identity-provider-client';

const mappings = [
  { claimValue: 'kpi-hr', roles: ['hr' as const] },
  { claimValue: 'kpi-admins', roles: ['admin' as const, 'hr' as const] },
  { claimValue: 'kpi-regional', roles: ['regional-manager' as const] },
];

describe('roles from claims', () => {
  it('gives the roles of every mapped value of a list claim, in the mappings’ order, each once', () => {
    expect(
      rolesFromClaims(
        { groups: ['kpi-regional', 'others', 'kpi-admins', 'kpi-hr'] },
        'groups',
        mappings,
      ),
    ).toEqual(['hr', 'admin', 'regional-manager']);
  });

  it('reads a claim that is one string', () => {
    expect(rolesFromClaims({ role: 'kpi-regional' }, 'role', mappings)).toEqual([
      'regional-manager',
    ]);
  });

  it('gives none for values it does not map, a missing claim, or a claim of another kind', () => {
    expect(rolesFromClaims({ groups: ['everyone'] }, 'groups', mappings)).toEqual([]);
    expect(rolesFromClaims({ roles: ['kpi-hr'] }, 'groups', mappings)).toEqual([]);
    expect(rolesFromClaims({ groups: { 'kpi-hr': true } }, 'groups', mappings)).toEqual([]);
    expect(rolesFromClaims({ groups: [1, null] }, 'groups', mappings)).toEqual([]);
    // Values are compared exactly, case and all.
    expect(rolesFromClaims({ groups: ['KPI-HR'] }, 'groups', mappings)).toEqual([]);
  });
});

describe('the account id of a person who signs in through their provider', () => {
  it('is the same at every sign-in, and another for another organisation, issuer or subject', () => {
    const id = identityAccountIdFor('care', 'https://idp.example.org', 'sub-1');
    expect(id).toMatch(/^acc-[0-9a-f]{16}$/);
    expect(identityAccountIdFor('care', 'https://idp.example.org', 'sub-1')).toBe(id);
    expect(
      new Set([
        identityAccountIdFor('other', 'https://idp.example.org', 'sub-1'),
        identityAccountIdFor('care', 'https://idp2.example.org', 'sub-1'),
        identityAccountIdFor('care', 'https://idp.example.org', 'sub-2'),
        id,
      ]).size,
    ).toBe(4);
  });
});

describe('discovering a provider', () => {
  it('refuses an http:// issuer where plain http is not allowed (production), asking nothing', async () => {
    const discovery = discoverIdentityProvider(
      { issuer: 'http://127.0.0.1:1', clientId: 'c', clientSecret: 's' },
      { allowLoopbackHttp: false, secretsKey: Buffer.alloc(32) },
    );
    await expect(discovery).rejects.toBeInstanceOf(InvalidCommandError);
    await expect(discovery).rejects.toThrow('issuer: must start with https://');
  });
});
