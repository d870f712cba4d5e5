import { createHash } from 'node:crypto';
import {
  handleCommand,
  loadState,
  uuidFromParts,
  type CommandContext,
} from '@kpi/command-handling';
import { ConflictError, isSealed, NotFoundError, streamIds, type Role } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { Pool } from 'pg';
import { accountDecider } from './account.decider';
import type { AccountEvent } from './account.events';
import { saveAccount } from './accounts-directory';
import { checkPassword, hashPassword } from './passwords';
import { newSecret, secretHash } from './secrets';
import { revokeSessionsOf } from './sessions';

export interface InvitePersonInput {
  /** Lower-cased and trimmed at the edge. */
  email: string;
  roles: Role[];
  managerId: string | null;
}

export interface Invitation {
  accountId: string;
  email: string;
  /** Given once, to pass to the person (a link); only its SHA-256 is kept. */
  invitationToken: string;
  expiresAt: string;
}

/**
 * Invites a person by email. The account id derives from the command id, so a retried
 * request is the same account; an email already in use by a password account (in any
 * organisation: sign-in is by email alone) is a conflict. The email an identity provider gave
 * an account of its own is not: that account never signs in by email. The event holds the
 * email sealed under the account's key (the account id is the person's data subject id); the
 * accounts table keeps it for sign-in, until the person is erased.
 */
export async function invitePerson(
  context: CommandContext,
  pool: Pool,
  vault: PersonalDataVault,
  { email, roles, managerId }: InvitePersonInput,
): Promise<Invitation> {
  const accountId = accountIdFor(context.commandId);
  const taken = await pool.query(
    `SELECT 1 FROM accounts WHERE lower(email) = lower($1) AND identity_subject IS NULL
        AND NOT (tenant_id = $2 AND account_id = $3)`,
    [email, context.tenantId, accountId],
  );
  if (taken.rowCount) throw new ConflictError(`${email} already has an account`);
  const outcome = await handleCommand(
    context,
    streamIds.account(context.tenantId, accountId),
    accountDecider,
    {
      type: 'InvitePerson',
      data: { accountId, email, roles, managerId, invitedBy: context.actor, now: context.now },
    },
    { beforeAppend: sealInvitedEmail(vault, context) },
  );
  await saveAccount(pool, context.tenantId, outcome.state, context.now, {
    email,
    invitedAt: context.now,
  });
  const invitationToken = newSecret();
  const expiresAt = outcome.state.invitationExpiresAt!;
  await pool.query(
    `INSERT INTO invitations (token_hash, tenant_id, account_id, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, account_id) DO UPDATE SET token_hash = EXCLUDED.token_hash`,
    [secretHash(invitationToken), context.tenantId, accountId, expiresAt],
  );
  return { accountId, email, invitationToken, expiresAt };
}

export interface AcceptInvitationInput {
  invitationToken: string;
  password: string;
  now: Date;
  correlationId: string | null;
}

/**
 * Accepts an invitation and sets the password. The token is single-use and expires with the
 * invitation; the event names the person themselves as the actor.
 */
export async function acceptInvitation(
  store: EventStore,
  pool: Pool,
  { invitationToken, password, now, correlationId }: AcceptInvitationInput,
): Promise<{ accountId: string; tenantId: string }> {
  const hash = secretHash(invitationToken);
  const { rows } = await pool.query<{ tenant_id: string; account_id: string; email: string }>(
    `SELECT i.tenant_id, i.account_id, a.email FROM invitations i
       JOIN accounts a USING (tenant_id, account_id)
      WHERE i.token_hash = $1 AND i.used_at IS NULL`,
    [hash],
  );
  const found = rows[0];
  if (!found) throw new NotFoundError('There is no such invitation, or it has been used');
  checkPassword(password, found.email);
  const context: CommandContext = {
    store,
    tenantId: found.tenant_id,
    actor: found.account_id,
    correlationId,
    commandId: uuidFromHash(hash),
    now,
  };
  const outcome = await handleCommand(
    context,
    streamIds.account(found.tenant_id, found.account_id),
    accountDecider,
    { type: 'AcceptInvitation', data: { accountId: found.account_id, now } },
  );
  const passwordHash = await hashPassword(password);
  await pool.query(
    `INSERT INTO credentials (tenant_id, account_id, password_hash, set_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, account_id) DO UPDATE
       SET password_hash = EXCLUDED.password_hash, set_at = EXCLUDED.set_at`,
    [found.tenant_id, found.account_id, passwordHash, now],
  );
  await pool.query('UPDATE invitations SET used_at = $2 WHERE token_hash = $1', [hash, now]);
  await saveAccount(pool, found.tenant_id, outcome.state, now);
  return { accountId: found.account_id, tenantId: found.tenant_id };
}

/** Removes a person's access: the event, then every session of theirs ends at once. */
export async function removeAccess(
  context: CommandContext,
  pool: Pool,
  { accountId }: { accountId: string },
): Promise<{ accountId: string; status: 'removed' }> {
  const streamId = streamIds.account(context.tenantId, accountId);
  const state = await loadState(context, streamId, accountDecider);
  if (state.status === 'none') throw new NotFoundError(`There is no account ${accountId}`);
  const outcome = await handleCommand(context, streamId, accountDecider, {
    type: 'RemoveAccess',
    data: { removedBy: context.actor, now: context.now },
  });
  await saveAccount(pool, context.tenantId, outcome.state, context.now);
  await revokeSessionsOf(pool, context.tenantId, accountId, context.now);
  return { accountId, status: 'removed' };
}

/**
 * Links a person's account to the manager id they are in capability records and regions, or
 * unlinks it (`managerId` null). Takes effect at the person's next request: sessions read the
 * accounts table.
 */
export async function linkManager(
  context: CommandContext,
  pool: Pool,
  { accountId, managerId }: { accountId: string; managerId: string | null },
): Promise<{ accountId: string; managerId: string | null }> {
  const streamId = streamIds.account(context.tenantId, accountId);
  const state = await loadState(context, streamId, accountDecider);
  if (state.status === 'none') throw new NotFoundError(`There is no account ${accountId}`);
  const outcome = await handleCommand(context, streamId, accountDecider, {
    type: 'LinkManager',
    data: { managerId, linkedBy: context.actor, now: context.now },
  });
  await saveAccount(pool, context.tenantId, outcome.state, context.now);
  return { accountId, managerId: outcome.state.managerId };
}

/**
 * Seals the email of a decided invitation under the account's key, with a ref derived from the
 * command, so a retried invitation seals once.
 */
function sealInvitedEmail(vault: PersonalDataVault, context: CommandContext) {
  return (events: AccountEvent[]): Promise<AccountEvent[]> =>
    Promise.all(
      events.map(async (event): Promise<AccountEvent> => {
        if (event.type !== 'PersonInvited' || isSealed(event.data.email)) return event;
        const [sealed] = await vault.seal({
          tenantId: context.tenantId,
          subjectId: event.data.accountId,
          plaintexts: [
            {
              ref: uuidFromParts(context.commandId, 'invitation', 'email'),
              plaintext: event.data.email,
            },
          ],
        });
        return { ...event, data: { ...event.data, email: sealed! } };
      }),
    );
}

/** `acc-` and 16 hex digits of the command id's hash: a valid entity id, the same on a retry. */
export function accountIdFor(commandId: string): string {
  return `acc-${createHash('sha256').update(commandId).digest('hex').slice(0, 16)}`;
}

function uuidFromHash(hash: Buffer): string {
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
