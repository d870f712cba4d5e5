import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, migrate } from '@kpi/event-store';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { secretHash } from './secrets';
import { purgeSignInRecords } from './session-housekeeping';
import { FAILURE_WINDOW_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './sessions';

let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('sign_in_housekeeping');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
});
afterAll(() => database.drop());

const now = new Date('2026-03-10T12:00:00Z');
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(now.getTime() - ms);

/** A session row as sign-in writes it: signed in at `createdAt`, last used at `lastSeenAt`. */
async function session(
  label: string,
  {
    createdAt,
    lastSeenAt = createdAt,
    revokedAt = null,
  }: {
    createdAt: Date;
    lastSeenAt?: Date;
    revokedAt?: Date | null;
  },
): Promise<void> {
  await pool.query(
    `INSERT INTO sessions (id_hash, tenant_id, account_id, created_at, last_seen_at, expires_at, revoked_at)
     VALUES ($1, 't-housekeeping', $2, $3, $4, $5, $6)`,
    [
      secretHash(label),
      `acc-${label}`,
      createdAt,
      lastSeenAt,
      new Date(createdAt.getTime() + SESSION_ABSOLUTE_MS),
      revokedAt,
    ],
  );
}

const sessionsLeft = async () =>
  (
    await pool.query<{ account_id: string }>(
      `SELECT account_id FROM sessions WHERE tenant_id = 't-housekeeping' ORDER BY account_id`,
    )
  ).rows.map((row) => row.account_id.replace('acc-', ''));

describe('purging sign-in records', () => {
  it('deletes sessions that ended more than a day ago, however they ended, and keeps the rest', async () => {
    const longAgo = DAY + SESSION_ABSOLUTE_MS + MINUTE;
    await session('in-use', { createdAt: ago(2 * 60 * MINUTE), lastSeenAt: ago(MINUTE) });
    await session('expired-long-ago', { createdAt: ago(longAgo), lastSeenAt: ago(DAY + MINUTE) });
    await session('expired-today', {
      createdAt: ago(SESSION_ABSOLUTE_MS + 60 * MINUTE),
      lastSeenAt: ago(2 * 60 * MINUTE),
    });
    await session('idle-long-ago', {
      createdAt: ago(DAY + SESSION_IDLE_MS + 10 * MINUTE),
      lastSeenAt: ago(DAY + SESSION_IDLE_MS + MINUTE),
    });
    await session('idle-today', { createdAt: ago(3 * 60 * MINUTE) });
    await session('revoked-long-ago', {
      createdAt: ago(DAY + 20 * MINUTE),
      revokedAt: ago(DAY + MINUTE),
    });
    await session('revoked-today', { createdAt: ago(20 * MINUTE), revokedAt: ago(MINUTE) });

    const purged = await purgeSignInRecords(pool, now);

    expect(purged.sessions).toBe(3);
    expect(await sessionsLeft()).toEqual([
      'expired-today',
      'idle-today',
      'in-use',
      'revoked-today',
    ]);
  });

  it('deletes failures that no longer count and lapsed lockouts, keeping those in force', async () => {
    const subject = `email:${randomUUID().slice(0, 8)}@example.org`;
    for (const failedAt of [ago(FAILURE_WINDOW_MS + MINUTE), ago(FAILURE_WINDOW_MS), ago(MINUTE)]) {
      await pool.query('INSERT INTO sign_in_failures (subject, failed_at) VALUES ($1, $2)', [
        subject,
        failedAt,
      ]);
    }
    await pool.query(
      `INSERT INTO sign_in_lockouts (subject, locked_until)
       VALUES ($1, $2), ('ip:10.9.9.1', $3), ('ip:10.9.9.2', $4)`,
      [subject, new Date(now.getTime() + MINUTE), now, ago(MINUTE)],
    );

    const purged = await purgeSignInRecords(pool, now);

    expect(purged).toMatchObject({ failures: 2, lockouts: 2 });
    const failures = await pool.query<{ failed_at: Date }>(
      'SELECT failed_at FROM sign_in_failures WHERE subject = $1',
      [subject],
    );
    expect(failures.rows.map((row) => row.failed_at)).toEqual([ago(MINUTE)]);
    const lockouts = await pool.query<{ subject: string }>('SELECT subject FROM sign_in_lockouts');
    expect(lockouts.rows.map((row) => row.subject)).toEqual([subject]);
  });

  it('finds nothing more to delete when run again', async () => {
    expect(await purgeSignInRecords(pool, now)).toEqual({ sessions: 0, failures: 0, lockouts: 0 });
  });
});
