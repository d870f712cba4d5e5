import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mintToken } from '@kpi/auth';
import { entityId, type CommandContext } from '@kpi/command-handling';
import { parsePeriod, periodsBetween, type Period } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, deleteRedisKeys, freshAuditSigningKeys, waitFor } from '@kpi/testing';
import { Pool } from 'pg';
import {
  exited,
  freePort,
  postgresOfItsOwn,
  type PostgresOfItsOwn,
} from './support/services-of-its-own';

/**
 * Fault: the API's PostgreSQL (a cluster of the test's own) is stopped and started again while
 * clients send commands. While it is down the API answers every command with an error (503
 * problem+json: the service it needs is away) and keeps running; once it is back the API
 * serves again without a restart. Clients retry a failed command with its Idempotency-Key, as
 * the API asks them to; in the end every command acknowledged (2xx) has its events stored
 * exactly once, and nothing else is stored.
 */

const repositoryRoot = join(__dirname, '..', '..');
const SECRET = 'faults-postgres-secret-of-32-characters-or-more';
const TENANT = 'faults-pg';
const CLIENTS = 8;
const HOMES = 20;
const OUTAGE_MS = 5_000;
/** A client gives up on a command after this many failed attempts (the API never recovered). */
const MAX_ATTEMPTS = 300;
const RETRY_PAUSE_MS = 100;
const PERIODS = periodsBetween(parsePeriod('2020-01'), parsePeriod('2025-12'));

let postgres: PostgresOfItsOwn;
let pool: Pool;
let api: ChildProcess | undefined;
let port: number;
const prefix = `faults-pg-${process.pid}`;

