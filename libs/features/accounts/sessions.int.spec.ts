import { randomBytes, randomUUID } from 'node:crypto';
import { metadataOf, toDomainEvent, type CommandContext } from '@kpi/command-handling';
import { ConflictError, foldEvents, InvalidCommandError, type Role } from '@kpi/domain';
import {
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import {
  acceptInvitation,
  invitePerson,
  removeAccess,
  type InvitePersonInput,
} from './accounts.use-cases';
import { accountDecider } from './account.decider';
import type { AccountEvent } from './account.events';
import {
  LOCKOUT_MS,
  principalOfSession,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  signIn,
  SignInLockedError,
  SignInRefusedError,
  signOut,
} from './sessions';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('accounts');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database.drop());

const invite = (context: CommandContext, input: InvitePersonInput) =>
  invitePerson(context, pool, vault, input);

const t0 = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const MINUTE = 60 * 1000;
const PASSWORD = 'correct horse battery staple';

const adminOf = (tenantId: string, now = t0): CommandContext => ({
  store,
  tenantId,
  actor: 'admin-1',
  correlationId: null,
  commandId: randomUUID(),
  now,
});

/** A tenant and an active account of its own, with a unique email. */
async function activeAccount(roles: Role[] = ['hr']) {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const email = `${randomUUID().slice(0, 8)}@example.org`;
  const invitation = await invite(adminOf(tenantId), { email, roles, managerId: null });
  await acceptInvitation(store, pool, {
    invitationToken: invitation.invitationToken,
    password: PASSWORD,
    now: t0,
    correlationId: null,
  });
  return { tenantId, email, accountId: invitation.accountId };
}

interface SealedEmail {
  ref: string;
  subjectId: string;
  ciphertextHash: string;
}

const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe('invitations (real PostgreSQL)', () => {
  it('records the invitation on the account stream with the admin as actor, and no secret', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const invitation = await invite(adminOf(tenantId), {
      email: `${randomUUID().slice(0, 8)}@example.org`,
      roles: ['home-manager'],
      managerId: 'mgr-home-02',
    });
    const events = await store.readStream(`${tenantId}:account:${invitation.accountId}`);
    expect(events).toMatchObject([
      { type: 'PersonInvited', data: { managerId: 'mgr-home-02' }, metadata: { actor: 'admin-1' } },
    ]);
    expect(JSON.stringify(events)).not.toContain(invitation.invitationToken);
  });

  it("keeps the email in the event only sealed, under the account's key; the table keeps it for sign-in", async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const email = `${randomUUID().slice(0, 8)}@example.org`;
    const context = adminOf(tenantId);
    const invitation = await invite(context, { email, roles: ['hr'], managerId: null });
    const [event] = await store.readStream(`${tenantId}:account:${invitation.accountId}`);
    const sealed = (event!.data as { email: SealedEmail }).email;
    expect(event!.schemaVersion).toBe(2);
    expect(sealed).toEqual({
      ref: expect.any(String),
      subjectId: invitation.accountId,
      ciphertextHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(event)).not.toContain(email.split('@')[0]);
    expect((await vault.open(tenantId, [sealed])).get(sealed.ref)).toBe(email);
    const { rows } = await pool.query('SELECT email FROM accounts WHERE tenant_id = $1', [
      tenantId,
    ]);
    expect(rows).toEqual([{ email }]);

    const again = await invite(context, { email, roles: ['hr'], managerId: null });
    expect(again.accountId).toBe(invitation.accountId);
    const stored = await pool.query(
      'SELECT count(*)::int AS n FROM personal_data WHERE tenant_id = $1',
      [tenantId],
    );
    expect(stored.rows[0].n).toBe(1);
  });

  it('reads an invitation stored before emails were sealed (schema version 1) as it was', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const olderWriter = new PostgresEventStore(
      pool,
      new EventTypeRegistry([{ type: 'PersonInvited', schemaVersion: 1 }]),
    );
    const data = {
      accountId: 'acc-legacy',
      email: 'legacy@example.org',
      roles: ['hr'],
      managerId: null,
      invitedBy: 'admin-1',
      invitedAt: t0.toISOString(),
      invitationExpiresAt: at(7 * 24 * 60 * MINUTE).toISOString(),
    };
    await olderWriter.append(
      `${tenantId}:account:acc-legacy`,
      [
        {
          eventId: randomUUID(),
          type: 'PersonInvited',
          data,
          metadata: metadataOf(adminOf(tenantId)),
        },
      ],
      'no-stream',
    );
    const [event] = await store.readStream(`${tenantId}:account:acc-legacy`);
    expect(event).toMatchObject({ schemaVersion: 2, storedSchemaVersion: 1, data });
    const state = foldEvents(accountDecider, [toDomainEvent<AccountEvent>(event!)]);
    expect(state).toMatchObject({ status: 'invited', accountId: 'acc-legacy', roles: ['hr'] });
  });

  it('refuses an email that already has an account, in any organisation', async () => {
    const { email } = await activeAccount();
    await expect(
      invite(adminOf('another-org'), { email, roles: ['hr'], managerId: null }),
    ).rejects.toThrow(ConflictError);
  });

  it('uses a token once: the second acceptance is refused', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const email = `${randomUUID().slice(0, 8)}@example.org`;
    const { invitationToken } = await invite(adminOf(tenantId), {
      email,
      roles: ['hr'],
      managerId: null,
    });
    const accept = () =>
      acceptInvitation(store, pool, {
        invitationToken,
        password: PASSWORD,
        now: t0,
        correlationId: null,
      });
    await accept();
    await expect(accept()).rejects.toThrow(/no such invitation/);
  });

  it('refuses an expired invitation and a short password, setting nothing', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const email = `${randomUUID().slice(0, 8)}@example.org`;
    const { invitationToken } = await invite(adminOf(tenantId), {
      email,
      roles: ['hr'],
      managerId: null,
    });
    await expect(
      acceptInvitation(store, pool, {
        invitationToken,
        password: 'short',
        now: t0,
        correlationId: null,
      }),
    ).rejects.toThrow(InvalidCommandError);
    await expect(
      acceptInvitation(store, pool, {
        invitationToken,
        password: PASSWORD,
        now: at(8 * 24 * 60 * MINUTE),
        correlationId: null,
      }),
    ).rejects.toThrow(/expired/);
    const { rowCount } = await pool.query('SELECT 1 FROM credentials WHERE tenant_id = $1', [
      tenantId,
    ]);
    expect(rowCount).toBe(0);
  });
});

