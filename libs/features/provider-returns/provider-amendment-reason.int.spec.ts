import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandContext } from '@kpi/command-handling';
import {
  InvalidCommandError,
  NotFoundError,
  streamIds,
  type ProviderQuarterlyReturnAmended,
  type SealedPersonalData,
} from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import {
  checkpointNameOf,
  ensureProjectionReady,
  ProjectionRunner,
  type Projection,
} from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, month, waitFor, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { providerCapacityReturnsProjection } from './provider-capacity-returns.projection';
import { readCapacityReturns } from './provider-capacity-returns.query';
import { providerQuarterlyReturnsProjection } from './provider-quarterly-returns.projection';
import { readQuarterlyReturns } from './provider-quarterly-returns.query';
import {
  amendProviderCapacityReturn,
  amendProviderQuarterlyReturn,
  submitProviderCapacityReturn,
  submitProviderQuarterlyReturn,
} from './provider-returns.use-cases';

/**
 * A provider's amendment reason kept apart from the trail (real PostgreSQL): sealed in the
 * personal-data vault under a data subject of its own in the council's tenant, opened when the
 * council lists the returns, erasable by itself while the figures stay.
 */
/** The two read models the listing reads. */
const readModels: Projection[] = [
  providerCapacityReturnsProjection as unknown as Projection,
  providerQuarterlyReturnsProjection as unknown as Projection,
];
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('provider_amendment_reason');
  pool = database.pool({ max: 4 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
  for (const projection of readModels) await ensureProjectionReady(pool, store, projection);
});
afterAll(() => database?.drop());

const framework = id('care-at-home-2026');
const context = (tenantId: string, overrides: Partial<CommandContext> = {}): CommandContext => ({
  store,
  tenantId,
  actor: 'user:ola',
  correlationId: null,
  commandId: randomUUID(),
  // 11:00 BST on 15 July 2026: May is a month that has ended, 2026-27 Q1 a quarter.
  now: new Date('2026-07-15T10:00:00Z'),
  ...overrides,
});

/** A council with its framework, on which `bryn-care` is a provider. */
async function councilWithFramework(): Promise<string> {
  const council = `council-${randomUUID().slice(0, 8)}`;
  await store.append(
    streamIds.careFramework(council, framework),
    [
      {
        eventId: randomUUID(),
        type: 'CareFrameworkEstablished',
        data: {
          frameworkId: framework,
          name: 'Care at home 2026',
          contractStartDate: '2026-04-01',
          providers: ['bryn-care'],
          establishedBy: 'user:commissioner',
          establishedAt: '2026-03-01T09:00:00.000Z',
        },
        metadata: {
          tenantId: council,
          actor: 'user:commissioner',
          correlationId: null,
          causationId: null,
          commandId: randomUUID(),
        },
      },
    ],
    'no-stream',
  );
  return council;
}

const MAY = {
  frameworkId: framework,
  period: month('2026-05'),
  careWorkers: 40,
  packages: 55,
  totalHours: 812.5,
  estimatedHoursAvailableNextMonth: 120,
};
const FIGURES = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
  'diploma-level-1': { numerator: 12, denominator: 40 },
  'diploma-level-2': { numerator: 9, denominator: 40 },
};
const REASON = 'Dafydd Owen, who started on 28 May, was left out';

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
    { description: 'the provider-return read models to apply the whole log' },
  );

