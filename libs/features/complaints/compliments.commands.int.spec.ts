import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type ComplimentLogged,
  type SealedPersonalData,
} from '@kpi/domain';
import {
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault, type VaultDatabase } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, type TestDatabase } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import type { Pool } from 'pg';
import type { LogComplimentInput } from './complaints.commands';
import { logCompliment } from './complaints.use-cases';

/**
 * Logging a compliment on PostgreSQL: its summary (which can name who was thanked and who
 * thanked them) sealed into the personal-data vault under a data subject of its own, or the one
 * the request names; the event keeps a reference.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
/** The statements the vault sent, counted through a pass-through to the real pool. */
let statements = 0;
beforeAll(async () => {
  database = await createTestDatabase('compliments_commands');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  const counted: VaultDatabase = {
    query: (text, values) => {
      statements++;
      return pool.query(text, values);
    },
  };
  vault = new PersonalDataVault(counted, randomBytes(32).toString('base64'));
});
afterAll(() => database?.drop());

const SUMMARY = 'A card from Ann Jones thanking Sam on the night shift.';
const compliment: LogComplimentInput = {
  complimentId: id('cpl-2026-0007'),
  serviceId: id('ty-gwyn'),
  receivedOn: '2026-04-03',
  summary: SUMMARY,
};
const metadata = (tenantId: string) => ({
  tenantId,
  actor: 'user:set-up',
  correlationId: null,
  causationId: null,
  commandId: null,
});

/** A tenant of the test's own with its service ty-gwyn, and a command context for it. */
async function tenantWithService() {
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  await store.append(
    `${tenantId}:service:ty-gwyn`,
    [
      {
        eventId: randomUUID(),
        type: 'ServiceRegistered',
        data: {
          serviceId: 'ty-gwyn',
          name: 'Tŷ Gwyn',
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
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    store,
    tenantId,
    actor: 'user:mgr-1',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date('2026-04-24T16:00:00Z'),
    ...overrides,
  });
  const logged = async (streamId: string) =>
    (await store.readStream(streamId)) as unknown as (ComplimentLogged & {
      storedSchemaVersion: number;
    })[];
  return { tenantId, context, logged };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('logging a compliment', () => {
  it('keeps its summary sealed under a new data subject, one statement to the vault, and answers it', async () => {
    const { tenantId, context, logged } = await tenantWithService();
    const before = statements;
    const result = await logCompliment(context(), vault, compliment);
    expect(statements - before).toBe(1);
    expect(result).toEqual({
      streamId: `${tenantId}:compliment:cpl-2026-0007`,
      complimentId: 'cpl-2026-0007',
      dataSubjectId: expect.stringMatching(UUID) as string,
      replayed: false,
    });
    const [event] = await logged(result.streamId);
    expect(event!.storedSchemaVersion).toBe(2);
    expect(JSON.stringify(event)).not.toMatch(/Ann|Jones|Sam/);
    expect(event!.data).toMatchObject({
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-03',
      subjectId: result.dataSubjectId,
      summary: { subjectId: result.dataSubjectId, ciphertextHash: expect.any(String) as string },
    });
    const summary = event!.data.summary as SealedPersonalData;
    expect((await vault.open(tenantId, [summary])).get(summary.ref)).toBe(SUMMARY);
  });

  it('keeps a new subject for each compliment, and seals once when retried', async () => {
    const { context } = await tenantWithService();
    const commandId = randomUUID();
    const first = await logCompliment(context({ commandId }), vault, compliment);
    const again = await logCompliment(context({ commandId }), vault, compliment);
    expect(again).toEqual({ ...first, replayed: true });
    const other = await logCompliment(context(), vault, { ...compliment, complimentId: undefined });
    expect(other.dataSubjectId).not.toBe(first.dataSubjectId);
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM personal_data WHERE subject_id = $1',
      [first.dataSubjectId],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('seals under the data subject the request names, and refuses one already erased (409)', async () => {
    const { tenantId, context, logged } = await tenantWithService();
    const first = await logCompliment(context(), vault, compliment);
    const second = await logCompliment(context(), vault, {
      ...compliment,
      complimentId: id('cpl-2026-0008'),
      subjectId: first.dataSubjectId,
    });
    expect(second.dataSubjectId).toBe(first.dataSubjectId);
    await eraseDataSubject(
      { ...context({ actor: 'user:dpo' }), store, pool },
      { subjectId: first.dataSubjectId, reason: 'consent-withdrawn' },
    );
    const [event] = await logged(second.streamId);
    const summary = event!.data.summary as SealedPersonalData;
    expect((await vault.open(tenantId, [summary])).get(summary.ref)).toEqual({
      erasedOn: '2026-04-24',
    });
    await expect(
      logCompliment(context(), vault, {
        ...compliment,
        complimentId: id('cpl-2026-0009'),
        subjectId: first.dataSubjectId,
      }),
    ).rejects.toThrow(ConflictError);
    expect(await store.readStream(`${tenantId}:compliment:cpl-2026-0009`)).toEqual([]);
  });

  it('refuses a bad summary or subject id, naming each, and seals nothing', async () => {
    const { tenantId, context } = await tenantWithService();
    await expect(
      logCompliment(context(), vault, { ...compliment, summary: ' ', subjectId: 'Ann Jones' }),
    ).rejects.toThrow(InvalidCommandError);
    await expect(
      logCompliment(context(), vault, { ...compliment, serviceId: id('plas-hen') }),
    ).rejects.toThrow(NotFoundError);
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM personal_data WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('stored at schema version 1 reads with its summary as text and no data subject', async () => {
    const { tenantId } = await tenantWithService();
    const streamId = `${tenantId}:compliment:cpl-old`;
    const olderWriter = new PostgresEventStore(
      pool,
      new EventTypeRegistry([{ type: 'ComplimentLogged', schemaVersion: 1 }]),
    );
    const v1 = {
      complimentId: 'cpl-old',
      serviceId: 'ty-gwyn',
      receivedOn: '2026-03-01',
      summary: 'Thanks from before the vault',
      loggedBy: 'user:mgr-1',
      loggedAt: '2026-03-01T09:00:00.000Z',
    };
    await olderWriter.append(
      streamId,
      [{ eventId: randomUUID(), type: 'ComplimentLogged', data: v1, metadata: metadata(tenantId) }],
      'no-stream',
    );
    const [event] = await store.readStream(streamId);
    expect(event).toMatchObject({ storedSchemaVersion: 1, data: { ...v1, subjectId: null } });
  });
});