describe('sign-in and sessions (real PostgreSQL)', () => {
  it('opens a session whose id names the account, and stores only its SHA-256', async () => {
    const { tenantId, email, accountId } = await activeAccount(['hr', 'regulator']);
    const signedIn = await signIn(pool, {
      email: email.toUpperCase(),
      password: PASSWORD,
      ip: ip(),
      now: t0,
    });
    expect(Buffer.from(signedIn.sessionId, 'base64url')).toHaveLength(32);
    expect(await principalOfSession(pool, signedIn.sessionId, at(MINUTE))).toEqual({
      userId: accountId,
      tenantId,
      roles: ['hr', 'regulator'],
      email,
      managerId: null,
    });
    const stored = await pool.query('SELECT id_hash FROM sessions WHERE account_id = $1', [
      accountId,
    ]);
    expect(stored.rows[0].id_hash.toString('base64url')).not.toBe(signedIn.sessionId);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const { email } = await activeAccount();
    await expect(
      signIn(pool, { email, password: 'wrong password!', ip: ip(), now: t0 }),
    ).rejects.toThrow(SignInRefusedError);
    await expect(
      signIn(pool, { email: 'nobody@example.org', password: PASSWORD, ip: ip(), now: t0 }),
    ).rejects.toThrow(SignInRefusedError);
  });

  it('locks the email after 5 failures in 15 minutes, for 15 minutes, even for the right password', async () => {
    const { email } = await activeAccount();
    for (let n = 0; n < 4; n++) {
      await expect(
        signIn(pool, { email, password: 'wrong password!', ip: ip(), now: at(n * MINUTE) }),
      ).rejects.toThrow(SignInRefusedError);
    }
    await expect(
      signIn(pool, { email, password: 'wrong password!', ip: ip(), now: at(4 * MINUTE) }),
    ).rejects.toThrow(SignInRefusedError);
    await expect(
      signIn(pool, { email, password: PASSWORD, ip: ip(), now: at(5 * MINUTE) }),
    ).rejects.toThrow(SignInLockedError);
    const after = at(4 * MINUTE + LOCKOUT_MS + 1);
    await expect(
      signIn(pool, { email, password: PASSWORD, ip: ip(), now: after }),
    ).resolves.toBeDefined();
  });

  it('does not lock for 5 failures spread over more than 15 minutes', async () => {
    const { email } = await activeAccount();
    for (let n = 0; n < 5; n++) {
      await expect(
        signIn(pool, { email, password: 'wrong password!', ip: ip(), now: at(n * 4 * MINUTE) }),
      ).rejects.toThrow(SignInRefusedError);
    }
    await expect(
      signIn(pool, { email, password: PASSWORD, ip: ip(), now: at(17 * MINUTE) }),
    ).resolves.toBeDefined();
  });

  it('locks an address after 20 failures, whatever the emails', async () => {
    const address = ip();
    for (let n = 0; n < 20; n++) {
      await expect(
        signIn(pool, {
          email: `guess-${n}@example.org`,
          password: 'wrong password!',
          ip: address,
          now: t0,
        }),
      ).rejects.toThrow(SignInRefusedError);
    }
    const { email } = await activeAccount();
    await expect(signIn(pool, { email, password: PASSWORD, ip: address, now: t0 })).rejects.toThrow(
      SignInLockedError,
    );
  });

  it('gives a new id on every sign-in and ends the one presented before (no fixation)', async () => {
    const { email } = await activeAccount();
    const first = await signIn(pool, { email, password: PASSWORD, ip: ip(), now: t0 });
    const second = await signIn(pool, {
      email,
      password: PASSWORD,
      ip: ip(),
      now: t0,
      presentedSessionId: first.sessionId,
    });
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(await principalOfSession(pool, first.sessionId, t0)).toBeNull();
    expect(await principalOfSession(pool, second.sessionId, t0)).not.toBeNull();
  });

  it('ends a session unused for 30 minutes, and any session 12 hours after sign-in', async () => {
    const { email } = await activeAccount();
    const idle = await signIn(pool, { email, password: PASSWORD, ip: ip(), now: t0 });
    expect(
      await principalOfSession(pool, idle.sessionId, at(SESSION_IDLE_MS - MINUTE)),
    ).not.toBeNull();
    expect(await principalOfSession(pool, idle.sessionId, at(2 * SESSION_IDLE_MS))).toBeNull();

    const busy = await signIn(pool, { email, password: PASSWORD, ip: ip(), now: t0 });
    for (let used = 0; used < SESSION_ABSOLUTE_MS; used += 20 * MINUTE) {
      expect(await principalOfSession(pool, busy.sessionId, at(used))).not.toBeNull();
    }
    expect(await principalOfSession(pool, busy.sessionId, at(SESSION_ABSOLUTE_MS))).toBeNull();
  });

  it('ends the session on sign-out', async () => {
    const { email } = await activeAccount();
    const { sessionId } = await signIn(pool, { email, password: PASSWORD, ip: ip(), now: t0 });
    await signOut(pool, sessionId, t0);
    expect(await principalOfSession(pool, sessionId, t0)).toBeNull();
  });

  it('ends every session of a person at once when an admin removes access, and refuses sign-in', async () => {
    const { tenantId, email, accountId } = await activeAccount();
    const sessions = await Promise.all(
      [1, 2].map(() => signIn(pool, { email, password: PASSWORD, ip: ip(), now: t0 })),
    );
    await removeAccess(adminOf(tenantId, at(MINUTE)), pool, { accountId });
    for (const { sessionId } of sessions) {
      expect(await principalOfSession(pool, sessionId, at(MINUTE))).toBeNull();
    }
    await expect(
      signIn(pool, { email, password: PASSWORD, ip: ip(), now: at(MINUTE) }),
    ).rejects.toThrow(SignInRefusedError);
    const events = await store.readStream(`${tenantId}:account:${accountId}`);
    expect(events.map((event) => event.type)).toEqual([
      'PersonInvited',
      'InvitationAccepted',
      'AccessRemoved',
    ]);
  });
});
