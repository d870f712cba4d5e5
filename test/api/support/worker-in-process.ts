import type { PostgresEventStore } from '@kpi/event-store';
import { capabilityEscalationProcess } from '@kpi/features/capability';
import { allProjections } from '@kpi/features';
import { ensureProjectionReady, projectionStatus, ProjectionRunner } from '@kpi/projections';
import { callOffScheduling, type CallOffScheduling } from '@kpi/features/call-off';
import { deadlineScheduling, type DeadlineScheduling } from '@kpi/features/deadlines';
import { notificationScheduling, smtpMailSender } from '@kpi/features/notifications';
import { deleteRedisKeys, waitFor } from '@kpi/testing';
import type { Pool } from 'pg';

export interface ProjectionsInProcess {
  /** Resolves once every projection's checkpoint has reached the head of the log. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker's projections and the capability escalation process (and, when asked, the
 * deadline and call-off reactors and processors), run inside the test process as apps/worker
 * runs them, polling every 10 ms once idle so tests wait little. The tables are made before it
 * returns, so queries never meet a missing table.
 *
 * Give it the test's own pool and a store with the app's event types
 * (`new PostgresEventStore(api.pool, eventTypeRegistry())`): the runners keep one connection
 * each while they lead.
 */
export async function startProjections(
  pool: Pool,
  store: PostgresEventStore,
  options: {
    /**
     * Also the deadline reactor and processor (on Redis, under a BullMQ prefix of the test's
     * own, and with its clock): off by default, as deadlines add events of their own.
     */
    deadlines?: { prefix: string; clock?: () => Date };
    /**
     * Also the call-off reactor and processor (care-package offers moving on as their windows
     * close). Defaults to `deadlines`, as the worker runs both timers; give it alone for the
     * call-off timers without the deadlines.
     */
    callOff?: { prefix: string; clock?: () => Date };
    /**
     * Also the notification reactor and the processor that emails through `smtpUrl` (a test SMTP
     * server: startSmtpServer), as the worker runs them with SMTP_URL set (docs/decisions/0036).
     */
    notifications?: { prefix: string; smtpUrl: string; clock?: () => Date };
  } = {},
): Promise<
  ProjectionsInProcess & { deadlines: DeadlineScheduling | null; callOff: CallOffScheduling | null }
> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const escalation = capabilityEscalationProcess(store);
  const deadlines = options.deadlines
    ? deadlineScheduling({ redisUrl, store, ...options.deadlines })
    : null;
  const callOffOptions = options.callOff ?? options.deadlines;
  const callOff = callOffOptions ? callOffScheduling({ redisUrl, store, ...callOffOptions }) : null;
  const notifications = options.notifications
    ? notificationScheduling({
        redisUrl,
        pool,
        mail: smtpMailSender(options.notifications.smtpUrl, 'KPI ledger <notifications@kpi.test>'),
        links: {},
        prefix: options.notifications.prefix,
        ...(options.notifications.clock ? { clock: options.notifications.clock } : {}),
      })
    : null;
  const processes = [
    escalation,
    ...(deadlines ? [deadlines.reactor] : []),
    ...(callOff ? [callOff.reactor] : []),
    ...(notifications ? [notifications.reactor] : []),
  ];
  const everything = [...allProjections, ...processes];
  for (const projection of everything) await ensureProjectionReady(pool, store, projection);
  const runnerOptions = { idlePollMs: 10, standbyPollMs: 10, retryDelayMs: 10 };
  // As apps/worker runs them: the read models in one runner, each process in one of its own.
  const runners = [
    new ProjectionRunner(pool, store, allProjections, runnerOptions),
    ...processes.map((p) => new ProjectionRunner(pool, store, p, runnerOptions)),
  ];
  for (const runner of runners) runner.start();
  deadlines?.startProcessor();
  callOff?.startProcessor();
  await notifications?.start();
  return {
    deadlines,
    callOff,
    async caughtUp() {
      await waitFor(
        async () =>
          (await projectionStatus(pool, store, everything)).every((s) => s.eventsBehind === 0),
        { description: 'every projection to reach the head of the log', intervalMs: 10 },
      );
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      await Promise.all([deadlines?.close(), callOff?.close(), notifications?.close()]);
      const prefixes = new Set([
        options.deadlines?.prefix,
        callOffOptions?.prefix,
        options.notifications?.prefix,
      ]);
      for (const prefix of prefixes) if (prefix !== undefined) await deleteRedisKeys(prefix);
    },
  };
}
