import { randomBytes } from 'node:crypto';
import {
  addMonths,
  londonDateOf,
  periodsBetween,
  type KpiFrameworkVersionPublished,
  type MonthlyReturnSubmitted,
  type Period,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { allProjections } from '@kpi/features';
import { capabilityEscalationProcess } from '@kpi/features/capability';
import { readAnnualReport, readQuarterlyReport } from '@kpi/features/monthly-returns';
import { ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { createTestDatabase, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { seedDemo, type SeedDemoSummary } from './seed-demo';

let database: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;
let vault: PersonalDataVault;

/** 00:00:30 on 1 April 2027, London (BST): March ended 30 seconds ago, and 2026-27 Q4 with it. */
const JUST_AFTER_MIDNIGHT = new Date('2027-03-31T23:00:30.000Z');

/**
 * Runs `runner` until it has applied the log's last event. One `catchUp()` may stop short
 * while another database's transaction on the same server holds the snapshot back.
 */
async function catchUpToTheEnd(runner: ProjectionRunner, description: string): Promise<void> {
  const { rows } = await pool.query<{ last: string }>(
    'SELECT global_position AS last FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
  );
  const last = Number(rows[0]!.last);
  await waitFor(async () => (await runner.catchUp()).globalPosition >= last, {
    description: `${description} to apply the log up to ${last}`,
  });
}

beforeAll(async () => {
  database = await createTestDatabase('seed_demo');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
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
    summary = await seedDemo(
      { store, vault },
      {
        tenant: 'demo-test',
        homes: 4,
        months: 8,
        now: JUST_AFTER_MIDNIGHT,
      },
    );
  });

  it('seeds up to the month that just ended, and the quarter that just ended', () => {
    expect(summary.walkthrough).toEqual({
      FROM: '2026-10',
      TO: '2027-03',
      QUARTER: '2026-27 Q4',
      ENTRY: 'home-02.EDU.2026-12.s3',
      YEAR: '2026/27',
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
    // March's returns (4 homes', 6 direct services') were sent in the 30 seconds since March ended.
    const march = events.filter(
      (e) => e.type === 'MonthlyReturnSubmitted' && e.stream_id.endsWith(':2027-03'),
    );
    expect(
      march.map((e) => londonDateOf(new Date((e.data as { submittedAt: string }).submittedAt))),
    ).toEqual(Array<string>(10).fill('2027-04-01'));
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
    await catchUpToTheEnd(new ProjectionRunner(pool, store, escalation), 'the escalation process');
    for (const projection of allProjections) await ensureProjectionReady(pool, store, projection);
    await catchUpToTheEnd(new ProjectionRunner(pool, store, allProjections), 'the read models');
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

  it('gives the council six direct services, each with 24 months of returns up to the month that just ended', async () => {
    expect(summary.directServices).toMatchObject({
      councilId: 'demo-council',
      from: '2025-04',
      to: '2027-03',
      returns: 6 * 24,
      secondVersion: { effectiveFrom: '2026-04', publishedAt: '2026-05-02T08:00:00.000Z' },
      quarter: '2026-27 Q4',
      year: '2026/27',
    });
    expect(
      summary.directServices!.services.map(
        (s) => `${s.serviceId} ${s.serviceType} ${s.frameworkId}`,
      ),
    ).toEqual([
      'abbey-day-centre day-service direct-services',
      'maes-y-coed-day-centre day-service direct-services',
      'seaview-respite respite direct-services-respite',
      'independent-living supported-living direct-services',
      'bespoke-workshops work-and-training direct-services',
      'fresh-start work-and-training direct-services',
    ]);
    const returns = (await eventsOf(['demo-council']))
      .filter((e) => e.type === 'MonthlyReturnSubmitted')
      .map((e) => e.data as MonthlyReturnSubmitted['data']);
    const months = periodsBetween('2025-04' as Period, '2027-03' as Period);
    for (const { serviceId } of summary.directServices!.services)
      expect(returns.filter((r) => r.serviceId === serviceId).map((r) => r.period)).toEqual(months);
    // Judged by version 1 for the first year, by the back-dated version 2 from its 13th month.
    expect(
      new Set(returns.filter((r) => r.period < '2026-04').map((r) => r.frameworkVersion)),
    ).toEqual(new Set([1]));
    expect(
      new Set(returns.filter((r) => r.period >= '2026-04').map((r) => r.frameworkVersion)),
    ).toEqual(new Set([2]));
    // Derived items are computed from what was given, never typed.
    const respite = returns.find(
      (r) => r.serviceId === 'seaview-respite' && r.period === '2026-07',
    )!;
    const beds = respite.values as Record<string, number>;
    expect(beds.BEDS_UNOCCUPIED).toBe(beds.BEDS_AVAILABLE! - beds.BEDS_DELIVERED!);
    // Referrals are data-only under version 1, an activity figure under version 2.
    const referrals = (r: MonthlyReturnSubmitted['data']) => r.results.REFERRALS!.outcome;
    expect(new Set(returns.filter((r) => r.period < '2026-04').map(referrals))).toEqual(
      new Set(['not-judged']),
    );
    const flagged = returns.filter((r) => referrals(r) === 'flagged');
    expect(
      flagged.map((r) => `${r.serviceId} ${r.period} ${r.values.REFERRALS as number}`),
    ).toEqual(['seaview-respite 2026-06 8', 'fresh-start 2027-01 0', 'abbey-day-centre 2027-03 9']);
    expect(summary.directServices!.flagged).toEqual([
      { serviceId: 'seaview-respite', period: '2026-06', referrals: 8 },
      { serviceId: 'fresh-start', period: '2027-01', referrals: 0 },
      { serviceId: 'abbey-day-centre', period: '2027-03', referrals: 9 },
    ]);
    const supervisionMissed = returns.filter(
      (r) => r.results.SUPERVISED_IN_8_WEEKS?.outcome === 'missed',
    );
    expect(
      supervisionMissed.map(
        (r) => `${r.serviceId} ${r.period} ${r.results.SUPERVISED_IN_8_WEEKS!.rag}`,
      ),
    ).toEqual(['independent-living 2027-02 amber']);
  });

  it('publishes both datasets from their presets, then a version 2 of each back-dated a month', async () => {
    const published = (await eventsOf(['demo-council']))
      .filter((e) => e.type === 'KpiFrameworkVersionPublished')
      .map((e) => e.data as KpiFrameworkVersionPublished['data']);
    expect(
      published.map(
        (p) => `${p.frameworkId} v${p.version} from ${p.effectiveFrom} at ${p.publishedAt}`,
      ),
    ).toEqual([
      'direct-services v1 from 2025-04 at 2025-03-01T09:00:00.000Z',
      'direct-services-respite v1 from 2025-04 at 2025-03-01T09:00:00.000Z',
      'direct-services v2 from 2026-04 at 2026-05-02T08:00:00.000Z',
      'direct-services-respite v2 from 2026-04 at 2026-05-02T08:00:00.000Z',
    ]);
  });

  it("reads the direct services' quarter and year in the reports, with nobody at a capability stage", async () => {
    // The read models were built by the test before.
    const quarterly = await readQuarterlyReport(
      pool,
      'demo-council',
      { quarter: '2026-27 Q4', detail: 'months' },
      { store },
    );
    expect(quarterly.services.map((s) => s.serviceId).sort()).toEqual(
      summary.directServices!.services.map((s) => s.serviceId).sort(),
    );
    const line = (lines: typeof quarterly.total, code: string) =>
      lines.find((l) => l.code === code)!;
    const abbey = quarterly.services.find((s) => s.serviceId === 'abbey-day-centre')!;
    expect(
      line(abbey.lines, 'REFERRALS').months!.map((m) => `${m.judgedValue} ${m.judgement?.outcome}`),
    ).toEqual([
      expect.stringMatching(/^[1-6] in-range$/),
      expect.stringMatching(/^[1-6] in-range$/),
      '9 flagged',
    ]);
    const people = line(quarterly.total, 'PEOPLE').quarter;
    expect(people.judgedValue).toBeGreaterThan(150);
    expect(people.judgement).toBeNull();
    expect(line(quarterly.total, 'CAP_UTILISATION').quarter.judgedValue).toBeGreaterThan(60);
    expect(line(quarterly.total, 'SUPERVISED_IN_8_WEEKS').quarter.judgement?.outcome).toBe('met');
    const annual = await readAnnualReport(pool, 'demo-council', { year: '2026/27' }, { store });
    const utilisation = annual.total.find((l) => l.code === 'CAP_UTILISATION')!;
    expect(utilisation.quarters.every((q) => typeof q.judgedValue === 'number')).toBe(true);
    expect(utilisation.year.travel.previousOutturn).toMatchObject({ period: '2025-04 to 2026-03' });
    const { rows } = await pool.query(
      `SELECT manager_id FROM rm_capability_counters WHERE tenant_id = 'demo-council' AND stage >= 1`,
    );
    expect(rows).toEqual([]);
  });

  it('refuses to fill a tenant that already has demo data, and leaves the council to the first', async () => {
    const councilEvents = (await eventsOf(['demo-council'])).length;
    const second = await seedDemo(
      { store, vault },
      {
        tenant: 'demo-twice',
        homes: 2,
        months: 6,
        now: JUST_AFTER_MIDNIGHT,
      },
    );
    expect(second.council).toBeNull();
    expect(second.directServices).toBeNull();
    expect((await eventsOf(['demo-council'])).length).toBe(councilEvents);
    await expect(
      seedDemo(
        { store, vault },
        { tenant: 'demo-twice', homes: 2, months: 6, now: JUST_AFTER_MIDNIGHT },
      ),
    ).rejects.toThrow('already has demo data');
  });

  it('refuses fewer homes or months than the story needs', async () => {
    await expect(
      seedDemo({ store, vault }, { tenant: 'demo-small', homes: 1, months: 6 }),
    ).rejects.toThrow('needs at least 2 homes and 6 months');
  });
});
