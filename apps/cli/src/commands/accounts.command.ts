import { randomUUID } from 'node:crypto';
import { isEntityId, type CommandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import { invitePerson, type Invitation } from '@kpi/features/accounts';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import type { Pool } from 'pg';

export interface CreateAdminOptions {
  tenant: string;
  email: string;
  baseUrl: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `cli accounts create-admin`: invites an organisation's first account admin (role `admin`)
 * and prints the invitation link (they choose their password there, then invite the others
 * at /app/people). The event names `system:cli` as who invited them.
 */
export async function createAdminCommand(options: CreateAdminOptions): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    const invitation = await createAdmin(store, pool, options);
    console.log(invitationLine(invitation, options.baseUrl));
  } finally {
    await pool.end();
  }
}

/** Invites `email` as an admin of `tenant`; a bad tenant id or email is refused, nothing written. */
export async function createAdmin(
  store: EventStore,
  pool: Pool,
  { tenant, email }: { tenant: string; email: string },
): Promise<Invitation> {
  if (!isEntityId(tenant)) {
    throw new Error(
      `--tenant must be 1 to 63 lowercase letters, digits or -, starting with a letter or digit; got "${tenant}"`,
    );
  }
  const address = email.trim().toLowerCase();
  if (!EMAIL.test(address)) throw new Error(`--email must be an email address; got "${email}"`);
  const context: CommandContext = {
    store,
    tenantId: tenant,
    actor: 'system:cli',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date(),
  };
  return invitePerson(context, pool, { email: address, roles: ['admin'], managerId: null });
}

/** What the command prints: the link to give the admin, and until when it works. */
export function invitationLine(invitation: Invitation, baseUrl: string): string {
  const link = `${baseUrl.replace(/\/+$/, '')}/app/invitations/${invitation.invitationToken}`;
  return `${link}\n(invitation for ${invitation.email}, account ${invitation.accountId}; single use, valid until ${invitation.expiresAt})`;
}
