import type { Role } from '@kpi/domain';

/*
 * How an organisation's people sign in through its own identity provider (OpenID Connect), on
 * the stream `<tenant>:identity-provider`. The client secret is never here: the
 * `identity_providers` table keeps it (the log can never be erased).
 */

/** The people whose role claim holds `claimValue` get `roles`. */
export interface RoleMapping {
  claimValue: string;
  roles: Role[];
}

/** An admin set (or replaced) the organisation's identity provider and how roles come from it. */
export interface IdentityProviderConfigured {
  type: 'IdentityProviderConfigured';
  data: {
    /** The provider's issuer URL, where its discovery document is found. */
    issuer: string;
    clientId: string;
    /** The claim (of the ID token or the userinfo) whose values say what a person may do. */
    roleClaim: string;
    roleMappings: RoleMapping[];
    /** Scopes asked for besides `openid email profile` (one that releases the role claim). */
    additionalScopes: string[];
    configuredBy: string;
    configuredAt: string;
  };
}

export type IdentityProviderEvent = IdentityProviderConfigured;
