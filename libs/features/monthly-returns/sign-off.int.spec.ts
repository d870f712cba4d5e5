import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConflictError,
  DOMAIN_EVENT_TYPES,
  ForbiddenError,
  type MonthlyReturnSentBack,
} from '@kpi/domain';
import {
  eventStoreMigrations,
  EventTypeRegistry,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import {
  checkpointNameOf,
  ensureProjectionReady,
  ProjectionRunner,
  type KeyedProjection,
} from '@kpi/projections';
import { allMet, createTestDatabase, id, month, waitFor, type TestDatabase } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import {
  registerRegion,
  registerService,
  regionsProjection,
  servicesProjection,
} from '@kpi/features/organisation';
import type { Pool } from 'pg';
import { readBonusCompliance } from './bonus-compliance.query';
import { kpiGridProjection } from './kpi-grid.projection';
import { readKpiGrid } from './kpi-grid.query';
import { monthlyReturnsProjection } from './monthly-returns.projection';
import { amendMonthlyReturn, submitMonthlyReturn } from './monthly-returns.use-cases';
import { readQuarterlyReport } from './quarterly-report.query';
import { readReturnHistory } from './return-history.query';
import { readReturnsToVerify } from './returns-to-verify.query';
import {
  publishMonthlyReturn,
  sendBackMonthlyReturn,
  setSignOff,
  verifyMonthlyReturn,
} from './sign-off.use-cases';

/**
 * Sign-off on real PostgreSQL (docs/decisions/0037): the steps through the use cases, the reason
 * of a return sent back sealed in the vault, and what the read models show — only published
 * figures in the KPI grid, the quarterly report and the bonus; with sign-off off, as before.
 */
const readModels = [
  regionsProjection,
  servicesProjection,
  monthlyReturnsProjection,
  kpiGridProjection,
] as KeyedProjection<never>[];

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;

beforeAll(async () => {
  database = await createTestDatabase('sign_off');
  pool = database.pool({ max: 4 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, new EventTypeRegistry(DOMAIN_EVENT_TYPES));
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
  for (const projection of readModels) await ensureProjectionReady(pool, store, projection);
});
afterAll(() => database?.drop());

/** Runs the read models until none has an event left after its checkpoint (see read-models.int.spec.ts). */
const catchUp = () =>
  waitFor(
    async () => {
      for (const projection of readModels) {
        await new ProjectionRunner(pool, store, projection).catchUp();
      }
      for (const projection of readModels) {
        const checkpoint = await loadCheckpoint(pool, checkpointNameOf(projection.name));
        if ((await store.countEventsAfter(checkpoint)) > 0) return false;
      }
      return true;
    },
    { description: 'the read models to apply the whole log' },
  );

const as = (tenant: string, actor: string): CommandContext => ({
  store,
  tenantId: tenant,
  actor,
  correlationId: null,
  commandId: randomUUID(),
  now: new Date('2026-10-12T09:00:00Z'),
});
const september = { serviceId: id('home-17'), period: month('2026-09') };
const RM = 'user:rm-1';
const OFFICER = 'user:po-1';
const ADMIN = 'user:admin-1';

async function tenant({ signOff }: { signOff: boolean }): Promise<string> {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  await registerRegion(as(tenantId, ADMIN), {
    regionId: id('north'),
    name: 'North Wales',
    regionalManagerId: id('rm-1'),
  });
  await publishChildrensHomesPreset(as(tenantId, ADMIN), { effectiveFrom: month('2025-01') });
  await registerService(as(tenantId, ADMIN), {
    ...september,
    name: 'Tŷ Gwyn',
    regionId: id('north'),
    serviceType: 'childrens-home',
    frameworkId: id('childrens-homes'),
    openedOn: '2024-04-01',
  });
  if (signOff) await setSignOff(as(tenantId, ADMIN), { on: true });
  return tenantId;
}

/** What the readers of published figures see of September's EDU, after catching up. */
async function published(tenantId: string) {
  await catchUp();
  const grid = await readKpiGrid(
    pool,
    tenantId,
    { from: month('2026-09'), to: month('2026-09') },
    { store },
  );
  const report = await readQuarterlyReport(
    pool,
    tenantId,
    { quarter: '2026-27 Q2', detail: 'months' },
    { store },
  );
  const bonus = await readBonusCompliance(
    pool,
    tenantId,
    { from: month('2026-09'), to: month('2026-09') },
    { store },
  );
  const monthOfGrid = grid.services[0]!.months[0]!;
  const edu = report.services[0]?.lines.find((line) => line.code === 'EDU');
  return {
    gridEdu: monthOfGrid.cells.EDU?.value ?? null,
    gridSignOff: monthOfGrid.signOff ?? null,
    reportEdu: edu?.months?.find((m) => m.period === '2026-09')?.value ?? null,
    bonusMonths: bonus.services[0]!.months.length,
  };
}

describe('sign-off of monthly returns', () => {
  it('keeps a return out of the grid, the report and the bonus until it is published', async () => {
    const t = await tenant({ signOff: true });
    const submitted = await submitMonthlyReturn(as(t, RM), { ...september, values: allMet });
    expect(submitted.signOff).toBe('submitted');
    expect(await published(t)).toEqual({
      gridEdu: null,
      gridSignOff: 'submitted',
      reportEdu: null,
      bonusMonths: 0,
    });
    expect((await readReturnsToVerify(pool, t, {})).returns).toMatchObject([
      { serviceId: 'home-17', period: '2026-09', signOff: 'submitted', published: false },
    ]);

    await verifyMonthlyReturn(as(t, OFFICER), september);
    expect((await published(t)).gridEdu).toBeNull();
    const step = await publishMonthlyReturn(as(t, ADMIN), september);
    expect(step).toMatchObject({ signOff: 'published', publishedAmendment: 0 });
    expect(await published(t)).toEqual({
      gridEdu: 92,
      gridSignOff: 'published',
      reportEdu: 92,
      bonusMonths: 1,
    });
    expect((await readReturnsToVerify(pool, t, {})).returns).toEqual([]);
  });

  it('sent back with a sealed reason, amended, verified and published', async () => {
    const t = await tenant({ signOff: true });
    await submitMonthlyReturn(as(t, RM), { ...september, values: allMet });
    const REASON = 'Sam Jones was counted as in education while excluded';
    await sendBackMonthlyReturn(as(t, OFFICER), vault, { ...september, reason: REASON });
    const stream = await store.readStream(`${t}:monthly-return:home-17:2026-09`);
    expect(JSON.stringify(stream)).not.toMatch(/Sam Jones/);
    const sentBack = stream[1]!.data as MonthlyReturnSentBack['data'];
    expect(sentBack.reason).toMatchObject({ subjectId: expect.any(String) as string });
    await expect(verifyMonthlyReturn(as(t, OFFICER), september)).rejects.toThrow(ConflictError);

    await amendMonthlyReturn(as(t, RM), vault, {
      ...september,
      values: { EDU: 70 },
      reason: 'Recounted',
    });
    await expect(verifyMonthlyReturn(as(t, RM), september)).rejects.toThrow(ForbiddenError);
    await verifyMonthlyReturn(as(t, OFFICER), september);
    await publishMonthlyReturn(as(t, ADMIN), september);
    expect((await published(t)).gridEdu).toBe(70);

    const history = await readReturnHistory(pool, t, september, { store, vault });
    expect(history.signOff).toMatchObject({
      stage: 'published',
      publishedAmendment: 1,
      steps: [
        { kind: 'sent-back', by: OFFICER, amendmentNumber: 0, reason: REASON },
        { kind: 'verified', by: OFFICER, amendmentNumber: 1, reason: null },
        { kind: 'published', by: ADMIN, amendmentNumber: 1, reason: null },
      ],
    });
    expect(history.signOff!.steps[0]!.dataSubjectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the published figures published while an amendment of them waits for sign-off', async () => {
    const t = await tenant({ signOff: true });
    await submitMonthlyReturn(as(t, RM), { ...september, values: allMet });
    await verifyMonthlyReturn(as(t, OFFICER), september);
    await publishMonthlyReturn(as(t, ADMIN), september);
    const amended = await amendMonthlyReturn(as(t, RM), vault, {
      ...september,
      values: { EDU: 70 },
      reason: 'Recounted',
    });
    expect(amended).toMatchObject({ signOff: 'submitted', amendments: 1 });
    expect(await published(t)).toEqual({
      gridEdu: 92,
      gridSignOff: 'submitted',
      reportEdu: 92,
      bonusMonths: 1,
    });
    expect((await readReturnsToVerify(pool, t, {})).returns).toMatchObject([
      { period: '2026-09', amendments: 1, published: true, lastAmendedBy: RM },
    ]);
    await verifyMonthlyReturn(as(t, OFFICER), september);
    await publishMonthlyReturn(as(t, ADMIN), september);
    expect((await published(t)).gridEdu).toBe(70);
  });

  it('with sign-off off, publishes as given, as before', async () => {
    const t = await tenant({ signOff: false });
    const submitted = await submitMonthlyReturn(as(t, RM), { ...september, values: allMet });
    expect(submitted.signOff).toBeNull();
    expect(await published(t)).toEqual({
      gridEdu: 92,
      gridSignOff: null,
      reportEdu: 92,
      bonusMonths: 1,
    });
    await expect(verifyMonthlyReturn(as(t, OFFICER), september)).rejects.toThrow(ConflictError);
    const history = await readReturnHistory(pool, t, september, { store, vault });
    expect(history.signOff).toBeNull();
  });

  it('turning sign-off on twice writes once', async () => {
    const t = await tenant({ signOff: true });
    const again = await setSignOff(as(t, ADMIN), { on: true });
    expect(again).toMatchObject({ on: true, unchanged: true });
    expect(await store.readStream(`${t}:sign-off`)).toHaveLength(1);
  });
});