beforeAll(async () => {
  postgres = await postgresOfItsOwn();
  await postgres.start();
  await postgres.createDatabase('kpi_ledger');
  pool = new Pool({ connectionString: postgres.urlOf('kpi_ledger'), max: 2 });
  // Its idle clients die with the server: expected here.
  pool.on('error', () => undefined);
  await migrate(pool, eventStoreMigrations);
  const store = new PostgresEventStore(pool, eventTypeRegistry());
  const context = (): CommandContext => ({
    store,
    tenantId: TENANT,
    actor: 'user:faults-admin',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date('2019-12-01T09:00:00Z'),
  });
  const regionId = entityId('north', 'regionId');
  await registerRegion(context(), {
    regionId,
    name: 'North',
    regionalManagerId: entityId('rm-1', 'regionalManagerId'),
  });
  await publishChildrensHomesPreset(context(), { effectiveFrom: PERIODS[0]! });
  for (let h = 0; h < HOMES; h++) {
    await registerService(context(), {
      serviceId: entityId(`home-${h}`, 'serviceId'),
      name: `Home ${h}`,
      regionId,
      serviceType: 'childrens-home',
      frameworkId: entityId('childrens-homes', 'frameworkId'),
      openedOn: '2019-12-01',
    });
  }

  port = await freePort();
  api = spawn(process.execPath, ['-r', './scripts/register.js', 'apps/api/src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: postgres.urlOf('kpi_ledger'),
      BULLMQ_PREFIX: prefix,
      JWT_SECRET: SECRET,
      AUDIT_SIGNING_KEYS: freshAuditSigningKeys(),
      PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
      PORT: String(port),
      LOG_LEVEL: 'fatal',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    { description: 'the API to answer /health', timeoutMs: 60_000, intervalMs: 200 },
  );
});
afterAll(async () => {
  if (api) {
    api.kill('SIGTERM');
    await exited(api);
  }
  await pool?.end();
  await postgres?.remove();
  await deleteRedisKeys(prefix);
});

const token = mintToken({
  secret: SECRET,
  issuer: 'kpi-ledger',
  audience: 'kpi-ledger',
  subject: 'user:rm-1',
  tenantId: TENANT,
  roles: ['regional-manager'],
  expiresInSeconds: 3600,
});

interface Answer {
  /** When the request was sent and answered (ms since the epoch). */
  sentAt: number;
  answeredAt: number;
  /** 0: no HTTP answer (the connection failed). */
  status: number;
  contentType: string | null;
  body: string;
}

async function submit(serviceId: string, period: Period, key: string): Promise<Answer> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/services/${serviceId}/returns`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ period, values: allMet }),
    });
    return {
      sentAt,
      answeredAt: Date.now(),
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.text(),
    };
  } catch (error) {
    return { sentAt, answeredAt: Date.now(), status: 0, contentType: null, body: String(error) };
  }
}

interface Acknowledged {
  streamId: string;
  replayed: boolean;
  attempts: number;
  at: number;
}

describe('PostgreSQL restarted while commands are being sent', () => {
  it('the API answers with errors meanwhile, serves again without a restart, and every acknowledged command is stored exactly once', async () => {
    const apiPid = api!.pid;
    const answers: Answer[] = [];
    const acknowledged = new Map<string, Acknowledged>();
    const givenUp: string[] = [];
    let next = 0;
    let sending = true;

    // Each client sends the next return and, when it fails, sends it again with the same
    // Idempotency-Key after a pause, until it is acknowledged.
    const client = async () => {
      while (sending) {
        const n = next++;
        const serviceId = `home-${n % HOMES}`;
        const period = PERIODS[Math.floor(n / HOMES)]!;
        const key = `faults-return-${n}`;
        for (let attempt = 1; ; attempt++) {
          const answer = await submit(serviceId, period, key);
          answers.push(answer);
          if (answer.status >= 200 && answer.status < 300) {
            const { streamId, replayed } = JSON.parse(answer.body) as Acknowledged;
            acknowledged.set(key, { streamId, replayed, attempts: attempt, at: answer.answeredAt });
            break;
          }
          if (attempt >= MAX_ATTEMPTS) {
            givenUp.push(key);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS)); // the client's pause
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    const acknowledgedSince = (since: number) =>
      [...acknowledged.values()].filter((a) => a.at > since).length;

    await waitFor(() => acknowledged.size >= 40, { description: '40 commands acknowledged' });
    const stopping = Date.now();
    await postgres.stop();
    const down = Date.now();
    await waitFor(
      () => Date.now() - down >= OUTAGE_MS && answers.filter((a) => a.sentAt >= down).length >= 20,
      { description: 'PostgreSQL down for 5 s, the API answering meanwhile', intervalMs: 50 },
    );
    const starting = Date.now();
    await postgres.start();
    const up = Date.now();
    await waitFor(() => acknowledgedSince(up) >= 40, {
      description: '40 commands acknowledged after PostgreSQL is back',
      timeoutMs: 60_000,
    });
    sending = false;
    await Promise.all(clients);

    // The API process served throughout: the same process, still running.
    expect(api!.exitCode).toBeNull();
    expect(api!.pid).toBe(apiPid);
    expect(givenUp).toEqual([]);

    // While PostgreSQL was down, every command was answered, and none was acknowledged.
    const whileDown = answers.filter((a) => a.sentAt >= down && a.answeredAt <= starting);
    const statuses = countBy(whileDown.map((a) => a.status));
    expect(whileDown.length).toBeGreaterThanOrEqual(20);
    expect(whileDown.filter((a) => a.status === 0 || a.status < 500)).toEqual([]);
    // …each with 503 problem+json (the database is away: try again), never a bare 500.
    expect(statuses).toEqual({ 503: whileDown.length });
    expect(new Set(whileDown.map((a) => a.contentType))).toEqual(
      new Set(['application/problem+json; charset=utf-8']),
    );
    const firstServedAfter = Math.min(
      ...answers.filter((a) => a.sentAt >= starting && a.status < 300).map((a) => a.answeredAt),
    );

    // Every acknowledged command: its return's stream holds its one event, once; no other
    // return was stored.
    const { rows } = await pool.query<{ stream_id: string; events: string; types: string[] }>(
      `SELECT stream_id, count(*) AS events, array_agg(type) AS types FROM events
        WHERE stream_id LIKE $1 GROUP BY stream_id`,
      [`${TENANT}:monthly-return:%`],
    );
    const stored = new Map(rows.map((r) => [r.stream_id, r]));
    const ackedStreams = [...acknowledged.values()].map((a) => a.streamId);
    expect(new Set(ackedStreams).size).toBe(acknowledged.size);
    expect([...stored.keys()].sort()).toEqual([...ackedStreams].sort());
    for (const streamId of ackedStreams) {
      expect({ streamId, types: stored.get(streamId)!.types }).toEqual({
        streamId,
        types: ['MonthlyReturnSubmitted'],
      });
    }

    const figures = {
      fault: 'PostgreSQL restarted under the API',
      secondsToStop: (down - stopping) / 1000,
      outageSeconds: (starting - down) / 1000,
      secondsToStart: (up - starting) / 1000,
      answersWhileDown: whileDown.length,
      statusesWhileDown: statuses,
      secondsFromStartToFirstAcknowledged: (firstServedAfter - starting) / 1000,
      commandsAcknowledged: acknowledged.size,
      retried: [...acknowledged.values()].filter((a) => a.attempts > 1).length,
      replayed: [...acknowledged.values()].filter((a) => a.replayed).length,
      eventsChecked: rows.reduce((sum, r) => sum + Number(r.events), 0),
      apiRestarts: 0,
    };
    console.log(`FAULTS ${JSON.stringify(figures)}`);
  });
});

function countBy(values: readonly number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
