import { addMonths, londonPeriodOf, type MonthlyReturnSubmitted } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { capabilityEscalationProcess } from '@kpi/features/capability';
import { ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { seedDemo } from './seed-demo.command';

let database: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('seed_demo');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
});
afterAll(() => database.drop());

describe('seed-demo', () => {
  it('writes 3 regions, the homes, a return per home and month, and the escalation story', async () => {
    const summary = await seedDemo(store, { tenant: 'demo-test', homes: 4, months: 6 });
    expect(summary).toMatchObject({ regions: 3, homes: 4, months: 6, returns: 24 });
    const lastMonth = addMonths(londonPeriodOf(new Date()), -1);
    const educationOfHome2 = [];
    for (let back = 3; back >= 0; back--) {
      const [submitted] = await store.readStream(
        `demo-test:monthly-return:home-02:${addMonths(lastMonth, -back)}`,
      );
      educationOfHome2.push(
        (submitted!.data as MonthlyReturnSubmitted['data']).results.EDU!.outcome,
      );
    }
    expect(educationOfHome2).toEqual(['missed', 'missed', 'missed', 'missed']);

    // The escalation process takes the story to Stage 3 in the last month.
    const escalation = capabilityEscalationProcess(store);
    await ensureProjectionReady(pool, store, escalation);
    await new ProjectionRunner(pool, store, escalation).catchUp();
    const counter = await store.readStream('demo-test:capability:mgr-home-02:home-02:EDU');
    const stages = counter
      .filter((e) => e.type === 'CapabilityStageEntered')
      .map((e) => e.data as { stage: number; period: string });
    expect(stages[stages.length - 1]).toEqual(
      expect.objectContaining({ stage: 3, period: lastMonth }),
    );
    expect((await store.verify({ tenantId: 'demo-test' })).brokenLinks).toEqual([]);
  });

  it('refuses to fill a tenant that already has demo data', async () => {
    await seedDemo(store, { tenant: 'demo-twice', homes: 1, months: 1 });
    await expect(seedDemo(store, { tenant: 'demo-twice', homes: 1, months: 1 })).rejects.toThrow(
      'already has demo data',
    );
  });
});
