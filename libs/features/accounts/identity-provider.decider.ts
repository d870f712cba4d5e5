import { InvalidCommandError, isRole, type Decider, type FieldProblem } from '@kpi/domain';
import type { IdentityProviderEvent, RoleMapping } from './identity-provider.events';

/** What an admin says of their organisation's identity provider, but the secret. */
export interface IdentityProviderSettings {
  issuer: string;
  clientId: string;
  roleClaim: string;
  roleMappings: RoleMapping[];
  additionalScopes: string[];
}

export type IdentityProviderCommand = {
  type: 'ConfigureIdentityProvider';
  data: { settings: IdentityProviderSettings; configuredBy: string; now: Date };
};

/** The organisation's identity provider as last configured; null before. */
export interface IdentityProviderState {
  settings: IdentityProviderSettings | null;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/;
const STANDARD_SCOPES = ['openid', 'email', 'profile'];

/**
 * Why the issuer URL cannot be an issuer, or undefined: an absolute https:// URL without query
 * or fragment; http:// only on this machine (127.0.0.1, localhost, [::1]), for trying it out.
 */
function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'must be a URL, like https://login.example.org/realms/care';
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) return 'must start with https://';
  if (url.search !== '' || url.hash !== '') return 'must have no query or fragment';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  return undefined;
}

/** Every problem of `settings`, by field (`roleMappings[1].roles`); [] when there are none. */
export function identityProviderSettingsProblems(
  settings: IdentityProviderSettings,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ field, reason });
  const issuer = issuerProblem(settings.issuer);
  if (issuer) problem('issuer', issuer);
  if (settings.clientId.trim() === '') problem('clientId', 'must not be empty');
  if (settings.roleClaim.trim() === '') problem('roleClaim', 'must not be empty');
  if (settings.roleMappings.length === 0) {
    problem('roleMappings', 'name at least one claim value and the roles it gives');
  }
  const seen = new Set<string>();
  settings.roleMappings.forEach(({ claimValue, roles }, index) => {
    const at = `roleMappings[${index}]`;
    if (claimValue === '') problem(`${at}.claimValue`, 'must not be empty');
    else if (seen.has(claimValue)) problem(`${at}.claimValue`, 'is mapped already');
    seen.add(claimValue);
    if (roles.length === 0) problem(`${at}.roles`, 'name at least one role');
    if (!roles.every(isRole)) problem(`${at}.roles`, 'must be roles of KPI ledger');
  });
  settings.additionalScopes.forEach((scope, index) => {
    if (!SCOPE_TOKEN.test(scope)) {
      problem(`additionalScopes[${index}]`, 'must be a scope: visible characters, no spaces');
    } else if (STANDARD_SCOPES.includes(scope)) {
      problem(`additionalScopes[${index}]`, 'is asked for always (openid email profile)');
    }
  });
  return problems;
}

/** Refuses settings with any problem (400 naming each field). */
export function checkIdentityProviderSettings(settings: IdentityProviderSettings): void {
  const problems = identityProviderSettingsProblems(settings);
  if (problems.length > 0) throw new InvalidCommandError(problems);
}

/** The scopes a sign-in asks for: OpenID Connect's, the email, the profile, and the admin's. */
export function scopesOf(settings: Pick<IdentityProviderSettings, 'additionalScopes'>): string {
  return [...STANDARD_SCOPES, ...settings.additionalScopes].join(' ');
}

export const identityProviderDecider: Decider<
  IdentityProviderCommand,
  IdentityProviderState,
  IdentityProviderEvent
> = {
  initialState: () => ({ settings: null }),

  decide(command) {
    const { settings, configuredBy, now } = command.data;
    checkIdentityProviderSettings(settings);
    return [
      {
        type: 'IdentityProviderConfigured',
        data: {
          issuer: settings.issuer,
          clientId: settings.clientId,
          roleClaim: settings.roleClaim,
          roleMappings: settings.roleMappings.map(({ claimValue, roles }) => ({
            claimValue,
            roles: [...new Set(roles)],
          })),
          additionalScopes: [...new Set(settings.additionalScopes)],
          configuredBy,
          configuredAt: now.toISOString(),
        },
      },
    ];
  },

  evolve(_state, event) {
    const { issuer, clientId, roleClaim, roleMappings, additionalScopes } = event.data;
    return { settings: { issuer, clientId, roleClaim, roleMappings, additionalScopes } };
  },
};
