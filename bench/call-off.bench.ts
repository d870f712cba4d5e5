/**
 * bench/call-off: the care-at-home call-off and provider performance (issue 6, decision 0013)
 * with a quarter of packages stored. Phases, each reported in the one JSON line printed at the
 * end (and kept with saveResults('call-off')):
 *
 * 1. seed — in a database of its own: a council, BENCH_PROVIDERS provider organisations
 *    (default 6, at least 3) and a framework; then BENCH_PACKAGES packages (default 3,000)
 *    referred over 2026-27 Q1 (working days, 09:00–17:00 London), each through the use cases
 *    with a context whose `now` is the moment of the act, run one at a time in the order of the
 *    world (a queue of acts by time): ≈70 % accepted by the first-refusal provider within 2 h,
 *    ≈15 % declined by it and taken by the second, ≈10 % left to lapse to the offer to all and
 *    taken there, ≈5 % declined by everyone (unplaced); the family contacted in time for ≈90 %
 *    of those placed, care started for every one placed. Pseudo-random from BENCH_SEED
 *    (mulberry32): the same history on every run. Each referral reads the framework's rotation
 *    stream, which grows by one event a package: the line gives the registration latency of
 *    the first and of the last 100 referrals;
 * 2. catch-up — the real worker process (apps/worker, every read model and process; its BullMQ
 *    prefix is the database's name, its keys deleted at the end) from nothing to the head of
 *    the log: done when every checkpoint has no event after it;
 * 3. http — the real API process (apps/api, NODE_ENV=production, LOG_LEVEL=warn), with the
 *    worker still running; BENCH_CLIENTS keep-alive clients (default 4) send BENCH_REQUESTS
 *    requests per query in all (default 500; after BENCH_WARM_UP, default 50): a provider's
 *    performance for the quarter and the league table (JSON and CSV) with the commissioner's
 *    token, the package list with a provider's token; then BENCH_FRESH fresh packages (default
 *    BENCH_REQUESTS) are referred over HTTP by the commissioner (`register`) and accepted by
 *    their first-refusal provider (`accept`). Every answer must be 2xx, or the bench fails;
 * 4. breakdown — in the bench's own process, where a league table and a referral spend their
 *    time: the SQL of the quarter's packages (rows, bytes), the KPI computation, and a
 *    referral through the use case (no HTTP) at the rotation stream's final length.
 *
 * BENCH_KEEP=1 keeps the database. BENCH_PROFILE_DIR=/tmp/prof writes CPU profiles of the
 * worker and the API there.
 */
