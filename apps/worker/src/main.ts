import { SigningKeyRing } from '@kpi/audit-bundle';
import { auditExportProcessing } from '@kpi/features/audit-exports';
import { capabilityEscalationProcess } from '@kpi/features/capability';
import { allProjections } from '@kpi/features';
import { ProjectionRunner } from '@kpi/projections';
import { loadEnvironment, openDatabase, requireRedis } from '@kpi/runtime';
import { callOffScheduling } from '@kpi/features/call-off';
import { deadlineScheduling } from '@kpi/features/deadlines';
import { notificationScheduling, smtpMailSender } from '@kpi/features/notifications';
import { housekeeping } from './housekeeping';
import { sealing } from './sealing';
import { selectProjections } from './select-projections';

/**
 * The worker: keeps every read model up to date with the event log, and runs the processes
 * that act on it: capability escalation, the deadline reactor and the call-off reactor that
 * turn events into BullMQ jobs (deadlines; care-package offer windows), whose processors run
 * here too. Many workers may run at once; each projection and each process is run by one of
 * them, and every worker takes due jobs from the shared queues. Housekeeping (sign-in records
 * that have lapsed) and sealing the log run on schedules, each run on one of the workers.
 * Evidence-bundle exports are written here too, one at a time per worker, to EXPORT_DIR.
 * Notifications are made here from the log and emailed, at once or in a daily digest, when
 * SMTP_URL is set (docs/decisions/0036).
 */
async function main(): Promise<void> {
  const { config, logger } = loadEnvironment('worker');
  const { pool, store } = await openDatabase(config, logger, { component: 'worker' });
  const signingKeys = SigningKeyRing.fromConfig(config.AUDIT_SIGNING_KEYS);
  // Later outages are waited out (the reactors' checkpoints wait); a wrong REDIS_URL is not.
  await requireRedis(config.REDIS_URL);
  const deadlines = deadlineScheduling({
    redisUrl: config.REDIS_URL,
    prefix: config.BULLMQ_PREFIX,
    store,
    onError: (error) => logger.warn({ err: error }, 'deadlines: Redis'),
  });
  const callOff = callOffScheduling({
    redisUrl: config.REDIS_URL,
    prefix: config.BULLMQ_PREFIX,
    store,
    onError: (error) => logger.warn({ err: error }, 'call-off: Redis'),
  });
  // Notifications: delivery rows for the pages always; email only with an SMTP server.
  const notifications = notificationScheduling({
    redisUrl: config.REDIS_URL,
    prefix: config.BULLMQ_PREFIX,
    pool,
    mail: config.SMTP_URL ? smtpMailSender(config.SMTP_URL, config.MAIL_FROM) : null,
    links: { baseUrl: config.PUBLIC_BASE_URL },
    onError: (error) => logger.warn({ err: error }, 'notifications'),
  });
  if (!config.SMTP_URL) {
    logger.info({}, 'notifications: no SMTP_URL, so they are kept in the web pages only');
  }
  const exports = auditExportProcessing({
    redisUrl: config.REDIS_URL,
    prefix: config.BULLMQ_PREFIX,
    pool,
    signer: signingKeys.current,
    exportDirectory: config.EXPORT_DIR,
    onError: (error) => logger.warn({ err: error }, 'audit exports'),
  });
  const housekeepingJobs = housekeeping(
    pool,
    { exportDirectory: config.EXPORT_DIR, retentionDays: config.EXPORT_RETENTION_DAYS },
    {
      redisUrl: config.REDIS_URL,
      prefix: config.BULLMQ_PREFIX,
      onError: (error) => logger.warn({ err: error }, 'housekeeping'),
    },
  );
  const seals = sealing(pool, store, {
    redisUrl: config.REDIS_URL,
    prefix: config.BULLMQ_PREFIX,
    keys: signingKeys,
    outlets: { file: config.SEAL_FILE, webhookUrl: config.SEAL_WEBHOOK_URL },
    everyMs: config.SEAL_INTERVAL_MINUTES * 60_000,
    onError: (error) => logger.warn({ err: error }, 'sealing'),
  });
  const processes = [
    capabilityEscalationProcess(store),
    deadlines.reactor,
    callOff.reactor,
    notifications.reactor,
  ];
  const selected = selectProjections(
    [...allProjections, ...processes],
    process.env.WORKER_PROJECTIONS,
  );
  const projections = selected.filter((p) => !processes.includes(p));
  const options = {
    batchSize: config.PROJECTION_BATCH_SIZE,
    idlePollMs: config.PROJECTION_IDLE_POLL_MS,
    logger,
  };
  const runners = [
    // One runner for all of this worker's read models: each batch of the log is read once and
    // applied to every projection in one transaction (docs/decisions/0006).
    ...(projections.length > 0 ? [new ProjectionRunner(pool, store, projections, options)] : []),
    // A process appends events, and a conflict with a command fails its batch: it runs on its
    // own, so a retry never holds the read models back (docs/decisions/0011).
    ...selected
      .filter((p) => processes.includes(p))
      .map((p) => new ProjectionRunner(pool, store, p, { ...options, batchSize: 500 })),
  ];
  for (const runner of runners) runner.start();
  deadlines.startProcessor();
  callOff.startProcessor();
  exports.startProcessor();
  await notifications.start();
  await housekeepingJobs.start();
  await seals.start();
  logger.info({ projections: selected.map((p) => p.name).join(',') }, 'worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    await Promise.all(runners.map((runner) => runner.stop()));
    await Promise.all([
      deadlines.close(),
      callOff.close(),
      exports.close(),
      notifications.close(),
      housekeepingJobs.close(),
      seals.close(),
    ]);
    await pool.end();
    logger.info({}, 'worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
