import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandContext } from '@kpi/command-handling';
import type { SealedPersonalData } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault, type ErasureContext } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { eraseAccountOfSubject } from './account-erasure';
import { listAccounts } from './accounts-directory';
import { namePeople } from './accounts.query';
import { acceptInvitation, invitePerson, removeAccess } from './accounts.use-cases';
import { principalOfSession, signIn, SignInRefusedError } from './sessions';

/**
 * Erasing a person whose account id is the data subject (real PostgreSQL): the invitation's
 * sealed email is unreadable, and in the same transaction their access is removed and the
 * account's mutable rows are cleared — email, password, invitation, sessions, failed sign-ins.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('account_erasure');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database.drop());

const PASSWORD = 'correct horse battery staple';
const t0 = new Date('2026-03-02T09:00:00Z');
const erasedAt = new Date('2026-05-11T09:30:00Z');

const contextOf = (tenantId: string, actor: string, now: Date): CommandContext => ({
  store,
  tenantId,
  actor,
  correlationId: null,
  commandId: randomUUID(),
  now,
});
const erasure = (tenantId: string): ErasureContext => ({
  ...contextOf(tenantId, 'user:dpo-1', erasedAt),
  store,
  pool,
  alsoErase: [eraseAccountOfSubject],
});

/** A tenant with an active account, signed in, and a failed sign-in counted against its email. */
async function signedInAccount() {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const email = `${randomUUID().slice(0, 8)}@example.org`;
  const invitation = await invitePerson(contextOf(tenantId, 'admin-1', t0), pool, vault, {
    email,
    roles: ['hr'],
    managerId: null,
  });
  await acceptInvitation(store, pool, {
    invitationToken: invitation.invitationToken,
    password: PASSWORD,
    now: t0,
    correlationId: null,
  });
  const signIn_ = (password: string) => signIn(pool, { email, password, ip: ip(), now: t0 });
  await expect(signIn_('not the password')).rejects.toThrow(SignInRefusedError);
  const { sessionId } = await signIn_(PASSWORD);
  return { tenantId, email, accountId: invitation.accountId, sessionId };
}

const ip = () => `10.8.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const rowsOf = async (sql: string, values: unknown[]) => (await pool.query(sql, values)).rows;

describe('erasing a person whose account id is the subject', () => {
  it('removes their access and clears the account’s email, password, sessions and failed sign-ins', async () => {
    const { tenantId, email, accountId, sessionId } = await signedInAccount();
    await pool.query(`INSERT INTO sign_in_failures (subject, failed_at) VALUES ($1, $2)`, [
      `email:${email}`,
      t0,
    ]);
    const erased = await eraseDataSubject(erasure(tenantId), {
      subjectId: accountId,
      reason: 'consent-withdrawn',
    });
    expect(erased).toMatchObject({ subjectId: accountId, erasedOn: '2026-05-11' });

    expect(
      await rowsOf('SELECT email, status FROM accounts WHERE tenant_id = $1', [tenantId]),
    ).toEqual([{ email: `erased-${accountId}@invalid`, status: 'removed' }]);
    for (const table of ['credentials', 'invitations']) {
      expect(await rowsOf(`SELECT 1 FROM ${table} WHERE tenant_id = $1`, [tenantId])).toEqual([]);
    }
    expect(
      await rowsOf('SELECT 1 FROM sign_in_failures WHERE subject = $1', [`email:${email}`]),
    ).toEqual([]);
    expect(
      await rowsOf('SELECT 1 FROM sessions WHERE tenant_id = $1 AND revoked_at IS NULL', [
        tenantId,
      ]),
    ).toEqual([]);
    // Only now: a refused sign-in counts a failure against the email again.
    expect(await principalOfSession(pool, sessionId, t0)).toBeNull();
    await expect(
      signIn(pool, { email, password: PASSWORD, ip: ip(), now: erasedAt }),
    ).rejects.toThrow(SignInRefusedError);
  });

  it('says so in the account’s trail, by the data-protection officer, and the email there is unreadable', async () => {
    const { tenantId, email, accountId } = await signedInAccount();
    await eraseDataSubject(erasure(tenantId), {
      subjectId: accountId,
      reason: 'consent-withdrawn',
    });
    const events = await store.readStream(`${tenantId}:account:${accountId}`);
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([
      ['PersonInvited', 'admin-1'],
      ['InvitationAccepted', accountId],
      ['AccessRemoved', 'user:dpo-1'],
    ]);
    const sealed = (events[0]!.data as { email: SealedPersonalData }).email;
    expect((await vault.open(tenantId, [sealed])).get(sealed.ref)).toEqual({
      erasedOn: '2026-05-11',
    });
    expect(JSON.stringify(events)).not.toContain(email.split('@')[0]);
    expect((await store.verify({ tenantId })).brokenLinks).toEqual([]);
  });

  it('lists them as erased, last, with their data subject id; names them nowhere', async () => {
    const { tenantId, accountId } = await signedInAccount();
    const other = `${randomUUID().slice(0, 8)}@example.org`;
    const kept = await invitePerson(contextOf(tenantId, 'admin-1', t0), pool, vault, {
      email: other,
      roles: ['regulator'],
      managerId: null,
    });
    await eraseDataSubject(erasure(tenantId), { subjectId: accountId, reason: 'no-longer-needed' });
    expect(await listAccounts(pool, vault, tenantId)).toEqual([
      expect.objectContaining({ accountId: kept.accountId, email: other, status: 'invited' }),
      expect.objectContaining({
        accountId,
        dataSubjectId: accountId,
        email: { erasedOn: '2026-05-11' },
        status: 'removed',
      }),
    ]);
    const names = await namePeople(pool, tenantId, { userIds: [accountId, kept.accountId] });
    expect(names).toEqual(new Map([[kept.accountId, other]]));
  });

  it('appends no second AccessRemoved when an admin had removed access already', async () => {
    const { tenantId, accountId } = await signedInAccount();
    await removeAccess(contextOf(tenantId, 'admin-1', t0), pool, { accountId });
    await eraseDataSubject(erasure(tenantId), { subjectId: accountId, reason: 'no-longer-needed' });
    const events = await store.readStream(`${tenantId}:account:${accountId}`);
    expect(events.map((e) => e.type)).toEqual([
      'PersonInvited',
      'InvitationAccepted',
      'AccessRemoved',
    ]);
    expect(await rowsOf('SELECT email FROM accounts WHERE tenant_id = $1', [tenantId])).toEqual([
      { email: `erased-${accountId}@invalid` },
    ]);
  });

  it('leaves accounts alone when the subject is not one (a complainant, a manager)', async () => {
    const { tenantId, email } = await signedInAccount();
    await vault.seal({ tenantId, subjectId: 'mgr-siwan', plaintexts: [{ plaintext: 'reasons' }] });
    await eraseDataSubject(erasure(tenantId), {
      subjectId: 'mgr-siwan',
      reason: 'no-longer-needed',
    });
    expect(
      await rowsOf('SELECT email, status FROM accounts WHERE tenant_id = $1', [tenantId]),
    ).toEqual([{ email, status: 'active' }]);
    await expect(
      signIn(pool, { email, password: PASSWORD, ip: ip(), now: erasedAt }),
    ).resolves.toMatchObject({ principal: { tenantId } });
  });
});
