import { InvalidCommandError } from '@kpi/domain';
import { deciderSpecification } from '@kpi/testing';
import {
  identityProviderDecider,
  identityProviderSettingsProblems,
  scopesOf,
  type IdentityProviderCommand,
  type IdentityProviderSettings,
} from './identity-provider.decider';

const spec = deciderSpecification(identityProviderDecider);
const now = new Date('2026-03-02T10:00:00Z');

const settings = (change: Partial<IdentityProviderSettings> = {}): IdentityProviderSettings => ({
  issuer: 'https://login.example.org/realms/care',
  clientId: 'kpi-ledger',
  roleClaim: 'groups',
  roleMappings: [{ claimValue: 'kpi-hr', roles: ['hr'] }],
  additionalScopes: [],
  ...change,
});
const configure = (change: Partial<IdentityProviderSettings> = {}): IdentityProviderCommand => ({
  type: 'ConfigureIdentityProvider',
  data: { settings: settings(change), configuredBy: 'acc-admin', now },
});

describe("an organisation's identity provider", () => {
  it('records the settings, who set them and when; each role and scope once', () => {
    spec
      .given([])
      .when(
        configure({
          roleMappings: [{ claimValue: 'kpi-admins', roles: ['admin', 'hr', 'admin'] }],
          additionalScopes: ['groups', 'groups'],
        }),
      )
      .then([
        {
          type: 'IdentityProviderConfigured',
          data: {
            issuer: 'https://login.example.org/realms/care',
            clientId: 'kpi-ledger',
            roleClaim: 'groups',
            roleMappings: [{ claimValue: 'kpi-admins', roles: ['admin', 'hr'] }],
            additionalScopes: ['groups'],
            configuredBy: 'acc-admin',
            configuredAt: now.toISOString(),
          },
        },
      ]);
  });

  it('replaces settings there were; the state is the latest', () => {
    const first = identityProviderDecider.decide(configure(), { settings: null });
    const second = identityProviderDecider.decide(configure({ roleClaim: 'roles' }), {
      settings: settings(),
    });
    const state = [...first, ...second].reduce(identityProviderDecider.evolve, {
      settings: null,
    });
    expect(state.settings).toEqual(settings({ roleClaim: 'roles' }));
  });

  it('refuses settings with a problem, naming each field', () => {
    spec
      .given([])
      .when(configure({ clientId: ' ', roleMappings: [] }))
      .thenThrows(InvalidCommandError, /^clientId: must not be empty; roleMappings: name at least/);
  });

  it.each([
    ['https://login.example.org', undefined],
    ['http://127.0.0.1:8080', undefined],
    ['http://localhost:8080/realms/care', undefined],
    ['http://login.example.org', 'must start with https://'],
    ['ftp://login.example.org', 'must start with https://'],
    ['login.example.org', 'must be a URL, like https://login.example.org/realms/care'],
    ['https://login.example.org/#x', 'must have no query or fragment'],
    ['https://me:pw@login.example.org', 'must not carry a user name or password'],
  ])('takes %s as an issuer: %s', (issuer, problem) => {
    const problems = identityProviderSettingsProblems(settings({ issuer }));
    expect(problems).toEqual(problem === undefined ? [] : [{ field: 'issuer', reason: problem }]);
  });

  it('wants each claim value once, with roles of KPI ledger, and scopes beyond the standard ones', () => {
    expect(
      identityProviderSettingsProblems(
        settings({
          roleMappings: [
            { claimValue: 'a', roles: ['hr'] },
            { claimValue: 'a', roles: [] },
            { claimValue: '', roles: ['owner' as never] },
          ],
          additionalScopes: ['email', 'groups', 'a b'],
        }),
      ),
    ).toEqual([
      { field: 'roleMappings[1].claimValue', reason: 'is mapped already' },
      { field: 'roleMappings[1].roles', reason: 'name at least one role' },
      { field: 'roleMappings[2].claimValue', reason: 'must not be empty' },
      { field: 'roleMappings[2].roles', reason: 'must be roles of KPI ledger' },
      { field: 'additionalScopes[0]', reason: 'is asked for always (openid email profile)' },
      { field: 'additionalScopes[2]', reason: 'must be a scope: visible characters, no spaces' },
    ]);
  });

  it('asks for openid, email and profile, then the admin’s scopes', () => {
    expect(scopesOf({ additionalScopes: [] })).toBe('openid email profile');
    expect(scopesOf({ additionalScopes: ['groups', 'offline'] })).toBe(
      'openid email profile groups offline',
    );
  });
});
