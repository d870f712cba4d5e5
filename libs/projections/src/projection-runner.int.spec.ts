import { randomUUID } from 'node:crypto';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  START_OF_LOG,
} from '@kpi/event-store';
import {
  activityCounts,
  activityEvent,
  activityRegistry,
  appendActivity,
  createTestDatabase,
  tableChecksum,
  waitFor,
  type TestDatabase,
} from '@kpi/testing';
import type { Pool } from 'pg';
import { keyedProjection } from './keyed-projection';
import type { Projection } from './projection';
import { checkpointNameOf } from './projection';
import { withTransaction } from './projection-batch';
import { ProjectionRunner } from './projection-runner';
import { ensureProjectionReady, rebuildProjection } from './projection-table';
import {
  evolveTenantActivity,
  tenantActivityDefinition,
  tenantActivityProjection,
  type TenantActivityRow,
} from '@kpi/features/organisation';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('projections');
  pool = database.pool({ max: 20 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, activityRegistry());
  await ensureProjectionReady(pool, store, tenantActivityProjection);
});
afterAll(() => database.drop());

const tenants = () => [`t-${randomUUID()}`, `t-${randomUUID()}`, `t-${randomUUID()}`];
const caughtUp = async () =>
  (await store.countEventsAfter(
    await loadCheckpoint(pool, checkpointNameOf('tenant-activity')),
  )) === 0;

/**
 * Catches up until no event is left after the checkpoint: one `catchUp` can stop short while a
 * transaction of another database on the server (another spec's) holds the snapshot horizon back.
 */
const catchUpFully = (runner: ProjectionRunner) =>
  waitFor(
    async () => {
      await runner.catchUp();
      return caughtUp();
    },
    { description: 'the runner to apply the whole log' },
  );