import type { ChildProcess } from 'node:child_process';
import type { Pool } from 'pg';
import {
  acceptCarePackage,
  declineCarePackage,
  establishCareFramework,
  recordCareStarted,
  recordFamilyContact,
  registerCarePackage,
  CALL_OFF_REACTOR,
} from '@kpi/features/call-off';
import { registerOrganisation } from '@kpi/features/organisation';
import {
  entityId,
  uuidFromParts,
  type CommandContext,
  type DomainEvent,
} from '@kpi/command-handling';
import {
  addDays,
  contractYearOf,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  leagueTable,
  londonDateOf,
  londonInstant,
  parseFinancialQuarter,
  callOffCounts,
  providerPerformance,
  streamIds,
  WorkingDayCalendar,
  type CallOffRotation,
  type CarePackage,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { CAPABILITY_ESCALATION } from '@kpi/features/capability';
import { allProjections } from '@kpi/features';
import { checkpointNameOf } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { DEADLINE_REACTOR } from '@kpi/features/deadlines';
import { createTestDatabase, deleteRedisKeys, waitFor } from '@kpi/testing';
import {
  benchClient,
  benchToken,
  codeVersion,
  cpuMeter,
  cpuMsPer,
  cpuSeconds,
  elapsedMs,
  envInt,
  mean,
  percentile,
  postgresCpuSeconds,
  processEnv,
  report,
  round,
  saveResults,
  seconds,
  seededRandom,
  startProcess,
  stopProcess,
  waitForHealth,
  type Answer,
  type Call,
} from './bench-support';
import { allCaughtUp, countEvents } from './worker-support';

const PACKAGES = envInt('BENCH_PACKAGES', 3_000);
const PROVIDERS = envInt('BENCH_PROVIDERS', 6);
const CLIENTS = envInt('BENCH_CLIENTS', 4);
const REQUESTS = envInt('BENCH_REQUESTS', 500);
const WARM_UP = envInt('BENCH_WARM_UP', 50);
const FRESH = envInt('BENCH_FRESH', REQUESTS);
const SEED = envInt('BENCH_SEED', 20_260_401);
const PORT = envInt('BENCH_PORT', 3902);
const CATCH_UP_TIMEOUT_S = envInt('BENCH_CATCH_UP_TIMEOUT_S', 1_800);
const KEEP = process.env.BENCH_KEEP === '1';
/** PostgreSQL's CPU time counts its backends that ended too (bench-support cpuSeconds). */
const REAPED = { reaped: true };

if (PROVIDERS < 3)
  throw new Error('BENCH_PROVIDERS must be at least 3 (first refusal, second, all)');
const QUARTER = parseFinancialQuarter('2026-27 Q1');
const CONTRACT_START = '2026-04-01';
const COUNCIL = 'bench-council';
const FRAMEWORK = 'care-at-home';
const PROVIDER_IDS = Array.from(
  { length: PROVIDERS },
  (_, i) => `bench-provider-${String(i + 1).padStart(2, '0')}`,
);
/** The framework's paths under the council. */
const BASE = `/councils/${COUNCIL}`;
const FRAMEWORK_PATH = `${BASE}/care-frameworks/${FRAMEWORK}`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OFFER_WINDOW = 2 * HOUR;
/** Of the packages, how many end which way (the rest: unplaced). */
const FATES = { first: 0.7, second: 0.15, all: 0.1 } as const;
const FAMILY_CONTACT_IN_TIME = 0.9;
const CARE_STARTED_IN_TIME = 0.85;
const URGENT = 0.2;

/** Every reader of the log the worker runs: its checkpoints are `projection:<name>`. */
const CHECKPOINTS = [
  ...allProjections.map((p) => p.name),
  CAPABILITY_ESCALATION,
  DEADLINE_REACTOR,
  CALL_OFF_REACTOR,
].map(checkpointNameOf);

/** p50 / p99 / mean (ms, one decimal) of a list of latencies. */
function latencySummary(latencies: readonly number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    meanMs: round(mean(sorted), 1),
    maxMs: round(sorted[sorted.length - 1] ?? 0, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// The quarter's history: what happens to each package, drawn up front from the seed.
// ---------------------------------------------------------------------------------------------

type Fate = 'first' | 'second' | 'all' | 'unplaced';

interface PackagePlan {
  packageId: string;
  referredAt: Date;
  urgent: boolean;
  startDate: string;
  hoursPerWeek: number;
  fate: Fate;
  /** After its offer: when the first-refusal provider answers (accepts or declines). */
  firstAnswersAfterMs: number;
  /** After its window opens: when the second provider answers. */
  secondAnswersAfterMs: number;
  /** After the offer to all opens: when one of the others takes it (fate `all`). */
  takenFromAllAfterMs: number;
  /** Which of the others takes it, as a fraction of their number. */
  takenBy: number;
  /** Unplaced: the gap before each of the others declines the offer to all. */
  othersDeclineGapsMs: number[];
  familyContactInTime: boolean;
  /** After the acceptance: when the family is contacted. */
  familyContactAfterMs: number;
  /** After the contact: when the provider records it. */
  contactRecordedAfterMs: number;
  careStartedInTime: boolean;
  /** In time: days before the due day care starts (0–3); late: days after it (1–5). */
  careStartDays: number;
}

function planQuarter(random: () => number): PackagePlan[] {
  const between = (low: number, high: number) => low + random() * (high - low);
  // The council's office days (Monday to Friday, not bank holidays: §40).
  const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);
  const workingDays: string[] = [];
  for (let day = QUARTER.firstDay; day <= QUARTER.lastDay; day = addDays(day, 1))
    if (calendar.isWorkingDay(day)) workingDays.push(day);
  const referrals = Array.from({ length: PACKAGES }, () => {
    const day = workingDays[Math.floor(random() * workingDays.length)]!;
    const minute = Math.floor(random() * 8 * 60); // 09:00 to 16:59
    const time = `${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    return new Date(londonInstant(day, time).getTime() + Math.floor(random() * 60) * 1000);
  }).sort((a, b) => a.getTime() - b.getTime());
  return referrals.map((referredAt, index) => {
    const u = random();
    const fate: Fate =
      u < FATES.first
        ? 'first'
        : u < FATES.first + FATES.second
          ? 'second'
          : u < FATES.first + FATES.second + FATES.all
            ? 'all'
            : 'unplaced';
    const urgent = random() < URGENT;
    const familyContactInTime = random() < FAMILY_CONTACT_IN_TIME;
    const limit = (urgent ? 12 : 24) * HOUR;
    const careStartedInTime = random() < CARE_STARTED_IN_TIME;
    return {
      packageId: `pkg-${String(index).padStart(5, '0')}`,
      referredAt,
      urgent,
      startDate: addDays(londonDateOf(referredAt), 3 + Math.floor(random() * 12)),
      hoursPerWeek: 2 + Math.floor(random() * 60) / 2,
      fate,
      firstAnswersAfterMs: Math.round(between(5 * MINUTE, 110 * MINUTE)),
      secondAnswersAfterMs: Math.round(between(5 * MINUTE, 110 * MINUTE)),
      takenFromAllAfterMs: Math.round(between(10 * MINUTE, 8 * HOUR)),
      takenBy: random(),
      othersDeclineGapsMs: Array.from({ length: PROVIDERS - 2 }, () =>
        Math.round(between(10 * MINUTE, 3 * HOUR)),
      ),
      familyContactInTime,
      familyContactAfterMs: Math.round(
        familyContactInTime
          ? between(30 * MINUTE, limit - 30 * MINUTE)
          : limit + between(HOUR, 24 * HOUR),
      ),
      contactRecordedAfterMs: Math.round(between(0, HOUR)),
      careStartedInTime,
      careStartDays: careStartedInTime ? Math.floor(random() * 4) : 1 + Math.floor(random() * 5),
    };
  });
}

/** Acts waiting for their moment, earliest first (ties in the order they were planned). */
class ActQueue {
  private readonly heap: { at: number; seq: number; act: () => Promise<void> }[] = [];
  private seq = 0;

  get size() {
    return this.heap.length;
  }

  push(at: Date, act: () => Promise<void>): void {
    const heap = this.heap;
    heap.push({ at: at.getTime(), seq: this.seq++, act });
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): (() => Promise<void>) | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let best = i;
        if (l < heap.length && this.before(l, best)) best = l;
        if (r < heap.length && this.before(r, best)) best = r;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top?.act;
  }

  private before(a: number, b: number): boolean {
    const [x, y] = [this.heap[a]!, this.heap[b]!];
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

interface SeedFigures {
  registrations: number[];
  otherCommands: number[];
  fates: Record<Fate, number>;
  heldOverWeekend: number;
}

async function seed(pool: Pool, store: PostgresEventStore) {
  let commands = 0;
  const context = (tenantId: string, actor: string, now: Date): CommandContext => ({
    store,
    tenantId,
    actor,
    correlationId: null,
    commandId: uuidFromParts('bench-call-off', String(SEED), String(commands++)),
    now,
  });
  const setUpAt = new Date('2026-03-02T10:00:00Z');
  await registerOrganisation(context(COUNCIL, 'user:bench-admin', setUpAt), {
    name: 'Bench Borough Council',
    kind: 'council',
  });
  for (const id of PROVIDER_IDS)
    await registerOrganisation(context(id, 'user:bench-admin', setUpAt), {
      name: `Provider ${id}`,
      kind: 'provider',
    });
  await establishCareFramework(context(COUNCIL, 'user:commissioner', setUpAt), {
    frameworkId: entityId(FRAMEWORK, 'frameworkId'),
    name: 'Care at Home for Children and Young People 2026–2030',
    contractStartDate: CONTRACT_START,
    providers: PROVIDER_IDS,
  });
  const eventsBefore = await countEvents(pool);

  const plans = planQuarter(seededRandom(SEED));
  const figures: SeedFigures = {
    registrations: [],
    otherCommands: [],
    fates: { first: 0, second: 0, all: 0, unplaced: 0 },
    heldOverWeekend: 0,
  };
  const queue = new ActQueue();
  const provider = (providerId: string, packageId: string, now: Date) => ({
    context: context(providerId, 'user:coordinator', now),
    input: {
      councilId: entityId(COUNCIL, 'councilId'),
      packageId: entityId(packageId, 'packageId'),
    },
  });
  /** A provider's act, timed (the package's own acts after its referral). */
  const timed = async (work: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await work();
    figures.otherCommands.push(elapsedMs(started));
  };
  const placed = (plan: PackagePlan, providerId: string, acceptedAt: Date) => {
    const contactedAt = new Date(acceptedAt.getTime() + plan.familyContactAfterMs);
    queue.push(new Date(contactedAt.getTime() + plan.contactRecordedAfterMs), async () => {
      const { context: ctx, input } = provider(
        providerId,
        plan.packageId,
        new Date(contactedAt.getTime() + plan.contactRecordedAfterMs),
      );
      await timed(() =>
        recordFamilyContact(ctx, { ...input, contactedAt: contactedAt.toISOString() }),
      );
      const contactDay = londonDateOf(contactedAt);
      const weekAfter = addDays(contactDay, 7);
      const dueOn = plan.startDate > weekAfter ? plan.startDate : weekAfter;
      let startedOn = plan.careStartedInTime
        ? addDays(dueOn, -plan.careStartDays)
        : addDays(dueOn, plan.careStartDays);
      if (startedOn < contactDay) startedOn = contactDay;
      const recordedAt = londonInstant(startedOn, '17:00');
      queue.push(recordedAt, () => {
        const { context: ctx2, input: input2 } = provider(providerId, plan.packageId, recordedAt);
        return timed(() => recordCareStarted(ctx2, { ...input2, startedOn }));
      });
    });
  };
  const accept = (plan: PackagePlan, providerId: string, at: Date) =>
    queue.push(at, async () => {
      const { context: ctx, input } = provider(providerId, plan.packageId, at);
      await timed(() => acceptCarePackage(ctx, input));
      placed(plan, providerId, at);
    });
  const decline = (plan: PackagePlan, providerId: string, at: Date, then?: () => void) =>
    queue.push(at, async () => {
      const { context: ctx, input } = provider(providerId, plan.packageId, at);
      await timed(() => declineCarePackage(ctx, { ...input, reason: 'No capacity in that area' }));
      then?.();
    });

  const refer = async (plan: PackagePlan) => {
    const ctx = context(COUNCIL, 'user:placements-officer', plan.referredAt);
    const started = process.hrtime.bigint();
    const outcome = await registerCarePackage(ctx, {
      frameworkId: entityId(FRAMEWORK, 'frameworkId'),
      packageId: entityId(plan.packageId, 'packageId'),
      hoursPerWeek: plan.hoursPerWeek,
      outcomes: 'Personal care before school; short breaks for the family at weekends.',
      startDate: plan.startDate,
      urgent: plan.urgent,
      communicationNeeds: 'Parents prefer contact by text message.',
    });
    figures.registrations.push(elapsedMs(started));
    figures.fates[plan.fate]++;
    const events = outcome.events as DomainEvent[];
    const registered = events.find((e) => e.type === 'CarePackageRegistered')!.data as {
      rotation: CallOffRotation;
      heldUntil: string | null;
    };
    const offered = events.find((e) => e.type === 'CarePackageOffered')!.data as {
      closesAt: string | null;
    };
    const { rotation } = registered;
    const heldUntil = registered.heldUntil ? Date.parse(registered.heldUntil) : 0;
    if (heldUntil) figures.heldOverWeekend++;
    const referredAt = plan.referredAt.getTime();
    const firstAnswers = new Date(referredAt + plan.firstAnswersAfterMs);
    /** A decline by the first-refusal provider opens the second window (after any hold). */
    const secondOpensAfterDecline = Math.max(firstAnswers.getTime(), heldUntil);
    switch (plan.fate) {
      case 'first':
        accept(plan, rotation.firstRefusal, firstAnswers);
        break;
      case 'second':
        decline(plan, rotation.firstRefusal, firstAnswers);
        accept(
          plan,
          rotation.second!,
          new Date(secondOpensAfterDecline + plan.secondAnswersAfterMs),
        );
        break;
      case 'all': {
        const allOpens = Date.parse(offered.closesAt!) + OFFER_WINDOW;
        const taker = rotation.others[Math.floor(plan.takenBy * rotation.others.length)]!;
        accept(plan, taker, new Date(allOpens + plan.takenFromAllAfterMs));
        break;
      }
      case 'unplaced': {
        decline(plan, rotation.firstRefusal, firstAnswers);
        const secondDeclines = secondOpensAfterDecline + plan.secondAnswersAfterMs;
        decline(plan, rotation.second!, new Date(secondDeclines), () => {
          // The second's decline opens the offer to all at once; each of the others declines.
          let at = secondDeclines;
          rotation.others.forEach((other, k) => {
            at += plan.othersDeclineGapsMs[k]!;
            decline(plan, other, new Date(at));
          });
        });
        break;
      }
    }
  };

  for (const plan of plans) queue.push(plan.referredAt, () => refer(plan));
  const tty = process.stderr.isTTY;
  const started = process.hrtime.bigint();
  const cpuBefore = { postgres: postgresCpuSeconds(REAPED), bench: process.cpuUsage() };
  let printed = Date.now();
  for (let act = queue.pop(); act; act = queue.pop()) {
    await act();
    if (Date.now() - printed >= 10_000) {
      printed = Date.now();
      const done = figures.registrations.length;
      const recent = figures.registrations.slice(-50);
      process.stderr.write(
        `${tty ? '\r' : ''}seed ${Math.round(seconds(started))}s: ${done}/${PACKAGES} referred (last 50: ${round(mean(recent), 1)} ms each), ${queue.size} acts waiting${tty ? '' : '\n'}`,
      );
    }
  }
  if (tty) process.stderr.write('\n');
  const took = seconds(started);
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const events = (await countEvents(pool)) - eventsBefore;
  const edge = Math.min(100, Math.floor(PACKAGES / 2));
  return {
    packages: PACKAGES,
    providers: PROVIDERS,
    fates: figures.fates,
    heldOverWeekend: figures.heldOverWeekend,
    commands: figures.registrations.length + figures.otherCommands.length,
    events,
    seconds: round(took, 1),
    packagesPerSec: round(PACKAGES / took, 1),
    eventsPerSec: round(events / took),
    // One act at a time: the latency of each use case in the bench's process (no HTTP).
    registration: {
      firstHundred: latencySummary(figures.registrations.slice(0, edge)),
      lastHundred: latencySummary(figures.registrations.slice(-edge)),
      all: latencySummary(figures.registrations),
    },
    providerActs: latencySummary(figures.otherCommands),
    cpuSeconds: {
      bench: round((benchCpu.user + benchCpu.system) / 1e6, 1),
      postgres: round(postgresCpuSeconds(REAPED) - cpuBefore.postgres, 1),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The catch-up of the real worker.
// ---------------------------------------------------------------------------------------------

async function catchUp(pool: Pool, store: PostgresEventStore, worker: ChildProcess) {
  const started = process.hrtime.bigint();
  const before = { postgres: postgresCpuSeconds(REAPED) };
  await waitFor(() => allCaughtUp(pool, store, CHECKPOINTS), {
    description: 'every read model and process to reach the head of the log',
    timeoutMs: CATCH_UP_TIMEOUT_S * 1000,
    intervalMs: 100,
  });
  const took = seconds(started);
  const events = await countEvents(pool);
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM rm_care_packages');
  return {
    events,
    seconds: round(took, 1),
    eventsPerSec: round(events / took),
    carePackageRows: Number(rows[0]!.n),
    // The worker's whole life so far (it started just before), and PostgreSQL meanwhile.
    cpuSeconds: {
      worker: round(cpuSeconds(worker.pid!), 1),
      postgres: round(postgresCpuSeconds(REAPED) - before.postgres, 1),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Over HTTP.
// ---------------------------------------------------------------------------------------------

async function main() {
  const database = await createTestDatabase('bench_call_off');
  const pool = database.pool({ max: 4 });
  const children: ChildProcess[] = [];
  let failed = false;
  try {
    await migrate(pool, eventStoreMigrations);
    const store = new PostgresEventStore(pool, eventTypeRegistry());
    const commit = codeVersion();

    process.stderr.write(
      `seed: ${PACKAGES} packages over ${QUARTER.quarter}, ${PROVIDERS} providers, one act at a time\n`,
    );
    const seeded = { bench: 'call-off', phase: 'seed', ...(await seed(pool, store)) };
    process.stderr.write(`${JSON.stringify(seeded)}\n`);

    const env = processEnv(database.url, PORT, {
      PG_POOL_MAX: '10',
      // The bench's own BullMQ keys (deleted at the end), not a deployment's.
      BULLMQ_PREFIX: database.name,
    });
    const worker = startProcess('apps/worker/src/main.ts', env);
    children.push(worker);
    const caughtUp = {
      bench: 'call-off',
      phase: 'catch-up',
      ...(await catchUp(pool, store, worker)),
    };
    process.stderr.write(`${JSON.stringify(caughtUp)}\n`);
    await pool.query('VACUUM ANALYZE');

    const api = startProcess('apps/api/src/main.ts', env);
    children.push(api);
    await waitForHealth(PORT);

    const commissioner = benchToken(COUNCIL, 'commissioner');
    const providerTokens = new Map(
      PROVIDER_IDS.map((id) => [id, benchToken(id, 'provider-admin')]),
    );
    const quarter = encodeURIComponent(QUARTER.quarter);
    const client = benchClient(PORT, CLIENTS);
    /** Sends the calls with CLIENTS keep-alive clients; the answers in the order of the calls. */
    const run = async (calls: readonly Call[]) => {
      const answers: Answer[] = new Array<Answer>(calls.length);
      const { elapsed } = await client.sendAll(calls, CLIENTS, (answer, i) => {
        answers[i] = answer;
      });
      return { answers, elapsed };
    };
    const http: Record<string, unknown>[] = [];
    /** Runs the calls (after those to warm up with) and keeps the figures of the query. */
    const measure = async (
      query: string,
      calls: readonly Call[],
      warmUp: readonly Call[],
    ): Promise<Answer[]> => {
      if (warmUp.length > 0) await run(warmUp); // JIT, connection pools, plan caches
      const cpuSince = cpuMeter({ api: api.pid!, worker: worker.pid! }, REAPED);
      const { answers, elapsed } = await run(calls);
      const cpu = cpuSince();
      const result = {
        query,
        clients: CLIENTS,
        requestsPerSec: round(answers.length / elapsed, 1),
        ...latencySummary(answers.map((a) => a.ms)),
        bytesMean: round(mean(answers.map((a) => a.body.length))),
        cpuMsPerRequest: cpuMsPer(cpu, answers.length),
      };
      process.stderr.write(`${JSON.stringify(result)}\n`);
      http.push(result);
      return answers;
    };
    const times = <T>(count: number, make: (i: number) => T) =>
      Array.from({ length: count }, (_, i) => make(i));
    const providerAt = (i: number) => PROVIDER_IDS[i % PROVIDERS]!;

    const performanceCall = (i: number): Call => ({
      method: 'GET',
      path: `${FRAMEWORK_PATH}/providers/${providerAt(i)}/performance?quarter=${quarter}`,
      token: commissioner,
    });
    const performance = await measure(
      'provider-performance',
      times(REQUESTS, performanceCall),
      times(WARM_UP, performanceCall),
    );
    const leagueCall = (): Call => ({
      method: 'GET',
      path: `${FRAMEWORK_PATH}/league-table?quarter=${quarter}`,
      token: commissioner,
    });
    const league = await measure(
      'league-table',
      times(REQUESTS, leagueCall),
      times(WARM_UP, leagueCall),
    );
    const csvCall = (): Call => ({
      method: 'GET',
      path: `${FRAMEWORK_PATH}/league-table.csv?quarter=${quarter}`,
      token: commissioner,
    });
    await measure('league-table.csv', times(REQUESTS, csvCall), times(WARM_UP, csvCall));
    const listCall = (i: number): Call => ({
      method: 'GET',
      path: `${FRAMEWORK_PATH}/packages`,
      token: providerTokens.get(providerAt(i))!,
    });
    const lists = await measure(
      'provider-packages',
      times(REQUESTS, listCall),
      times(WARM_UP, listCall),
    );

    // Fresh packages: referred now (the API's clock) by the commissioner, then each accepted
    // by its first-refusal provider (its window is open for 2 hours).
    const today = londonDateOf(new Date());
    const registerCall = (i: number): Call => ({
      method: 'POST',
      path: `${FRAMEWORK_PATH}/packages`,
      token: commissioner,
      body: {
        packageId: `live-${String(i).padStart(5, '0')}`,
        hoursPerWeek: 10,
        outcomes: 'Personal care before school; short breaks for the family at weekends.',
        startDate: addDays(today, 7),
        urgent: false,
      },
    });
    const freshWarmUp = Math.min(WARM_UP, 10);
    const warmRegistered = await run(times(freshWarmUp, (i) => registerCall(FRESH + i)));
    const registered = await measure('register', times(FRESH, registerCall), []);
    const acceptCall = (answer: Answer): Call => {
      const body = JSON.parse(answer.body.toString()) as {
        packageId: string;
        currentOffer: { providers: string[] };
      };
      return {
        method: 'POST',
        path: `${BASE}/care-packages/${body.packageId}/accept`,
        token: providerTokens.get(body.currentOffer.providers[0]!)!,
      };
    };
    await measure('accept', registered.map(acceptCall), warmRegistered.answers.map(acceptCall));
    client.destroy();

    // What the answers held (parsed after the clocks stopped).
    const table = JSON.parse(league[0]!.body.toString()) as {
      contractYear: number;
      providers: {
        rank: number;
        providerId: string;
        green: number;
        red: number;
        grey: number;
        kpis: { code: string; value: number | null; denominator: number | null }[];
      }[];
    };
    const kpiOf = (kpis: (typeof table.providers)[number]['kpis'], code: string) =>
      kpis.find((k) => k.code === code);
    const answered = {
      contractYear: table.contractYear,
      // Per provider: rank, and the call-off KPIs' values (denominators in brackets).
      leagueTable: table.providers.map((p) => ({
        rank: p.rank,
        providerId: p.providerId,
        rag: `${p.green}/${p.red}/${p.grey}`,
        ...Object.fromEntries(
          ['acceptance-within-4-hours', 'family-contact-in-time', 'care-started-within-a-week'].map(
            (code) => {
              const kpi = kpiOf(p.kpis, code);
              return [code, `${kpi?.value ?? '-'} (${kpi?.denominator ?? 0})`];
            },
          ),
        ),
      })),
      performanceBytes: performance[0]!.body.length,
      providerPackagesMean: round(
        mean(lists.slice(0, 50).map((a) => (JSON.parse(a.body.toString()) as unknown[]).length)),
        1,
      ),
    };

    // Where the time goes, measured in this process on the same database.
    const repeat = async (count: number, work: () => Promise<unknown> | unknown) => {
      const ms: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = process.hrtime.bigint();
        await work();
        ms.push(elapsedMs(started));
      }
      return round(
        percentile(
          ms.sort((a, b) => a - b),
          50,
        ),
        1,
      );
    };
    const packagesSql = `SELECT state FROM rm_care_packages
        WHERE tenant_id = $1 AND framework_id = $2
          AND registered_at >= ($3::date - 92)::timestamp AT TIME ZONE 'Europe/London'
          AND registered_at < ($4::date + 1)::timestamp AT TIME ZONE 'Europe/London'`;
    const packageArgs = [COUNCIL, FRAMEWORK, QUARTER.firstDay, QUARTER.lastDay];
    const packages = (await pool.query<{ state: CarePackage }>(packagesSql, packageArgs)).rows.map(
      (r) => r.state,
    );
    const { rows: sizes } = await pool.query<{ bytes: string }>(
      `SELECT sum(octet_length(state::text)) AS bytes FROM (${packagesSql}) q`,
      packageArgs,
    );
    const contractYear = contractYearOf(CONTRACT_START, QUARTER);
    const now = new Date();
    const compute = () =>
      leagueTable(
        PROVIDER_IDS.map((providerId) => ({
          providerId,
          kpis: providerPerformance({
            providerId,
            quarter: QUARTER,
            contractYear,
            callOff: callOffCounts(packages, providerId, QUARTER, now),
            quarterlyReturn: null,
          }),
        })),
      );
    const rotationStream = streamIds.careFrameworkRotation(COUNCIL, FRAMEWORK);
    let referral = 0;
    /** One more package referred through the use case in this process (no HTTP), now. */
    const referInProcess = () => {
      const n = referral++;
      return registerCarePackage(
        {
          store,
          tenantId: COUNCIL,
          actor: 'user:placements-officer',
          correlationId: null,
          commandId: uuidFromParts('bench-call-off-breakdown', String(SEED), String(n)),
          now: new Date(),
        },
        {
          frameworkId: entityId(FRAMEWORK, 'frameworkId'),
          packageId: entityId(`after-${String(n).padStart(5, '0')}`, 'packageId'),
          hoursPerWeek: 10,
          outcomes: 'Personal care before school; short breaks for the family at weekends.',
          startDate: addDays(today, 7),
          urgent: false,
        },
      );
    };
    const breakdown = {
      quarterPackages: {
        rows: packages.length,
        jsonBytes: Number(sizes[0]!.bytes),
        // The service's query, rows parsed by node-pg (JSON.parse of every state).
        queryMs: await repeat(20, () => pool.query(packagesSql, packageArgs)),
        // The same rows as text: the query and transfer without parsing them.
        queryAsTextMs: await repeat(20, () =>
          pool.query(packagesSql.replace('SELECT state', 'SELECT state::text'), packageArgs),
        ),
        leagueTableComputeMs: await repeat(20, compute),
        providerPerformanceComputeMs: await repeat(20, () =>
          providerPerformance({
            providerId: PROVIDER_IDS[0]!,
            quarter: QUARTER,
            contractYear,
            callOff: callOffCounts(packages, PROVIDER_IDS[0]!, QUARTER, now),
            quarterlyReturn: null,
          }),
        ),
      },
      rotation: {
        events: await store.streamVersion(rotationStream),
        // A referral as the seeding made them (one at a time, no HTTP), at the stream's length
        // now: against the seeding's first and last hundred, what HTTP and contention add.
        registerInProcessMs: await repeat(20, referInProcess),
      },
    };

    const result = {
      bench: 'call-off',
      quarter: QUARTER.quarter,
      packages: PACKAGES,
      providers: PROVIDERS,
      seed: SEED,
      seeded,
      caughtUp,
      http,
      answered,
      breakdown,
      requestsPerQuery: REQUESTS,
      freshPackages: FRESH,
      commit,
    };
    report(result);
    saveResults('call-off', [result]);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await Promise.all(children.map(stopProcess));
    if (KEEP) {
      process.stderr.write(
        `kept the database ${database.name}${failed ? ' (the run failed)' : ''}; its BullMQ keys are deleted\n`,
      );
      await pool.end().catch(() => undefined);
    } else {
      await database.drop();
    }
    await deleteRedisKeys(database.name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