describe("a provider's amendment reason", () => {
  it("is sealed at schema version 2 in the council's tenant, never in the log as text, and listed opened", async () => {
    const council = await councilWithFramework();
    const onFramework = { councilId: id(council), ...MAY };
    await submitProviderCapacityReturn(context('bryn-care'), onFramework);
    await amendProviderCapacityReturn(context('bryn-care'), vault, {
      ...onFramework,
      careWorkers: 41,
      reason: REASON,
    });
    const events = await store.readStream(
      `${council}:provider-capacity-return:${framework}:bryn-care:2026-05`,
    );
    const amended = events[1]!;
    expect(amended.storedSchemaVersion).toBe(2);
    expect(JSON.stringify(events)).not.toMatch(/Dafydd|Owen/);
    const reason = (amended.data as { reason: SealedPersonalData }).reason;
    expect(await vault.open(council, [reason])).toEqual(new Map([[reason.ref, REASON]]));

    await catchUp();
    const listed = await readCapacityReturns(
      pool,
      council,
      { councilId: council, frameworkId: framework, period: MAY.period },
      { store, vault },
    );
    expect(listed.providers[0]).toMatchObject({
      providerId: 'bryn-care',
      careWorkers: 41,
      amendments: 1,
      lastAmendmentReason: REASON,
      lastAmendmentDataSubjectId: reason.subjectId,
    });
    // The provider reads its own row with the same reason (the council's record).
    const own = await readCapacityReturns(
      pool,
      'bryn-care',
      { councilId: council, frameworkId: framework, period: MAY.period },
      { store, vault },
    );
    expect(own.providers).toMatchObject([{ lastAmendmentReason: REASON }]);
  });

  it('reads as erased on the day once its data subject is erased, the figures unchanged', async () => {
    const council = await councilWithFramework();
    const q1 = { councilId: id(council), frameworkId: framework, quarter: '2026-27 Q1' };
    await submitProviderQuarterlyReturn(context('bryn-care'), { ...q1, figures: FIGURES });
    const corrected = { ...FIGURES, 'staff-turnover': { numerator: 3, denominator: 39.5 } };
    await amendProviderQuarterlyReturn(context('bryn-care'), vault, {
      ...q1,
      figures: corrected,
      reason: REASON,
    });
    const [, amended] = await store.readStream(
      `${council}:provider-quarterly-return:${framework}:bryn-care:2026-27-q1`,
    );
    const reason = (amended!.data as ProviderQuarterlyReturnAmended['data'])
      .reason as SealedPersonalData;
    await eraseDataSubject(
      {
        ...context(council, { actor: 'user:dpo', now: new Date('2026-08-03T09:00:00Z') }),
        store,
        pool,
      },
      { subjectId: reason.subjectId, reason: 'no-longer-needed' },
    );

    await catchUp();
    const listed = await readQuarterlyReturns(
      pool,
      council,
      { councilId: council, frameworkId: framework, quarter: '2026-27 Q1' },
      { store, vault },
    );
    expect(listed.providers[0]).toMatchObject({
      figures: corrected,
      amendments: 1,
      lastAmendmentReason: { erasedOn: '2026-08-03' },
      lastAmendmentDataSubjectId: reason.subjectId,
    });
  });

  it('is sealed once when the amendment is retried, and not at all when it is refused', async () => {
    const council = await councilWithFramework();
    const onFramework = { councilId: id(council), ...MAY };
    await submitProviderCapacityReturn(context('bryn-care'), onFramework);
    const texts = async () =>
      (
        await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM personal_data WHERE tenant_id = $1',
          [council],
        )
      ).rows[0]!.n;

    await expect(
      amendProviderCapacityReturn(context('bryn-care'), vault, { ...onFramework, reason: '' }),
    ).rejects.toThrow(InvalidCommandError);
    await expect(
      amendProviderCapacityReturn(context('bryn-care'), vault, {
        ...onFramework,
        period: month('2026-04'),
        reason: REASON,
      }),
    ).rejects.toThrow(NotFoundError);
    expect(await texts()).toBe(0);

    const commandId = randomUUID();
    const first = await amendProviderCapacityReturn(context('bryn-care', { commandId }), vault, {
      ...onFramework,
      careWorkers: 42,
      reason: REASON,
    });
    const again = await amendProviderCapacityReturn(context('bryn-care', { commandId }), vault, {
      ...onFramework,
      careWorkers: 42,
      reason: REASON,
    });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await texts()).toBe(1);
  });
});
