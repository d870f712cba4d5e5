import type { Pool } from 'pg';
import { FAILURE_WINDOW_MS, SESSION_IDLE_MS } from './sessions';

/** How long an ended session's row is kept (who was signed in lately, for support). */
export const ENDED_SESSIONS_KEPT_MS = 24 * 60 * 60 * 1000;

/** How often the worker clears out sign-in's lapsed records. */
export const SIGN_IN_HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

export interface SignInRecordsPurged {
  sessions: number;
  failures: number;
  lockouts: number;
}

/**
 * Deletes what sign-in no longer needs as of `now`: sessions that ended (revoked, past their
 * 12 hours, or idle too long) more than a day ago; failed sign-ins older than the lockout's
 * window (they no longer count); lockouts that have lapsed. What still decides a sign-in or a
 * request is never touched, so it can run at any time, on any number of workers at once.
 */
export async function purgeSignInRecords(db: Pool, now: Date): Promise<SignInRecordsPurged> {
  const sessions = await db.query(
    `DELETE FROM sessions
      WHERE least(expires_at, revoked_at, last_seen_at + $2::float8 * interval '1 millisecond') < $1`,
    [new Date(now.getTime() - ENDED_SESSIONS_KEPT_MS), SESSION_IDLE_MS],
  );
  const failures = await db.query('DELETE FROM sign_in_failures WHERE failed_at <= $1', [
    new Date(now.getTime() - FAILURE_WINDOW_MS),
  ]);
  const lockouts = await db.query('DELETE FROM sign_in_lockouts WHERE locked_until <= $1', [now]);
  return {
    sessions: sessions.rowCount ?? 0,
    failures: failures.rowCount ?? 0,
    lockouts: lockouts.rowCount ?? 0,
  };
}
