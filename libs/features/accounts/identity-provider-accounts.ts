import { createHash, randomUUID } from 'node:crypto';
import { handleCommand, uuidFromParts, type CommandContext } from '@kpi/command-handling';
import { streamIds, type Role } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import type { Pool } from 'pg';
import { accountDecider } from './account.decider';
import { saveAccount } from './accounts-directory';
import type { RoleMapping } from './identity-provider.events';
import type { AccountRow } from './sessions';

/** Who changed the roles, in RolesChanged, when the identity provider's claims changed them. */
export const ROLES_FROM_IDENTITY_PROVIDER = 'system:identity-provider';

/**
 * The roles a person's claims give: each value of `roleClaim` (a string, or a list of them)
 * that `roleMappings` names gives its roles; values it does not name give none. In the
 * mappings' order, each role once.
 */
export function rolesFromClaims(
  claims: Record<string, unknown>,
  roleClaim: string,
  roleMappings: readonly RoleMapping[],
): Role[] {
  const value = claims[roleClaim];
  const values = (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string',
  );
  const roles = roleMappings
    .filter(({ claimValue }) => values.includes(claimValue))
    .flatMap((mapping) => mapping.roles);
  return [...new Set(roles)];
}

/** Why a person who proved who they are at their identity provider is not let in. */
export type IdentityRefusal = 'no-role' | 'no-email' | 'access-removed';

/** The person's identity provider vouched for them, but they may not sign in (see `reason`). */
export class IdentityProviderAccountRefusedError extends Error {
  constructor(readonly reason: IdentityRefusal) {
    super(
      {
        'no-role': "Your organisation's account gives you no role in KPI ledger",
        'no-email': "Your organisation's account did not give KPI ledger your email address",
        'access-removed': 'Your access to KPI ledger was removed',
      }[reason],
    );
    this.name = new.target.name;
  }
}

export interface ProvenIdentity {
  tenantId: string;
  issuer: string;
  /** The person's `sub` at the issuer: theirs for good, unlike their email. */
  subject: string;
  email: string | null;
  /** What their claims map to (rolesFromClaims). */
  roles: Role[];
  now: Date;
  correlationId: string | null;
}

/**
 * The account of a person their organisation's identity provider has just vouched for, to
 * open a session for: found by issuer and subject; on their first sign-in created just in
 * time (PersonJoinedThroughIdentityProvider, the account id and command id derived from who
 * they are, so two first sign-ins at once are the same command); its roles changed
 * (RolesChanged) when the claims now map to others. Refused when the claims map to no role or
 * give no email, and when an admin removed their access (which no sign-in gives back). The
 * events name the account itself as their actor.
 */
export async function accountThroughIdentityProvider(
  store: EventStore,
  pool: Pool,
  identity: ProvenIdentity,
): Promise<AccountRow> {
  const { tenantId, issuer, subject, email, roles, now } = identity;
  const { rows } = await pool.query<AccountRow & { status: string }>(
    `SELECT tenant_id, account_id, email, roles, manager_id, status FROM accounts
      WHERE tenant_id = $1 AND identity_issuer = $2 AND identity_subject = $3`,
    [tenantId, issuer, subject],
  );
  const found = rows[0];
  if (found?.status === 'removed') throw new IdentityProviderAccountRefusedError('access-removed');
  if (roles.length === 0) throw new IdentityProviderAccountRefusedError('no-role');
  if (email === null) throw new IdentityProviderAccountRefusedError('no-email');

  const accountId = found?.account_id ?? identityAccountIdFor(tenantId, issuer, subject);
  const context = (commandId: string): CommandContext => ({
    store,
    tenantId,
    actor: accountId,
    correlationId: identity.correlationId,
    commandId,
    now,
  });
  const streamId = streamIds.account(tenantId, accountId);
  if (!found) {
    const joined = await handleCommand(
      context(uuidFromParts('join-through-identity-provider', tenantId, issuer, subject)),
      streamId,
      accountDecider,
      { type: 'JoinThroughIdentityProvider', data: { accountId, issuer, subject, roles, now } },
    );
    await pool.query(
      `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at,
         updated_at, identity_issuer, identity_subject)
       VALUES ($1, $2, $3, $4, NULL, $5, $6, $6, $7, $8)
       ON CONFLICT (tenant_id, account_id) DO UPDATE
         SET email = EXCLUDED.email, roles = EXCLUDED.roles, status = EXCLUDED.status,
             updated_at = EXCLUDED.updated_at`,
      [tenantId, accountId, email, joined.state.roles, joined.state.status, now, issuer, subject],
    );
    if (joined.state.status !== 'active') {
      throw new IdentityProviderAccountRefusedError('access-removed');
    }
    return rowOf(tenantId, accountId, email, joined.state.roles);
  }

  let current = found.roles;
  if (!sameRoles(roles, found.roles)) {
    const changed = await handleCommand(context(randomUUID()), streamId, accountDecider, {
      type: 'ChangeRoles',
      data: { roles, changedBy: ROLES_FROM_IDENTITY_PROVIDER, now },
    });
    await saveAccount(pool, tenantId, changed.state, now);
    current = changed.state.roles;
  }
  if (email !== found.email) {
    await pool.query(
      'UPDATE accounts SET email = $3, updated_at = $4 WHERE tenant_id = $1 AND account_id = $2',
      [tenantId, accountId, email, now],
    );
  }
  return rowOf(tenantId, accountId, email, current, found.manager_id);
}

/** `acc-` and 16 hex digits of who the person is at their provider: the same at every sign-in. */
export function identityAccountIdFor(tenantId: string, issuer: string, subject: string): string {
  const hash = createHash('sha256').update([tenantId, issuer, subject].join('\u0000'));
  return `acc-${hash.digest('hex').slice(0, 16)}`;
}

function rowOf(
  tenantId: string,
  accountId: string,
  email: string,
  roles: Role[],
  managerId: string | null = null,
): AccountRow {
  return { tenant_id: tenantId, account_id: accountId, email, roles, manager_id: managerId };
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}
