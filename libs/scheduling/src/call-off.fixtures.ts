import { randomUUID } from 'node:crypto';
import {
  establishCareFramework,
  registerCarePackage,
  registerOrganisation,
  type CommandContext,
} from '@kpi/application';
import { streamIds, type CarePackageOffered } from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  type RecordedEvent,
} from '@kpi/event-store';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import type { Job } from 'bullmq';
import type { Pool } from 'pg';
import type { CallOffJobData } from './call-off-jobs';
import { CALL_OFF_REACTOR } from './call-off-reactor';
import { CALL_OFF_REACTOR_TABLE } from './call-off-reactor-table';
import { callOffScheduling, type CallOffScheduling } from './call-off-scheduling';

/*
 * For the call-off specs only (call-off.int.spec.ts, call-off-maintenance.int.spec.ts): not
 * exported from index.ts. It does not import @kpi/testing (the dependency rules keep that to
 * specs), so each spec creates and drops its own database and deletes its own Redis keys.
 */

/** A Tuesday in March, 10:00 London (GMT): no Friday hold, no bank holiday. */
export const TUESDAY_MORNING = Date.parse('2026-03-03T10:00:00.000Z');

/** A council and the providers of its framework `home-care`, in rotation order. */
export interface CouncilWithFramework {
  council: string;
  providers: string[];
}

export type OfferRecorded = RecordedEvent<string, CarePackageOffered['data']>;

/**
 * The call-off timers of one spec file on the real PostgreSQL and Redis: the reactor running on
 * the log and the processor on a BullMQ prefix of the file's own. Time is a test clock (an offset
 * from the real one) handed to the commands, the reactor and the processor; Redis keeps the real
 * time.
 */
export interface CallOffTestbed {
  pool: Pool;
  store: PostgresEventStore;
  callOff: CallOffScheduling;
  /** `callOff.queue`. */
  queue: CallOffScheduling['queue'];
  runner: ProjectionRunner;
  /** The file's BullMQ prefix: deleting its keys is Redis losing its data. */
  prefix: string;
  clock(): Date;
  /** Moves the test clock to an instant; it runs on from there. */
  setClock(instant: number): void;
  /** A command's context at the test clock's now. */
  context(tenantId: string, actor?: string): CommandContext;
  /** A council of its own with a framework of `providerCount` providers. */
  councilWithFramework(providerCount: number): Promise<CouncilWithFramework>;
  /** Refers a package to the council's framework. */
  refer(council: string, packageId: string): Promise<void>;
  packageEvents(council: string, packageId: string): Promise<RecordedEvent[]>;
  offers(council: string, packageId: string): Promise<OfferRecorded[]>;
  /** The council's jobs in the call-off queue, by id. */
  jobsOf(council: string): Promise<Job<CallOffJobData>[]>;
  /** The job ids of the council in the reactor's table, in order. */
  reactorRowsOf(council: string): Promise<string[]>;
  /** True once the reactor has no event after its checkpoint (null before: for `waitFor`). */
  reactorAtHead(): Promise<true | null>;
  /** Stops the runner and closes the queue and processor (not the database, not Redis's keys). */
  close(): Promise<void>;
}

/** Migrates the database of `pool` and starts the reactor and the processor on it. */
export async function startCallOffTestbed(pool: Pool): Promise<CallOffTestbed> {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  await migrate(pool, eventStoreMigrations);
  const store = new PostgresEventStore(pool, eventTypeRegistry());
  const callOff = callOffScheduling({
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    store,
    clock,
    prefix,
  });
  await ensureProjectionReady(pool, store, callOff.reactor);
  const runner = new ProjectionRunner(pool, store, callOff.reactor, {
    batchSize: 100,
    idlePollMs: 20,
  });
  runner.start();
  callOff.startProcessor();

  const context = (tenantId: string, actor = 'user:test'): CommandContext => ({
    store,
    tenantId,
    actor,
    correlationId: null,
    commandId: randomUUID(),
    now: clock(),
  });
  const packageEvents = (council: string, packageId: string) =>
    store.readStream(streamIds.carePackage(council, packageId));

  return {
    pool,
    store,
    callOff,
    queue: callOff.queue,
    runner,
    prefix,
    clock,
    setClock: (instant) => {
      offsetMs = instant - Date.now();
    },
    context,
    async councilWithFramework(providerCount) {
      const id = randomUUID().slice(0, 8);
      const council = `council-${id}`;
      const providers = Array.from(
        { length: providerCount },
        (_, i) => `care-${String.fromCharCode(97 + i)}-${id}`,
      );
      await registerOrganisation(context(council), { name: 'Council', kind: 'council' });
      for (const provider of providers)
        await registerOrganisation(context(provider), { name: provider, kind: 'provider' });
      await establishCareFramework(context(council), {
        frameworkId: 'home-care',
        name: 'Care at home',
        contractStartDate: '2026-01-01',
        providers,
      });
      return { council, providers };
    },
    async refer(council, packageId) {
      await registerCarePackage(context(council), {
        frameworkId: 'home-care',
        packageId,
        hoursPerWeek: 14,
        outcomes: 'Support with personal care mornings and evenings',
        startDate: '2026-03-10',
        urgent: false,
      });
    },
    packageEvents,
    async offers(council, packageId) {
      return (await packageEvents(council, packageId)).filter(
        (e): e is OfferRecorded => e.type === 'CarePackageOffered',
      );
    },
    async jobsOf(council) {
      const jobs = await callOff.queue.getJobs([
        'delayed',
        'waiting',
        'active',
        'completed',
        'failed',
      ]);
      return jobs
        .filter((j) => j.id!.startsWith(`${council}~`))
        .sort((a, b) => (a.id! < b.id! ? -1 : 1));
    },
    async reactorRowsOf(council) {
      const { rows } = await pool.query<{ job_id: string }>(
        `SELECT job_id FROM ${CALL_OFF_REACTOR_TABLE} WHERE tenant_id = $1 ORDER BY job_id`,
        [council],
      );
      return rows.map((r) => r.job_id);
    },
    async reactorAtHead() {
      const checkpoint = await loadCheckpoint(pool, checkpointNameOf(CALL_OFF_REACTOR));
      return (await store.countEventsAfter(checkpoint)) === 0 || null;
    },
    async close() {
      await runner.stop();
      await callOff.close();
    },
  };
}
