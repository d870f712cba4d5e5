import { randomBytes, randomUUID } from 'node:crypto';
import {
  InvalidCommandError,
  type MonthlyReturnAmended,
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
import { allMet, createTestDatabase, id, month, type TestDatabase } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import type { Pool } from 'pg';
import { amendMonthlyReturn, submitMonthlyReturn } from './monthly-returns.use-cases';
import { readReturnHistory } from './return-history.query';

/**
 * An amendment's reason kept apart from the trail (real PostgreSQL): sealed in the vault under a
 * data subject of its own, opened when the return's history is read, erasable by itself.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
/** The statements the vault sent, counted through a pass-through to the real pool. */
let statements = 0;

beforeAll(async () => {
  database = await createTestDatabase('amendment_reason');
  pool = database.pool({ max: 4 });
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

const context = (tenantId: string, overrides: Partial<CommandContext> = {}): CommandContext => ({
  store,
  tenantId,
  actor: 'user:rm-1',
  correlationId: null,
  commandId: randomUUID(),
  now: new Date('2026-10-12T09:00:00Z'),
  ...overrides,
});
const september = { serviceId: id('home-17'), period: month('2026-09') };
const REASON = 'Tom Evans was counted as in education while excluded';

/** A tenant with one home and its September return submitted. */
async function tenantWithReturn(): Promise<string> {
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  await registerRegion(context(tenant), {
    regionId: id('north'),
    name: 'North Wales',
    regionalManagerId: id('rm-1'),
  });
  await publishChildrensHomesPreset(context(tenant), { effectiveFrom: month('2025-01') });
  await registerService(context(tenant), {
    ...september,
    name: 'Tŷ Gwyn',
    regionId: id('north'),
    serviceType: 'childrens-home',
    frameworkId: id('childrens-homes'),
    openedOn: '2024-04-01',
  });
  await submitMonthlyReturn(context(tenant), { ...september, values: allMet });
  return tenant;
}

const amend = (
  tenant: string,
  values: Record<string, unknown>,
  reason: string,
  commandId?: string,
) =>
  amendMonthlyReturn(context(tenant, commandId ? { commandId } : {}), vault, {
    ...september,
    values,
    reason,
  });
const history = (tenant: string) => readReturnHistory(pool, tenant, september, { store, vault });
const textsKept = async (tenant: string) =>
  (
    await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM personal_data WHERE tenant_id = $1',
      [tenant],
    )
  ).rows[0]!.n;

describe("an amendment's reason", () => {
  it('is stored sealed at schema version 2, under a data subject of its own per amendment', async () => {
    const tenant = await tenantWithReturn();
    await amend(tenant, { EDU: 60 }, `  ${REASON} `);
    await amend(tenant, { EDU: 65 }, 'Recounted');
    const [, first, second] = await store.readStream(`${tenant}:monthly-return:home-17:2026-09`);
    expect(JSON.stringify([first, second])).not.toMatch(/Tom|Evans|Recounted/);
    const reasons = [first!, second!].map((e) => (e.data as MonthlyReturnAmended['data']).reason);
    for (const [event, reason] of [
      [first!, reasons[0]],
      [second!, reasons[1]],
    ] as const) {
      expect(event.storedSchemaVersion).toBe(2);
      expect(reason).toEqual({
        ref: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        subjectId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        ciphertextHash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      });
    }
    const [a, b] = reasons as SealedPersonalData[];
    expect(a!.subjectId).not.toBe(b!.subjectId);
    const opened = await vault.open(tenant, [a!, b!]);
    expect([...opened.values()]).toEqual([REASON, 'Recounted']); // trimmed, as decided
  });

  it('costs an amendment one statement to the vault, and a submission none', async () => {
    const before = statements;
    const tenant = await tenantWithReturn();
    expect(statements).toBe(before); // registering, publishing and submitting
    await amend(tenant, { EDU: 60 }, REASON);
    expect(statements - before).toBe(1);
  });

  it('is sealed once when the amendment is retried, and not at all when it is refused', async () => {
    const tenant = await tenantWithReturn();
    const commandId = randomUUID();
    const first = await amend(tenant, { EDU: 60 }, REASON, commandId);
    const again = await amend(tenant, { EDU: 60 }, REASON, commandId);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await textsKept(tenant)).toBe(1);
    await expect(amend(tenant, { EDU: 60 }, 'No change at all')).rejects.toThrow(
      InvalidCommandError,
    );
    expect(await textsKept(tenant)).toBe(1);
  });

  it("is opened in the return's history with its data subject, in one query to the vault", async () => {
    const tenant = await tenantWithReturn();
    await amend(tenant, { EDU: 60 }, REASON);
    await amend(tenant, { EDU: 65 }, 'Recounted');
    const before = statements;
    const { history: entries } = await history(tenant);
    expect(statements - before).toBe(1);
    expect(entries.map((e) => [e.kind, e.reason])).toEqual([
      ['submission', null],
      ['amendment', REASON],
      ['amendment', 'Recounted'],
    ]);
    expect(entries[0]!.dataSubjectId).toBeNull();
    expect(entries[1]!.dataSubjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entries[2]!.dataSubjectId).not.toBe(entries[1]!.dataSubjectId);
  });

  it('reads as erased once its subject is, and only that one; the chain still verifies', async () => {
    const tenant = await tenantWithReturn();
    await amend(tenant, { EDU: 60 }, REASON);
    await amend(tenant, { EDU: 65 }, 'Recounted');
    const subjectId = (await history(tenant)).history[1]!.dataSubjectId!;
    await eraseDataSubject(
      {
        ...context(tenant, { now: new Date('2026-11-03T10:00:00Z'), actor: 'user:dpo' }),
        store,
        pool,
      },
      { subjectId, reason: 'objection-upheld' },
    );
    expect((await history(tenant)).history.map((e) => e.reason)).toEqual([
      null,
      { erasedOn: '2026-11-03' },
      'Recounted',
    ]);
    expect((await store.verify({ tenantId: tenant })).brokenLinks).toEqual([]);
  });

  it('stored at schema version 1 reads as the text it is, with no data subject', async () => {
    const tenant = await tenantWithReturn();
    const streamId = `${tenant}:monthly-return:home-17:2026-09`;
    const [submission] = await store.readStream(streamId);
    const olderWriter = new PostgresEventStore(
      pool,
      new EventTypeRegistry([{ type: 'MonthlyReturnAmended', schemaVersion: 1 }]),
    );
    const data = submission!.data as Record<string, unknown>;
    await olderWriter.append(
      streamId,
      [
        {
          eventId: randomUUID(),
          type: 'MonthlyReturnAmended',
          data: {
            ...data,
            amendmentNumber: 1,
            changes: {},
            reason: 'Written before the vault',
            amendedBy: 'user:rm-1',
            amendedAt: '2026-10-20T09:00:00.000Z',
          },
          metadata: { ...submission!.metadata, commandId: randomUUID() },
        },
      ],
      1,
    );
    const [, amendment] = (await history(tenant)).history;
    expect(amendment).toMatchObject({
      kind: 'amendment',
      reason: 'Written before the vault',
      dataSubjectId: null,
    });
    const stored = await pool.query<{ schema_version: number }>(
      'SELECT schema_version FROM events WHERE stream_id = $1 AND stream_version = 2',
      [streamId],
    );
    expect(stored.rows[0]!.schema_version).toBe(1);
  });
});
