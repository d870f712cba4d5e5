import type { Role } from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { Queryable } from '@kpi/projections';
import type { Pool } from 'pg';
import type { AccountState } from './account.decider';

/**
 * The `accounts` table: each account stream's current state, for sign-in by email, the
 * session check and the admin's list. Written from the folded state after every command, so
 * a command retried with its Idempotency-Key (its events replayed) writes the row again.
 * The email is not in the state (the event holds it sealed): an invitation gives it
 * (`invited`), and the row is inserted then; every other command updates the row, never its
 * email — an account that joined through an identity provider has its row written when it
 * joined, with the provider's email.
 */
export async function saveAccount(
  pool: Pool,
  tenantId: string,
  state: AccountState,
  now: Date,
  invited?: { email: string; invitedAt: Date },
): Promise<void> {
  if (!invited) {
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
      invited.email,
      state.roles,
      state.managerId,
      state.status,
      invited.invitedAt,
      now,
    ],
  );
}

/**
 * The email an erased person's account row keeps instead of theirs: unique, and an address no
 * one can have (`.invalid` is reserved, RFC 2606), so nobody signs in with it.
 */
export const erasedEmailOf = (accountId: string): string => `erased-${accountId}@invalid`;

/** One account as an admin sees it. */
export interface AccountListing {
  accountId: string;
  /** Their email, or the day (London) the person was erased. */
  email: string | { erasedOn: string };
  /**
   * The person as a data subject: the account id, which the data-protection officer erases
   * (their email, in the invitation's event and here, goes with it).
   */
  dataSubjectId: string;
  roles: Role[];
  managerId: string | null;
  status: 'invited' | 'active' | 'removed';
  invitedAt: string;
}

/** The organisation's accounts, by email (erased people's last), and who among them is erased. */
export async function listAccounts(
  db: Queryable,
  vault: PersonalDataVault,
  tenantId: string,
): Promise<AccountListing[]> {
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
  const erased = await vault.erasures(
    tenantId,
    rows.filter((row) => row.email === erasedEmailOf(row.account_id)).map((row) => row.account_id),
  );
  const listing = rows.map((row) => {
    const erasedOn = erased.get(row.account_id);
    return {
      accountId: row.account_id,
      email: erasedOn ? { erasedOn } : row.email,
      dataSubjectId: row.account_id,
      roles: row.roles,
      managerId: row.manager_id,
      status: row.status,
      invitedAt: row.invited_at.toISOString(),
    };
  });
  return [
    ...listing.filter((account) => typeof account.email === 'string'),
    ...listing.filter((account) => typeof account.email !== 'string'),
  ];
}
