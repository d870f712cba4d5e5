import { addMonths, londonDateOf, type MonthlyReturnSubmitted, type Period } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allProjections } from '@kpi/features';
import { capabilityEscalationProcess } from '@kpi/features/capability';
import { ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { seedDemo, type SeedDemoSummary } from './seed-demo';

let database: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;

/** 00:00:30 on 1 April 2027, London (BST): March ended 30 seconds ago, and 2026-27 Q4 with it. */
const JUST_AFTER_MIDNIGHT = new Date('2027-03-31T23:00:30.000Z');

beforeAll(async () => {
  database = await createTestDatabase('seed_demo');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
});
afterAll(() => database.drop());

/** The events a tenant wrote, in log order (the council's streams hold its providers' acts). */
async function eventsOf(tenants: string[]) {
  const { rows } = await pool.query<{ stream_id: string; type: string; data: unknown }>(
    'SELECT stream_id, type, data FROM events WHERE tenant_id = ANY ($1) ORDER BY global_position',
    [tenants],
  );
  return rows;
}

/**
 * Every instant (`…T…Z`) and date (`YYYY-MM-DD`) in a value, however deep, but deadlines (a
 * return's `dueDate`): what is due may well be due after now.
 */
function datesIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) found.push(value);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) if (!/due/i.test(key)) datesIn(inner, found);
  return found;
}

describe('seed-demo, seeded 30 seconds after a month (and a quarter, and a financial year) ended', () => {
  let summary: SeedDemoSummary;
  beforeAll(async () => {
    summary = await seedDemo(store, {
      tenant: 'demo-test',
      homes: 4,
      months: 8,
      now: JUST_AFTER_MIDNIGHT,
    });
  });

  it('seeds up to the month that just ended, and the quarter that just ended', () => {
    expect(summary.walkthrough).toEqual({
      FROM: '2026-10',
      TO: '2027-03',
      QUARTER: '2026-27 Q4',
      ENTRY: 'home-02.EDU.2026-12.s3',
    });
    expect(summary.provider).toMatchObject({
      regions: 3,
      homes: 4,
      months: 8,
      from: '2026-08',
      to: '2027-03',
      returns: 32,
      late: [{ serviceId: 'home-02', period: '2026-10' }],
      amended: [{ serviceId: 'home-01', period: '2027-03' }],
    });
    expect(summary.council).toMatchObject({
      councilId: 'demo-council',
      providers: ['demo-test', 'demo-bright-care', 'demo-cwtch-care'],
      contractStartDate: '2026-10-01',
      quarter: '2026-27 Q4',
    });
    expect(summary.council!.placedAtFirstRefusal).toBeGreaterThan(0);
    expect(summary.council!.movedOn).toBeGreaterThan(0);
    expect(summary.council!.offeredToAll).toBeGreaterThan(0);
  });

  it('dates nothing after the moment it ran', async () => {
    const events = await eventsOf(['demo-test', 'demo-council']);
    const dates = events.flatMap((e) => datesIn(e.data).map((date) => ({ date, event: e })));
    expect(dates.length).toBeGreaterThan(500);
    const after = dates.filter(({ date }) =>
      date.includes('T') ? date > JUST_AFTER_MIDNIGHT.toISOString() : date > '2027-04-01',
    );
    expect(after).toEqual([]);
    // March's returns were sent in the 30 seconds since March ended.
    const march = events.filter(
      (e) => e.type === 'MonthlyReturnSubmitted' && e.stream_id.endsWith(':2027-03'),
    );
    expect(
      march.map((e) => londonDateOf(new Date((e.data as { submittedAt: string }).submittedAt))),
    ).toEqual(['2027-04-01', '2027-04-01', '2027-04-01', '2027-04-01']);
  });

  it('tells exactly the story: EDU missed 4 months at home-02, one late return, one amendment', async () => {
    const returns = (await eventsOf(['demo-test'])).filter(
      (e) => e.type === 'MonthlyReturnSubmitted',
    );
    const educationAtHome2 = returns
      .filter((e) => e.stream_id.startsWith('demo-test:monthly-return:home-02:'))
      .map((e) => {
        const data = e.data as MonthlyReturnSubmitted['data'];
        return `${data.period} ${data.results.EDU!.outcome}`;
      });
    expect(educationAtHome2.slice(-6)).toEqual([
      '2026-10 met',
      '2026-11 met',
      '2026-12 missed',
      '2027-01 missed',
      '2027-02 missed',
      '2027-03 missed',
    ]);
    const late = returns.filter((e) => (e.data as { late: boolean }).late);
    expect(late.map((e) => e.stream_id)).toEqual(['demo-test:monthly-return:home-02:2026-10']);
    const amendments = (await eventsOf(['demo-test'])).filter(
      (e) => e.type === 'MonthlyReturnAmended',
    );
    expect(amendments.map((e) => e.stream_id)).toEqual([
      'demo-test:monthly-return:home-01:2027-03',
    ]);
  });

  it('leaves open only the story’s stages once the escalation process has run: Stage 3 and Stage 1', async () => {
    const escalation = capabilityEscalationProcess(store);
    await ensureProjectionReady(pool, store, escalation);
    await new ProjectionRunner(pool, store, escalation).catchUp();
    for (const projection of allProjections) await ensureProjectionReady(pool, store, projection);
    await new ProjectionRunner(pool, store, allProjections).catchUp();
    const { rows } = await pool.query<{ open: string }>(
      `SELECT manager_id || ' ' || indicator_code || ' stage ' || stage || ' since ' || run_start AS open
         FROM rm_capability_counters WHERE tenant_id = 'demo-test' AND stage >= 1 ORDER BY 1`,
    );
    const lastMonth = '2027-03' as Period;
    expect(rows.map((r) => r.open)).toEqual([
      `mgr-home-01 SUP stage 1 since ${addMonths(lastMonth, -1)}`,
      `mgr-home-02 EDU stage 3 since ${addMonths(lastMonth, -3)}`,
    ]);
    expect((await store.verify({ tenantId: 'demo-test' })).brokenLinks).toEqual([]);
  });

  it('refuses to fill a tenant that already has demo data, and leaves the council to the first', async () => {
    const second = await seedDemo(store, {
      tenant: 'demo-twice',
      homes: 2,
      months: 6,
      now: JUST_AFTER_MIDNIGHT,
    });
    expect(second.council).toBeNull();
    await expect(
      seedDemo(store, { tenant: 'demo-twice', homes: 2, months: 6, now: JUST_AFTER_MIDNIGHT }),
    ).rejects.toThrow('already has demo data');
  });

  it('refuses fewer homes or months than the story needs', async () => {
    await expect(seedDemo(store, { tenant: 'demo-small', homes: 1, months: 6 })).rejects.toThrow(
      'needs at least 2 homes and 6 months',
    );
  });
});
