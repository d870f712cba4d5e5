import type { Principal } from '@kpi/auth';
import type { Role } from '@kpi/domain';
import type { Pool } from 'pg';
import { decoyPasswordHash, passwordMatches } from './passwords';
import { newSecret, secretHash } from './secrets';

/** How long a session lives: ended after 30 minutes unused, and 12 hours after sign-in at most. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

/**
 * Lockout: this many failed sign-ins within the window lock the email (or the address) for
 * `LOCKOUT_MS`. An address gets more tries than one email: an office shares one.
 */
export const FAILURES_BEFORE_LOCKOUT = { email: 5, ip: 20 } as const;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_MS = 15 * 60 * 1000;

/** The email or the password is wrong (never saying which). */
export class SignInRefusedError extends Error {
  constructor() {
    super('The email address or the password is wrong');
    this.name = new.target.name;
  }
}

/** Too many failed sign-ins: no password is checked until `until`. */
export class SignInLockedError extends Error {
  constructor(readonly until: Date) {
    super(`Too many failed sign-ins: try again after ${until.toISOString()}`);
    this.name = new.target.name;
  }
}

export interface SignInInput {
  email: string;
  password: string;
  /** The caller's address, counted for lockout like the email. */
  ip: string;
  now: Date;
  /** A session id the browser already presented: it is ended, never promoted. */
  presentedSessionId?: string | undefined;
}

export interface SignedIn {
  /** The new session's id, for the cookie; only its SHA-256 is stored. */
  sessionId: string;
  principal: Principal;
  expiresAt: Date;
}

/**
 * Signs a person in with email and password: refuses while locked out, counts a failure
 * against the email and the address, and on success opens a new session with a new random id.
 */
export async function signIn(pool: Pool, input: SignInInput): Promise<SignedIn> {
  const { password, ip, now } = input;
  const email = input.email.trim().toLowerCase();
  const subjects = [`email:${email}`, `ip:${ip}`];
  const locked = await pool.query<{ locked_until: Date }>(
    `SELECT max(locked_until) AS locked_until FROM sign_in_lockouts
      WHERE subject = ANY($1) AND locked_until > $2`,
    [subjects, now],
  );
  const lockedUntil = locked.rows[0]?.locked_until;
  if (lockedUntil) throw new SignInLockedError(lockedUntil);

  const { rows } = await pool.query<AccountRow & { password_hash: string }>(
    `SELECT a.tenant_id, a.account_id, a.email, a.roles, a.manager_id, c.password_hash
       FROM accounts a JOIN credentials c USING (tenant_id, account_id)
      WHERE lower(a.email) = $1 AND a.identity_subject IS NULL AND a.status = 'active'`,
    [email],
  );
  const account = rows[0];
  const matches = await passwordMatches(
    account?.password_hash ?? (await decoyPasswordHash()),
    password,
  );
  if (!account || !matches) {
    await recordFailure(pool, email, ip, now);
    throw new SignInRefusedError();
  }

  await pool.query('DELETE FROM sign_in_failures WHERE subject = $1', [`email:${email}`]);
  return openSession(pool, account, now, input.presentedSessionId);
}

/** An `accounts` row as sign-in reads it: who a new session is for. */
export interface AccountRow {
  tenant_id: string;
  account_id: string;
  email: string;
  roles: Role[];
  manager_id: string | null;
}

function principalOf(row: AccountRow): Principal {
  return {
    userId: row.account_id,
    tenantId: row.tenant_id,
    roles: row.roles,
    email: row.email,
    managerId: row.manager_id,
  };
}

/**
 * Opens a new session, with a new random id, for an account whose person has just proved who
 * they are (by password, or through their organisation's identity provider). A session id
 * the browser already presented is ended, never promoted (no session fixation).
 */
export async function openSession(
  pool: Pool,
  account: AccountRow,
  now: Date,
  presentedSessionId?: string,
): Promise<SignedIn> {
  if (presentedSessionId) await signOut(pool, presentedSessionId, now);
  const sessionId = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await pool.query(
    `INSERT INTO sessions (id_hash, tenant_id, account_id, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $4, $5)`,
    [secretHash(sessionId), account.tenant_id, account.account_id, now, expiresAt],
  );
  return { sessionId, principal: principalOf(account), expiresAt };
}

/** Counts a failure against the email and the address; locks either that reaches its limit. */
async function recordFailure(pool: Pool, email: string, ip: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
  const lockedUntil = new Date(now.getTime() + LOCKOUT_MS);
  for (const [subject, limit] of [
    [`email:${email}`, FAILURES_BEFORE_LOCKOUT.email],
    [`ip:${ip}`, FAILURES_BEFORE_LOCKOUT.ip],
  ] as const) {
    await pool.query(
      `WITH failed AS (INSERT INTO sign_in_failures (subject, failed_at) VALUES ($1, $2))
       INSERT INTO sign_in_lockouts (subject, locked_until)
       SELECT $1, $4 WHERE (SELECT count(*) + 1 FROM sign_in_failures
                             WHERE subject = $1 AND failed_at > $3) >= $5
       ON CONFLICT (subject) DO UPDATE SET locked_until = EXCLUDED.locked_until`,
      [subject, now, windowStart, lockedUntil, limit],
    );
  }
}

/**
 * Who a session id belongs to, or null when it is unknown, revoked, idle for too long, past
 * its 12 hours, or its account's access was removed. One statement on the primary key, which
 * also records that the session was used (its idle time starts again).
 */
export async function principalOfSession(
  pool: Pool,
  sessionId: string,
  now: Date,
): Promise<Principal | null> {
  const { rows } = await pool.query<AccountRow>(
    `UPDATE sessions s SET last_seen_at = $2
       FROM accounts a
      WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
        AND s.last_seen_at > $3
        AND a.tenant_id = s.tenant_id AND a.account_id = s.account_id AND a.status = 'active'
      RETURNING a.tenant_id, a.account_id, a.email, a.roles, a.manager_id`,
    [secretHash(sessionId), now, new Date(now.getTime() - SESSION_IDLE_MS)],
  );
  const row = rows[0];
  return row ? principalOf(row) : null;
}

/** Ends one session (sign-out). Unknown or ended ids change nothing. */
export async function signOut(pool: Pool, sessionId: string, now: Date): Promise<void> {
  await pool.query(
    'UPDATE sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL',
    [secretHash(sessionId), now],
  );
}

/** Ends every session of an account at once (access removed). */
export async function revokeSessionsOf(
  pool: Pool,
  tenantId: string,
  accountId: string,
  now: Date,
): Promise<void> {
  await pool.query(
    `UPDATE sessions SET revoked_at = $3
      WHERE tenant_id = $1 AND account_id = $2 AND revoked_at IS NULL`,
    [tenantId, accountId, now],
  );
}
