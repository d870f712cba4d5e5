import { randomBytes, randomUUID } from 'node:crypto';
import {
  CHILDRENS_HOMES_INDICATORS,
  ConflictError,
  NotFoundError,
  type MonthlyReturnSubmitted,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, createTestDatabase, type TestDatabase, id, month } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import { publishChildrensHomesPreset, publishFrameworkVersion } from '@kpi/features/kpi-frameworks';
import type { Pool } from 'pg';
import { amendMonthlyReturn, submitMonthlyReturn } from './monthly-returns.use-cases';
import { registerRegion, registerService } from '@kpi/features/organisation';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;

beforeAll(async () => {
  database = await createTestDatabase('use_cases');
  pool = database.pool({ max: 12 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database.drop());

const context = (tenantId: string, overrides: Partial<CommandContext> = {}): CommandContext => ({
  store,
  tenantId,
  actor: 'user:rm-1',
  correlationId: 'corr-1',
  commandId: randomUUID(),
  now: new Date('2026-10-12T09:00:00Z'),
  ...overrides,
});

/** A tenant with a region, one children's home and the preset framework from 2025-01. */
async function tenantWithHome(): Promise<string> {
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  await registerRegion(context(tenant), {
    regionId: id('north'),
    name: 'North Wales',
    regionalManagerId: id('rm-1'),
  });
  await publishChildrensHomesPreset(context(tenant), { effectiveFrom: month('2025-01') });
  await registerService(context(tenant), {
    serviceId: id('home-17'),
    name: 'Tŷ Gwyn',
    regionId: id('north'),
    serviceType: 'childrens-home',
    frameworkId: id('childrens-homes'),
    openedOn: '2024-04-01',
  });
  return tenant;
}

describe('monthly returns through the use cases (real PostgreSQL)', () => {
  it("stores a judged return in the tenant's stream for the service and month", async () => {
    const tenant = await tenantWithHome();
    const outcome = await submitMonthlyReturn(context(tenant), {
      serviceId: id('home-17'),
      period: month('2026-09'),
      values: allMet,
    });
    expect(outcome.streamId).toBe(`${tenant}:monthly-return:home-17:2026-09`);
    const [stored] = await store.readStream(outcome.streamId);
    expect(stored).toMatchObject({
      type: 'MonthlyReturnSubmitted',
      metadata: { tenantId: tenant, actor: 'user:rm-1', correlationId: 'corr-1' },
      data: { frameworkVersion: 1, late: false, bonus: { met: 9, compliant: true } },
    });
  });

  it("answers 'not found' alike for a service that does not exist and another tenant's", async () => {
    const tenant = await tenantWithHome();
    const other = await tenantWithHome();
    await expect(
      submitMonthlyReturn(context(tenant), {
        serviceId: id('home-99'),
        period: month('2026-09'),
        values: allMet,
      }),
    ).rejects.toThrow(NotFoundError);
    // `other` has a home-17 too, but the tenant of the context decides which one is meant.
    await submitMonthlyReturn(context(other), {
      serviceId: id('home-17'),
      period: month('2026-08'),
      values: allMet,
    });
    expect(await store.streamVersion(`${tenant}:monthly-return:home-17:2026-08`)).toBe(0);
  });

  it('lets exactly one of ten simultaneous submissions for a month through; the rest conflict', async () => {
    const tenant = await tenantWithHome();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        submitMonthlyReturn(context(tenant), {
          serviceId: id('home-17'),
          period: month('2026-07'),
          values: allMet,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
  });

  it('returns the first outcome, writing nothing, when the same command is retried', async () => {
    const tenant = await tenantWithHome();
    const retried = context(tenant);
    const first = await submitMonthlyReturn(retried, {
      serviceId: id('home-17'),
      period: month('2026-06'),
      values: allMet,
    });
    const again = await submitMonthlyReturn(
      { ...retried, now: new Date('2026-10-13T09:00:00Z') },
      { serviceId: id('home-17'), period: month('2026-06'), values: allMet },
    );
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.streamVersion(first.streamId)).toBe(1);
  });

  it('keeps earlier months judged by the version then in force when a stricter one is published', async () => {
    const tenant = await tenantWithHome();
    const values = { ...allMet, EDU: 85 };
    const june = await submitMonthlyReturn(context(tenant), {
      serviceId: id('home-17'),
      period: month('2026-06'),
      values,
    });
    // Published in June, to take effect from July (a new version never reaches back).
    await publishFrameworkVersion(context(tenant, { now: new Date('2026-06-20T09:00:00Z') }), {
      frameworkId: id('childrens-homes'),
      name: "Children's homes — stricter education target",
      effectiveFrom: month('2026-07'),
      indicators: CHILDRENS_HOMES_INDICATORS.map((i) =>
        i.code === 'EDU' ? { ...i, target: 95 } : i,
      ),
      bonusRule: { required: 8, of: 9 },
    });
    const july = await submitMonthlyReturn(context(tenant), {
      serviceId: id('home-17'),
      period: month('2026-07'),
      values,
    });
    const juneStored = (await store.readStream(june.streamId))[0]!
      .data as MonthlyReturnSubmitted['data'];
    const julyStored = (await store.readStream(july.streamId))[0]!
      .data as MonthlyReturnSubmitted['data'];
    expect(juneStored).toMatchObject({
      frameworkVersion: 1,
      results: { EDU: { rag: 'amber', target: 90 } },
    });
    expect(julyStored).toMatchObject({
      frameworkVersion: 2,
      results: { EDU: { rag: 'amber', target: 95 } },
    });
    expect(juneStored.results.EDU!.outcome).toBe('missed');
  });

  // That an amendment needs a reason is checked at the edge now, where the assertion moved
  // with the check (apps/api/src/monthly-returns/monthly-returns.dto.unit.spec.ts).
  it('amends with the version the return was judged by', async () => {
    const tenant = await tenantWithHome();
    await submitMonthlyReturn(context(tenant), {
      serviceId: id('home-17'),
      period: month('2026-05'),
      values: allMet,
    });
    const amended = await amendMonthlyReturn(context(tenant), vault, {
      serviceId: id('home-17'),
      period: month('2026-05'),
      values: { EDU: 60 },
      reason: 'Exclusions were counted as attendance',
    });
    expect(amended).toMatchObject({ amendments: 1, results: { EDU: { rag: 'red' } } });
    const [, stored] = await store.readStream(amended.streamId);
    expect(stored).toMatchObject({
      type: 'MonthlyReturnAmended',
      data: { amendmentNumber: 1, results: { EDU: { rag: 'red' } } },
    });
  });

  it('refuses a month before the service opened', async () => {
    const tenant = await tenantWithHome(); // home-17 opened on 2024-04-01
    await expect(
      submitMonthlyReturn(context(tenant), {
        serviceId: id('home-17'),
        period: month('2024-03'),
        values: allMet,
      }),
    ).rejects.toThrow('period: home-17 opened in 2024-04: there is no return for 2024-03');
  });

  it('refuses a month no framework version covers, and a region that does not exist', async () => {
    const tenant = await tenantWithHome();
    await expect(
      submitMonthlyReturn(context(tenant), {
        serviceId: id('home-17'),
        period: month('2024-12'),
        values: allMet,
      }),
    ).rejects.toThrow('period: no version of framework childrens-homes is in force for 2024-12');
    await expect(
      registerService(context(tenant), {
        serviceId: id('home-18'),
        name: 'X',
        regionId: id('south'),
        serviceType: 'childrens-home',
        frameworkId: id('childrens-homes'),
        openedOn: '2024-01-01',
      }),
    ).rejects.toThrow(NotFoundError);
  });
});
