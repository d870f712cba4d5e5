import { streamIds } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { acceptInvitation, listAccounts } from '@kpi/features/accounts';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { createAdmin, invitationLine } from './accounts.command';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
beforeAll(async () => {
  database = await createTestDatabase('accounts_cli');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
});
afterAll(() => database.drop());

describe('cli accounts create-admin', () => {
  it('invites an admin and prints the /app/invitations link, which works once', async () => {
    const invitation = await createAdmin(store, pool, {
      tenant: 'acme-care',
      email: ' Ada@Example.org ',
    });
    expect(await listAccounts(pool, 'acme-care')).toEqual([
      expect.objectContaining({ email: 'ada@example.org', roles: ['admin'], status: 'invited' }),
    ]);
    const [link, note] = invitationLine(invitation, 'https://kpi.example.org/').split('\n');
    expect(link).toBe(`https://kpi.example.org/app/invitations/${invitation.invitationToken}`);
    expect(note).toContain('ada@example.org');
    expect(invitationLine(invitation, '').split('\n')[0]).toBe(
      `/app/invitations/${invitation.invitationToken}`,
    );
    const accepted = await acceptInvitation(store, pool, {
      invitationToken: invitation.invitationToken,
      password: 'correct horse battery staple',
      now: new Date(),
      correlationId: null,
    });
    expect(accepted).toEqual({ accountId: invitation.accountId, tenantId: 'acme-care' });
    const [event] = await store.readStream(streamIds.account('acme-care', invitation.accountId));
    expect(event?.data).toMatchObject({ invitedBy: 'system:cli', roles: ['admin'] });
  });

  it('refuses a bad tenant id or email, writing nothing', async () => {
    await expect(
      createAdmin(store, pool, { tenant: 'Acme Care', email: 'a@b.org' }),
    ).rejects.toThrow(/--tenant must be/);
    await expect(createAdmin(store, pool, { tenant: 'other', email: 'nope' })).rejects.toThrow(
      /--email must be an email address/,
    );
    expect(await listAccounts(pool, 'Acme Care')).toEqual([]);
    expect(await listAccounts(pool, 'other')).toEqual([]);
  });
});
