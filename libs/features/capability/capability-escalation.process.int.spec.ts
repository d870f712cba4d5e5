import { randomBytes, randomUUID } from 'node:crypto';
import { amendMonthlyReturn, submitMonthlyReturn } from '@kpi/features/monthly-returns';
import { appointManager, registerRegion, registerService } from '@kpi/features/organisation';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { recordCapabilityAppeal, recordCapabilityReview } from './capability.use-cases';
import { toDomainEvent, type CommandContext } from '@kpi/command-handling';
import {
  capabilityCounterDecider,
  foldEvents,
  streamIds,
  type CapabilityEvent,
  type CapabilityStageEntered,
  type CapabilityStageWithdrawn,
} from '@kpi/domain';
import {
  ConcurrencyError,
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  resetCheckpoint,
  START_OF_LOG,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, createTestDatabase, waitFor, type TestDatabase, id, month } from '@kpi/testing';
import type { Pool } from 'pg';
import {
  CAPABILITY_ESCALATION_ACTOR,
  capabilityEscalationProcess,
} from './capability-escalation.process';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;
const escalation = () => capabilityEscalationProcess(store);

beforeAll(async () => {
  database = await createTestDatabase('capability_process');
  pool = database.pool({ max: 12 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  await ensureProjectionReady(pool, store, escalation());
  runner = new ProjectionRunner(pool, store, escalation(), { batchSize: 50 });
});
afterAll(() => database.drop());

const masterKey = randomBytes(32).toString('base64');
const vault = () => new PersonalDataVault(pool, masterKey);

/**
 * Runs the process until no event is left after its checkpoint: one `catchUp` can stop short
 * while a transaction of another database on the server (another spec's) holds the snapshot
 * horizon back.
 */
const catchUpFully = (process: ProjectionRunner) =>
  waitFor(
    async () => {
      await process.catchUp();
      const checkpoint = await loadCheckpoint(pool, checkpointNameOf(escalation().name));
      return (await store.countEventsAfter(checkpoint)) === 0;
    },
    { description: 'the escalation process to apply the whole log' },
  );

const context = (tenantId: string, now: string, actor = 'user:rm-gwen'): CommandContext => ({
  store,
  tenantId,
  actor,
  correlationId: `corr-${randomUUID().slice(0, 8)}`,
  commandId: randomUUID(),
  now: new Date(now),
});

/** A provider with one region, the children's-homes preset from 2026-01 and home-02 run by mgr-a. */
async function provider(): Promise<string> {
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  const setUp = context(tenant, '2025-12-01T09:00:00Z', 'user:admin');
  await registerRegion(setUp, {
    regionId: id('north-wales'),
    name: 'North Wales',
    regionalManagerId: id('rm-gwen'),
  });
  await publishChildrensHomesPreset(
    { ...setUp, commandId: randomUUID() },
    { effectiveFrom: month('2026-01') },
  );
  await registerService(
    { ...setUp, commandId: randomUUID() },
    {
      serviceId: id('home-02'),
      name: 'Plas Newydd',
      regionId: id('north-wales'),
      serviceType: 'childrens-home',
      frameworkId: id('childrens-homes'),
      openedOn: '2026-01-01',
    },
  );
  await appointManager(
    { ...setUp, commandId: randomUUID() },
    { serviceId: id('home-02'), managerId: id('mgr-a'), from: '2026-01-01' },
  );
  return tenant;
}

const submit = (tenant: string, period: string, edu: number) =>
  submitMonthlyReturn(context(tenant, `${nextMonth(period)}-12T10:00:00Z`), {
    serviceId: id('home-02'),
    period: month(period),
    values: { ...allMet, EDU: edu },
  });

const counterStream = (tenant: string) => streamIds.capability(tenant, 'mgr-a', 'home-02', 'EDU');

async function counterEvents(tenant: string) {
  return store.readStream(counterStream(tenant));
}

describe('the capability escalation process on PostgreSQL', () => {
  it('takes a home to Stage 3 when the same KPI is missed four months running, citing the stored returns', async () => {
    const tenant = await provider();
    const submitted = [];
    for (const period of ['2026-01', '2026-02', '2026-03', '2026-04'])
      submitted.push(await submit(tenant, period, 70));
    await catchUpFully(runner);

    const events = await counterEvents(tenant);
    expect(events.map((e) => `${e.type}:${(e.data as { stage: number }).stage}`)).toEqual([
      'CapabilityStageEntered:1',
      'CapabilityMissCounted:1',
      'CapabilityStageEntered:2',
      'CapabilityStageEntered:3',
    ]);
    const stage3 = events[3]!;
    expect(stage3.metadata).toMatchObject({
      tenantId: tenant,
      actor: CAPABILITY_ESCALATION_ACTOR,
      causationId: submitted[3]!.appended[0]!.eventId,
    });
    const data = (stage3 as unknown as CapabilityStageEntered).data;
    expect(data.reviewDue).toBe(true);
    expect(
      data.months.map((m) => [
        m.period,
        m.judgement.value,
        m.source.eventId,
        m.source.globalPosition,
      ]),
    ).toEqual(
      submitted.map((s, i) => [
        `2026-0${i + 1}`,
        70,
        s.appended[0]!.eventId,
        s.appended[0]!.globalPosition,
      ]),
    );
    expect(await store.verify({ streamId: counterStream(tenant) })).toMatchObject({
      brokenLinks: [],
    });
  });

  it('gives the same stream when returns arrive out of order, and withdraws stages an amendment undoes', async () => {
    const tenant = await provider();
    for (const period of ['2026-03', '2026-01', '2026-04']) await submit(tenant, period, 70);
    await catchUpFully(runner);
    expect(await counterEvents(tenant)).toHaveLength(1); // Stage 1 for January; March and April wait for February
    await submit(tenant, '2026-02', 70);
    await catchUpFully(runner);
    expect((await counterEvents(tenant)).map((e) => e.type)).toEqual([
      'CapabilityStageEntered',
      'CapabilityMissCounted',
      'CapabilityStageEntered',
      'CapabilityStageEntered',
    ]);

    const amendment = await amendMonthlyReturn(context(tenant, '2026-04-25T10:00:00Z'), vault(), {
      serviceId: id('home-02'),
      period: month('2026-03'),
      values: { EDU: 93 },
      reason: 'Exclusions were counted as absence',
    });
    await catchUpFully(runner);
    const after = (await counterEvents(tenant)).slice(4);
    expect(after.map((e) => `${e.type}:${(e.data as { stage: number }).stage}`)).toEqual([
      'CapabilityStageWithdrawn:3',
      'CapabilityStageWithdrawn:2',
      'CapabilityStageResolved:1',
      'CapabilityStageEntered:1',
    ]);
    const withdrawn = after[0] as unknown as CapabilityStageWithdrawn & {
      metadata: { causationId: string };
    };
    expect(withdrawn.data.cause).toMatchObject({
      eventId: amendment.appended[0]!.eventId,
      globalPosition: amendment.appended[0]!.globalPosition,
      type: 'MonthlyReturnAmended',
    });
    expect(withdrawn.metadata.causationId).toBe(amendment.appended[0]!.eventId);
    expect(withdrawn.data.explanation).toContain(
      'The 2026-03 return of home-02 was amended by user:rm-gwen (amendment 1)',
    );
    // The reason can name people: it stays in the vault, never copied into the capability trail.
    expect(JSON.stringify(after)).not.toContain('Exclusions were counted as absence');
  });

  it('writes nothing twice: the log taken in again from the start changes no stream', async () => {
    const tenant = await provider();
    for (const period of ['2026-01', '2026-02', '2026-03']) await submit(tenant, period, 70);
    await amendMonthlyReturn(context(tenant, '2026-04-25T10:00:00Z'), vault(), {
      serviceId: id('home-02'),
      period: month('2026-02'),
      values: { EDU: 95 },
      reason: 'Recounted',
    });
    await catchUpFully(runner);
    const before = await counterEvents(tenant);
    const facts = await pool.query('SELECT key, facts FROM process_capability_facts ORDER BY key');

    await resetCheckpoint(pool, checkpointNameOf(escalation().name), START_OF_LOG);
    await catchUpFully(runner);

    expect(await counterEvents(tenant)).toEqual(before);
    expect(
      (await pool.query('SELECT key, facts FROM process_capability_facts ORDER BY key')).rows,
    ).toEqual(facts.rows);
  });

  it('rolls the whole batch back when a review is written to the counter at the same moment, then takes both', async () => {
    const tenant = await provider();
    for (const period of ['2026-01', '2026-02', '2026-03', '2026-04'])
      await submit(tenant, period, 70);
    await catchUpFully(runner);
    await submit(tenant, '2026-05', 70); // the process will count this miss on the counter's stream
    const checkpoint = await loadCheckpoint(pool, checkpointNameOf(escalation().name));

    // A review is being written to the same stream, in a transaction still open.
    const stored = await counterEvents(tenant);
    const [review] = capabilityCounterDecider.decide(
      {
        type: 'RecordCapabilityReview',
        data: {
          counter: { managerId: 'mgr-a', serviceId: 'home-02', indicatorCode: 'EDU' },
          reviewId: randomUUID(),
          heldBy: 'hr-sam',
          heldByRole: 'hr',
          heldOn: '2026-05-20',
          companionOffered: true,
          outcome: 'mitigating-circumstances',
          furtherReviewMonths: 2,
          reasons: 'Bereavement; support agreed',
          recordedBy: 'user:hr-sam',
          now: new Date('2026-05-21T09:00:00Z'),
        },
      },
      foldEvents(capabilityCounterDecider, stored.map(toDomainEvent<CapabilityEvent>)),
    );
    const writer = await pool.connect();
    await writer.query('BEGIN');
    await store.appendInTransaction(
      writer,
      counterStream(tenant),
      [
        {
          eventId: randomUUID(),
          type: review!.type,
          data: review!.data,
          metadata: {
            tenantId: tenant,
            actor: 'user:hr-sam',
            correlationId: null,
            causationId: null,
            commandId: randomUUID(),
          },
        },
      ],
      stored.length,
    );
    const batch = runner.processBatch();
    try {
      await waitFor(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query LIKE '%append_events%'`,
            )
          ).rowCount === 1,
        { description: 'the process to wait for the stream the review is being written to' },
      );
    } finally {
      // Never left open: an open transaction holds back every database's readers on the server.
      await writer.query('COMMIT');
      writer.release();
    }

    await expect(batch).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await loadCheckpoint(pool, checkpointNameOf(escalation().name))).toEqual(checkpoint);
    expect((await counterEvents(tenant)).map((e) => e.type).slice(4)).toEqual([
      'CapabilityReviewRecorded',
    ]);

    await catchUpFully(runner);
    const [, counted] = (await counterEvents(tenant)).slice(4);
    expect(counted).toMatchObject({
      type: 'CapabilityMissCounted',
      data: {
        period: '2026-05',
        stage: 3,
        counter: { lastReviewOn: '2026-05-20', nextReviewDue: '2026-07-20' },
      },
    });
  });

  it('closes the case after a review through the use case, citing the review', async () => {
    const tenant = await provider();
    for (const period of ['2026-01', '2026-02', '2026-03', '2026-04'])
      await submit(tenant, period, 70);
    await catchUpFully(runner);
    // Its reasons sealed (schema version 2): the process reads the review as it reads others.
    const vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
    const reviewed = await recordCapabilityReview(
      context(tenant, '2026-05-29T09:00:00Z', 'user:hr-sam'),
      vault,
      {
        managerId: id('mgr-a'),
        serviceId: id('home-02'),
        indicatorCode: 'EDU',
        heldBy: 'hr-sam',
        heldByRole: 'hr',
        heldOn: '2026-05-28',
        companionOffered: true,
        outcome: 'standards-met',
        reasons: 'Attendance plan in place; June figures confirm',
      },
    );
    await catchUpFully(runner);
    const [last] = (await counterEvents(tenant)).slice(-1);
    expect(last).toMatchObject({
      type: 'CapabilityStageResolved',
      data: {
        reason: 'review-closed',
        cause: { eventId: reviewed.appended[0]!.eventId },
        counter: { stage: 0 },
      },
      metadata: { causationId: reviewed.appended[0]!.eventId },
    });
  });

  describe("counting a home's next month from its cursor (docs/decisions/0042)", () => {
    /** Each record of the home's EDU counter, in order, without what differs between tenants. */
    const records = async (tenant: string) =>
      (await counterEvents(tenant)).map((e) => {
        const data = e.data as {
          recordKey?: string;
          counter: { stage: number; consecutiveMisses: number };
        };
        return `${e.type} ${data.recordKey} ${data.counter.stage}/${data.counter.consecutiveMisses}`;
      });
    const cursorOf = async (tenant: string) =>
      (
        await pool.query<{ cursor: { latestMonth: string } | null }>(
          `SELECT cursor FROM process_capability_facts WHERE tenant_id = $1 AND kind = 'service'`,
          [tenant],
        )
      ).rows[0]?.cursor;
    const EDU = {
      '2026-01': 70,
      '2026-02': 70,
      '2026-03': 95,
      '2026-04': 70,
      '2026-05': 70,
      '2026-06': 70,
      '2026-07': 70,
      '2026-08': 96,
    };

    it('writes the same records, month by month, as counting every month at once', async () => {
      const monthByMonth = await provider();
      for (const [period, edu] of Object.entries(EDU)) {
        await submit(monthByMonth, period, edu);
        await catchUpFully(runner); // from February on, each month is counted from the cursor
        expect(await cursorOf(monthByMonth)).toMatchObject({ latestMonth: period });
      }
      const atOnce = await provider();
      for (const [period, edu] of Object.entries(EDU)) await submit(atOnce, period, edu);
      await catchUpFully(runner); // registration and returns in one batch: the full count

      expect(await records(monthByMonth)).toEqual(await records(atOnce));
      expect(await records(monthByMonth)).toContain(
        'CapabilityStageEntered entered:2026-04:s3:2026-07 3/4',
      );
      expect(await store.verify({ streamId: counterStream(monthByMonth) })).toMatchObject({
        brokenLinks: [],
      });
    });

    it('counts the full way after a stream moved under the cursor (an appeal), and goes on from a new cursor', async () => {
      const tenant = await provider();
      for (const period of ['2026-01', '2026-02', '2026-03']) await submit(tenant, period, 70);
      await catchUpFully(runner);
      const stage2 = (await counterEvents(tenant)).at(-1)!.data as { entryId: string };
      // The appeal is appended to the counter's stream; the process does not take appeals in.
      await recordCapabilityAppeal(
        context(tenant, '2026-04-20T09:00:00Z', 'user:hr-sam'),
        vault(),
        {
          managerId: id('mgr-a'),
          serviceId: id('home-02'),
          indicatorCode: 'EDU',
          against: { entryId: stage2.entryId },
          heardBy: 'director-ola',
          heardOn: '2026-04-18',
          outcome: 'not-upheld',
          reasons: 'Three months were missed and support was offered at each stage.',
        },
      );
      await submit(tenant, '2026-04', 70);
      await submit(tenant, '2026-05', 70);
      // The first attempt finds the stream a version on from the cursor and rolls back whole;
      // the next (the runner's loop tries again) counts the home the full way.
      const conflict = await waitFor(
        () =>
          runner.catchUp().then(
            () => false,
            (error: unknown) => error,
          ),
        { description: 'the batch with April to meet the moved stream' },
      );
      expect(conflict).toBeInstanceOf(ConcurrencyError);
      await catchUpFully(runner);

      const types = (await counterEvents(tenant)).map((e) => e.type);
      expect(types.slice(3)).toEqual([
        'CapabilityAppealRecorded',
        'CapabilityStageEntered', // Stage 3 in April
        'CapabilityMissCounted', // May
      ]);
      expect(await cursorOf(tenant)).toMatchObject({ latestMonth: '2026-05' });
    });

    it('adds the cursor column to a table made before it', async () => {
      await pool.query('ALTER TABLE process_capability_facts DROP COLUMN cursor');
      await ensureProjectionReady(pool, store, escalation());
      const { rows } = await pool.query(
        `SELECT 1 FROM information_schema.columns
          WHERE table_name = 'process_capability_facts' AND column_name = 'cursor'`,
      );
      expect(rows).toHaveLength(1);
      // Homes without a cursor are counted the full way, which writes theirs.
      const tenant = await provider();
      for (const period of ['2026-01', '2026-02']) await submit(tenant, period, 70);
      await catchUpFully(runner);
      expect(await cursorOf(tenant)).toMatchObject({ latestMonth: '2026-02' });
    });
  });
});

function nextMonth(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}
