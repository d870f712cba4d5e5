import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type SealedPersonalData,
  type StaffMemberLeft,
} from '@kpi/domain';
import {
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, type TestDatabase } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import type { Pool } from 'pg';
import { recordStaffMemberLeft, registerStaffMember } from './staff.use-cases';

/**
 * Recording a leaver on PostgreSQL: the reason, which can name people, sealed into the
 * personal-data vault under the staff member's data subject (their staff id); erasing them
 * erases it, and the register keeps the day they left.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('staff_leaving');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database?.drop());

const REASON = 'Left after a grievance against Gareth Price';
const leaving = { staffId: id('cw-alys'), leftOn: '2026-05-29', reason: REASON };
const metadata = (tenantId: string) => ({
  tenantId,
  actor: 'user:set-up',
  correlationId: null,
  causationId: null,
  commandId: null,
});

/** A tenant of the test's own with its service plas-newydd and Alys on its staff. */
async function withAlys() {
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    store,
    tenantId,
    actor: 'user:hr-1',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date('2026-10-12T09:00:00Z'),
    ...overrides,
  });
  await store.append(
    `${tenantId}:service:plas-newydd`,
    [
      {
        eventId: randomUUID(),
        type: 'ServiceRegistered',
        data: {
          serviceId: 'plas-newydd',
          name: 'Plas Newydd',
          regionId: 'north',
          serviceType: 'childrens-home',
          frameworkId: 'childrens-homes',
          openedOn: '2024-04-01',
          registeredBy: 'user:admin',
          registeredAt: '2024-03-01T09:00:00.000Z',
        },
        metadata: metadata(tenantId),
      },
    ],
    'no-stream',
  );
  await registerStaffMember(context(), {
    staffId: id('cw-alys'),
    serviceId: id('plas-newydd'),
    role: 'care-worker',
    startedOn: '2026-01-05',
  });
  const leftEvent = async () => {
    const events = await store.readStream(`${tenantId}:staff:cw-alys`);
    return events.find((e) => e.type === 'StaffMemberLeft') as
      (StaffMemberLeft & { storedSchemaVersion: number }) | undefined;
  };
  const textsKept = async () =>
    (
      await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM personal_data WHERE tenant_id = $1',
        [tenantId],
      )
    ).rows[0]!.n;
  return { tenantId, context, leftEvent, textsKept };
}

describe('recording a leaver', () => {
  it('keeps the day they left, and the reason sealed under their staff id', async () => {
    const { tenantId, context, leftEvent } = await withAlys();
    const outcome = await recordStaffMemberLeft(context(), vault, leaving);
    expect(outcome).toMatchObject({ state: { leftOn: '2026-05-29' }, replayed: false });
    const event = await leftEvent();
    expect(event!.storedSchemaVersion).toBe(2);
    expect(JSON.stringify(event)).not.toMatch(/grievance|Gareth|Price/);
    expect(event!.data).toMatchObject({
      staffId: 'cw-alys',
      serviceId: 'plas-newydd',
      leftOn: '2026-05-29',
      reason: { subjectId: 'cw-alys', ciphertextHash: expect.any(String) as string },
    });
    const reason = event!.data.reason as SealedPersonalData;
    expect((await vault.open(tenantId, [reason])).get(reason.ref)).toBe(REASON);
  });

  it('seals once when retried, and nothing when refused', async () => {
    const { context, textsKept } = await withAlys();
    const commandId = randomUUID();
    const first = await recordStaffMemberLeft(context({ commandId }), vault, leaving);
    const again = await recordStaffMemberLeft(context({ commandId }), vault, leaving);
    expect(again).toMatchObject({ streamVersion: first.streamVersion, replayed: true });
    expect(await textsKept()).toBe(1);
    await expect(recordStaffMemberLeft(context(), vault, leaving)).rejects.toThrow(ConflictError);
    await expect(
      recordStaffMemberLeft(context(), vault, { ...leaving, staffId: id('cw-nobody') }),
    ).rejects.toThrow(NotFoundError);
    expect(await textsKept()).toBe(1);
  });

  it('refuses a blank reason, naming it, and seals nothing', async () => {
    const { context, textsKept } = await withAlys();
    await expect(
      recordStaffMemberLeft(context(), vault, { ...leaving, reason: ' ' }),
    ).rejects.toThrow(InvalidCommandError);
    await expect(
      recordStaffMemberLeft(context(), vault, { ...leaving, reason: ' ' }),
    ).rejects.toThrow('reason');
    expect(await textsKept()).toBe(0);
  });

  it('reads the reason as erased once the staff member is erased; the chain verifies', async () => {
    const { tenantId, context, leftEvent } = await withAlys();
    await recordStaffMemberLeft(context(), vault, leaving);
    await eraseDataSubject(
      { ...context({ actor: 'user:dpo' }), store, pool },
      { subjectId: 'cw-alys', reason: 'no-longer-needed' },
    );
    const reason = (await leftEvent())!.data.reason as SealedPersonalData;
    expect((await vault.open(tenantId, [reason])).get(reason.ref)).toEqual({
      erasedOn: '2026-10-12',
    });
    expect((await store.verify({ tenantId })).brokenLinks).toEqual([]);
  });

  it('stored at schema version 1 reads with its reason as the text it is', async () => {
    const { tenantId } = await withAlys();
    const streamId = `${tenantId}:staff:cw-alys`;
    const olderWriter = new PostgresEventStore(
      pool,
      new EventTypeRegistry([{ type: 'StaffMemberLeft', schemaVersion: 1 }]),
    );
    const v1 = {
      staffId: 'cw-alys',
      serviceId: 'plas-newydd',
      leftOn: '2026-05-29',
      reason: 'Moved away',
      recordedBy: 'user:hr-1',
      recordedAt: '2026-06-01T09:00:00.000Z',
    };
    await olderWriter.append(
      streamId,
      [{ eventId: randomUUID(), type: 'StaffMemberLeft', data: v1, metadata: metadata(tenantId) }],
      1,
    );
    const [, left] = await store.readStream(streamId);
    expect(left).toMatchObject({ storedSchemaVersion: 1, data: v1 });
  });
});
