import type { Role } from '@kpi/domain';
import type { Queryable } from '@kpi/projections';
import type { Pool } from 'pg';
import type { AccountState } from './account.decider';

/**
 * The `accounts` table: each account stream's current state, for sign-in by email, the
 * session check and the admin's list. Written from the folded state after every command, so
 * a command retried with its Idempotency-Key (its events replayed) writes the row again.
 * An account that joined through an identity provider has no email in its state: its row,
 * written when it joined (with the provider's email), is updated, never inserted, here.
 */
export async function saveAccount(
  pool: Pool,
  tenantId: string,
  state: AccountState,
  invitedAt: Date,
  now: Date,
): Promise<void> {
  if (state.email === null) {
    await pool.query(
      `UPDATE accounts SET roles = $3, manager_id = $4, status = $5, updated_at = $6
        WHERE tenant_id = $1 AND account_id = $2`,
      [tenantId, state.accountId, state.roles, state.managerId, state.status, now],
    );
    return;
  }
  await pool.query(
    `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, account_id) DO UPDATE
       SET roles = EXCLUDED.roles, manager_id = EXCLUDED.manager_id,
           status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
    [
      tenantId,
      state.accountId,
      state.email,
      state.roles,
      state.managerId,
      state.status,
      invitedAt,
      now,
    ],
  );
}

/** One account as an admin sees it. */
export interface AccountListing {
  accountId: string;
  email: string;
  roles: Role[];
  managerId: string | null;
  status: 'invited' | 'active' | 'removed';
  invitedAt: string;
}

/** The organisation's accounts, by email. */
export async function listAccounts(db: Queryable, tenantId: string): Promise<AccountListing[]> {
  const { rows } = await db.query<{
    account_id: string;
    email: string;
    roles: Role[];
    manager_id: string | null;
    status: AccountListing['status'];
    invited_at: Date;
  }>(
    `SELECT account_id, email, roles, manager_id, status, invited_at
       FROM accounts WHERE tenant_id = $1 ORDER BY lower(email)`,
    [tenantId],
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    email: row.email,
    roles: row.roles,
    managerId: row.manager_id,
    status: row.status,
    invitedAt: row.invited_at.toISOString(),
  }));
}