describe('the projection runner', () => {
  it('applies every event of the log to the read model, in batches', async () => {
    const ids = tenants();
    const expected = await appendActivity(store, { tenants: ids, batches: 60 });
    const runner = new ProjectionRunner(pool, store, tenantActivityProjection, { batchSize: 7 });
    await catchUpFully(runner);
    expect(await activityCounts(pool, ids)).toEqual(expected);
  });

  it('changes nothing when the same events are delivered to the projection twice', async () => {
    const ids = tenants();
    await appendActivity(store, { tenants: ids, batches: 10 });
    await catchUpFully(new ProjectionRunner(pool, store, tenantActivityProjection));
    const before = await tableChecksum(pool, 'rm_tenant_activity');
    const { events } = await store.readAll(START_OF_LOG, { limit: 100_000 });
    await withTransaction(pool, (tx) =>
      tenantActivityProjection.apply(tx, 'rm_tenant_activity', events),
    );
    expect(await tableChecksum(pool, 'rm_tenant_activity')).toBe(before);
  });

  it('applies every event once when two runners start at once, and only one leads', async () => {
    const ids = tenants();
    const first = new ProjectionRunner(pool, store, tenantActivityProjection, {
      batchSize: 5,
      idlePollMs: 10,
      standbyPollMs: 10,
    });
    const second = new ProjectionRunner(pool, store, tenantActivityProjection, {
      batchSize: 5,
      idlePollMs: 10,
      standbyPollMs: 10,
    });
    first.start();
    second.start();
    try {
      const expected = await appendActivity(store, { tenants: ids, batches: 80 });
      await waitFor(caughtUp, { description: 'the runners to catch up' });
      expect(await activityCounts(pool, ids)).toEqual(expected);
      expect([first.isLeader, second.isLeader].filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('applies every event once even when batches race without a leader (the checkpoint row lock)', async () => {
    const ids = tenants();
    const expected = await appendActivity(store, { tenants: ids, batches: 60 });
    const racers = Array.from(
      { length: 4 },
      () => new ProjectionRunner(pool, store, tenantActivityProjection, { batchSize: 3 }),
    );
    await Promise.all(racers.map((runner) => runner.catchUp()));
    await catchUpFully(racers[0]!);
    expect(await activityCounts(pool, ids)).toEqual(expected);
  });

  it('hands over to a standby runner when the leader stops', async () => {
    const ids = tenants();
    const leader = new ProjectionRunner(pool, store, tenantActivityProjection, {
      idlePollMs: 10,
      standbyPollMs: 10,
    });
    const standby = new ProjectionRunner(pool, store, tenantActivityProjection, {
      idlePollMs: 10,
      standbyPollMs: 10,
    });
    leader.start();
    await waitFor(() => leader.isLeader, { description: 'the first runner to lead' });
    standby.start();
    await leader.stop();
    await waitFor(() => standby.isLeader, { description: 'the standby to take over' });
    const expected = await appendActivity(store, { tenants: ids, batches: 20 });
    await waitFor(caughtUp, { description: 'the standby to catch up' });
    await standby.stop();
    expect(await activityCounts(pool, ids)).toEqual(expected);
  });
  it('gives up leading when its database session is killed, and a runner takes over', async () => {
    const ids = tenants();
    const options = { idlePollMs: 10, standbyPollMs: 10, retryDelayMs: 10 };
    const first = new ProjectionRunner(pool, store, tenantActivityProjection, options);
    const second = new ProjectionRunner(pool, store, tenantActivityProjection, options);
    first.start();
    try {
      await waitFor(() => first.isLeader, { description: 'the first runner to lead' });
      second.start();
      const killed = await leaderPid();
      await pool.query('SELECT pg_terminate_backend($1)', [killed]);
      await waitFor(
        async () =>
          (await leaderPid()) !== killed && [first, second].filter((r) => r.isLeader).length === 1,
        {
          description: 'exactly one runner to lead on a new session',
        },
      );
      const expected = await appendActivity(store, { tenants: ids, batches: 20 });
      await waitFor(caughtUp, { description: 'the new leader to catch up' });
      expect(await activityCounts(pool, ids)).toEqual(expected);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('keeps going with more runners than pool connections', async () => {
    const ids = tenants();
    const small = database.pool({ max: 3 });
    const runners = Array.from(
      { length: 6 },
      () =>
        new ProjectionRunner(small, store, tenantActivityProjection, {
          idlePollMs: 10,
          standbyPollMs: 10,
        }),
    );
    runners.forEach((runner) => runner.start());
    try {
      const expected = await appendActivity(store, { tenants: ids, batches: 40 });
      await waitFor(caughtUp, { description: 'six runners on three connections to catch up' });
      expect(await activityCounts(pool, ids)).toEqual(expected);
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }
  });
});

/** The backend holding the tenant-activity runner's leadership lock (a session-level advisory lock). */
async function leaderPid(): Promise<number | null> {
  // The leadership lock only (its key's low 32 bits): a new leader's setup also holds an
  // advisory lock for a moment (projection-setup), whose session must not be the one killed.
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND objid::bigint = (hashtext($1)::bigint & 4294967295)
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [checkpointNameOf(tenantActivityProjection.name)],
  );
  return rows[0]?.pid ?? null;
}

describe('rebuilding a projection', () => {
  it('builds a fresh table equal to the live one and swaps it in, while the live runner keeps running', async () => {
    const ids = tenants();
    await appendActivity(store, { tenants: ids, batches: 40 });
    const runner = new ProjectionRunner(pool, store, tenantActivityProjection, { idlePollMs: 10 });
    runner.start();
    try {
      await waitFor(caughtUp, { description: 'the live runner to catch up' });
      const progress: number[] = [];
      const writing = appendActivity(store, { tenants: ids, batches: 40, label: 'during-rebuild' });
      await rebuildProjection(pool, store, tenantActivityProjection, {
        batchSize: 50,
        onProgress: (p) => progress.push(p.processed),
      });
      await writing;
      await waitFor(caughtUp, { description: 'the live runner to catch up after the swap' });
      const live = await tableChecksum(pool, 'rm_tenant_activity');
      await rebuildProjection(pool, store, tenantActivityProjection);
      expect(await tableChecksum(pool, 'rm_tenant_activity')).toBe(live);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await runner.stop();
    }
    const { rows } = await pool.query(
      `SELECT to_regclass('rm_tenant_activity__rebuild') AS leftover`,
    );
    expect(rows[0].leftover).toBeNull();
  });

  it('rebuilds from the log when the code has a new version of the projection', async () => {
    const tenant = `t-${randomUUID()}`;
    await store.append(`doubling-${tenant}`, [activityEvent(tenant, 'HomeOpened')], 'no-stream');
    const definition = (version: number, weight: number) =>
      keyedProjection<TenantActivityRow>({
        name: `weighted-activity-${tenant}`.slice(0, 60),
        version,
        table: 'rm_weighted_activity',
        eventTypes: ['HomeOpened'],
        columns: tenantActivityDefinition.columns,
        keyOf: (event) => (event.metadata.tenantId === tenant ? tenant : null),
        evolve: (row, event) => {
          const next = evolveTenantActivity(row, event);
          return { ...next, eventCount: (row?.eventCount ?? 0) + weight };
        },
      });
    const v1 = definition(1, 1);
    await ensureProjectionReady(pool, store, v1);
    // Until v1 has applied the event: another database's open transaction can hold it back.
    await waitFor(
      async () => {
        await new ProjectionRunner(pool, store, v1).catchUp();
        const applied = await pool.query(
          'SELECT 1 FROM rm_weighted_activity WHERE tenant_id = $1',
          [tenant],
        );
        return applied.rowCount === 1;
      },
      { description: 'v1 to apply the event' },
    );
    const v2 = definition(2, 10);
    await ensureProjectionReady(pool, store, v2);
    const { rows } = await pool.query(
      'SELECT event_count FROM rm_weighted_activity WHERE tenant_id = $1',
      [tenant],
    );
    expect(rows).toEqual([{ event_count: '10' }]);
    const registered = await pool.query('SELECT version FROM projections WHERE name = $1', [
      v2.name,
    ]);
    expect(registered.rows).toEqual([{ version: 2 }]);
  });
});

describe('one runner for several projections', () => {
  it('reads the log once and applies every event once to each, also when they start at different checkpoints', async () => {
    const ids = tenants();
    const copy = keyedProjection({
      ...tenantActivityDefinition,
      name: 'tenant-activity-copy',
      table: 'rm_tenant_activity_copy',
      indexes: [],
    });
    await ensureProjectionReady(pool, store, copy);
    const early = await appendActivity(store, { tenants: ids, batches: 30 });
    // tenant-activity is brought up to date alone first: the two now stand at different checkpoints.
    await new ProjectionRunner(pool, store, tenantActivityProjection).catchUp();
    const late = await appendActivity(store, { tenants: ids, batches: 30, label: 'late' });
    const group = new ProjectionRunner(pool, store, [tenantActivityProjection, copy], {
      batchSize: 7,
    });
    await group.catchUp();

    const expected = new Map(early);
    for (const [key, n] of late) expected.set(key, (expected.get(key) ?? 0) + n);
    expect(await activityCounts(pool, ids)).toEqual(expected);
    expect(await activityCounts(pool, ids, 'rm_tenant_activity_copy')).toEqual(expected);
    const checkpoints = await pool.query(
      `SELECT name, transaction_id::text, global_position FROM checkpoints WHERE name = ANY ($1) ORDER BY name`,
      [['projection:tenant-activity', 'projection:tenant-activity-copy']],
    );
    expect(checkpoints.rows[0].global_position).toBe(checkpoints.rows[1].global_position);
  });

  it('applies every event once when two group runners race', async () => {
    const ids = tenants();
    const expected = await appendActivity(store, { tenants: ids, batches: 40 });
    const racers = Array.from(
      { length: 3 },
      () => new ProjectionRunner(pool, store, [tenantActivityProjection], { batchSize: 4 }),
    );
    await Promise.all(racers.map((runner) => runner.catchUp()));
    expect(await activityCounts(pool, ids)).toEqual(expected);
  });

  it('gives a projection only its own types, and moves its checkpoint past the rest of the log', async () => {
    const ids = tenants();
    /** Records which events it was given, once each (the primary key would refuse a second). */
    const recorder = (name: string, types: readonly string[]): Projection => ({
      name,
      version: 1,
      table: `rm_${name.replaceAll('-', '_')}`,
      eventTypes: types,
      createTable: (table) =>
        `CREATE TABLE ${table} (event_id uuid PRIMARY KEY, type text NOT NULL, tenant_id text NOT NULL)`,
      async apply(tx, table, events) {
        await tx.query(
          `INSERT INTO ${table} SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
          [
            events.map((e) => e.eventId),
            events.map((e) => e.type),
            events.map((e) => e.metadata.tenantId),
          ],
        );
      },
    });
    const opened = recorder('opened-only', ['HomeOpened']);
    const changed = recorder('changes-only', ['ReturnSubmitted', 'ReturnAmended']);
    for (const p of [opened, changed]) await ensureProjectionReady(pool, store, p);
    await appendActivity(store, { tenants: ids, batches: 30 });
    // The log ends with events neither of the first two takes.
    await store.append(`activity-tail-${ids[0]}`, [activityEvent(ids[0]!, 'ReturnAmended')], 'any');
    const given = async (p: Projection) =>
      (
        await pool.query<{ type: string; n: string }>(
          `SELECT type, count(*) AS n FROM ${p.table} WHERE tenant_id = ANY ($1) GROUP BY type ORDER BY type`,
          [ids],
        )
      ).rows.map((row) => `${row.type}:${row.n}`);
    const stored = async (types: readonly string[]) =>
      (
        await pool.query<{ type: string; n: string }>(
          `SELECT type, count(*) AS n FROM events
            WHERE metadata->>'tenantId' = ANY ($1) AND type = ANY ($2) GROUP BY type ORDER BY type`,
          [ids, types],
        )
      ).rows.map((row) => `${row.type}:${row.n}`);

    const atEnd = async (runner: ProjectionRunner, checkpoint: string) =>
      waitFor(
        async () => {
          await runner.catchUp();
          return (await store.countEventsAfter(await loadCheckpoint(pool, checkpoint))) === 0;
        },
        { description: `${checkpoint} to reach the end of the log` },
      );
    await atEnd(
      new ProjectionRunner(pool, store, opened, { batchSize: 5 }),
      'projection:opened-only',
    );
    const group = new ProjectionRunner(pool, store, [changed, tenantActivityProjection], {
      batchSize: 5,
    });
    await atEnd(group, 'projection:changes-only');
    await atEnd(group, 'projection:tenant-activity');

    expect(await given(opened)).toEqual(await stored(['HomeOpened']));
    expect(await given(changed)).toEqual(await stored(['ReturnAmended', 'ReturnSubmitted']));
    expect((await given(changed)).length).toBe(2);
  });
});
