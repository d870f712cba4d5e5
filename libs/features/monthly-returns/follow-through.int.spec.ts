import { randomBytes, randomUUID } from 'node:crypto';
import type { DataQualityFindingRecorded, IndicatorCommentaryWritten } from '@kpi/domain';
import {
  eventStoreMigrations,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
} from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import { checkpointNameOf, ensureProjectionReady, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, createTestDatabase, id, month, waitFor, type TestDatabase } from '@kpi/testing';
import type { CommandContext } from '@kpi/command-handling';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import type { Pool } from 'pg';
import { commentaryProjection } from './commentary.projection';
import { readCommentaries } from './commentary.query';
import { writeIndicatorCommentary } from './commentary.use-cases';
import { drawAuditSample, recordAuditFinding } from './data-quality-audit.use-cases';
import { readDataQualityAudit } from './data-quality.query';
import { submitMonthlyReturn } from './monthly-returns.use-cases';

/**
 * What an audit finding and a commentary keep apart from the trail (real PostgreSQL): their
 * texts sealed in the vault under a data subject of their own, sealed once on a retry, read back
 * opened, and read as erased once their subject is.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;

beforeAll(async () => {
  database = await createTestDatabase('follow_through');
  pool = database.pool({ max: 4 });
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
  await ensureProjectionReady(pool, store, commentaryProjection);
});
afterAll(() => database?.drop());

const context = (tenantId: string, overrides: Partial<CommandContext> = {}): CommandContext => ({
  store,
  tenantId,
  actor: 'user:po-1',
  correlationId: null,
  commandId: randomUUID(),
  now: new Date('2026-10-20T09:00:00Z'),
  ...overrides,
});
const HOME = id('home-17');
const NAMED = 'Sam Jones was excluded on 3 September';
const PERSONAL = /Sam Jones|Jones/;

async function tenantWithReturn(): Promise<string> {
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  await registerRegion(context(tenant), {
    regionId: id('north'),
    name: 'North',
    regionalManagerId: id('rm-1'),
  });
  await publishChildrensHomesPreset(context(tenant), { effectiveFrom: month('2025-01') });
  await registerService(context(tenant), {
    serviceId: HOME,
    name: 'Tŷ Gwyn',
    regionId: id('north'),
    serviceType: 'childrens-home',
    frameworkId: id('childrens-homes'),
    openedOn: '2024-04-01',
  });
  await submitMonthlyReturn(context(tenant, { actor: 'user:rm-1' }), {
    serviceId: HOME,
    period: month('2026-09'),
    values: allMet,
  });
  return tenant;
}

const erase = (tenant: string, subjectId: string) =>
  eraseDataSubject(
    {
      ...context(tenant, { actor: 'user:dpo', now: new Date('2026-11-03T10:00:00Z') }),
      store,
      pool,
    },
    { subjectId, reason: 'objection-upheld' },
  );

describe('an audit finding', () => {
  it('keeps what was checked and the query sealed, opened when read, erased with its subject', async () => {
    const tenant = await tenantWithReturn();
    await drawAuditSample(
      context(tenant),
      { auditId: id('audit-1'), period: month('2026-09'), chosen: [HOME] },
      () => Promise.resolve([HOME]),
    );
    const commandId = randomUUID();
    const input = {
      auditId: id('audit-1'),
      serviceId: HOME,
      finding: 'queried' as const,
      checked: 'Attendance register',
      query: `Where is the register for ${NAMED}?`,
    };
    const first = await recordAuditFinding(context(tenant, { commandId }), vault, input);
    const again = await recordAuditFinding(context(tenant, { commandId }), vault, input);
    expect(again).toEqual({ ...first, replayed: true });
    const stream = await store.readStream(`${tenant}:data-quality-audit:audit-1`);
    expect(stream).toHaveLength(2);
    expect(JSON.stringify(stream)).not.toMatch(PERSONAL);
    const { checked, query } = stream[1]!.data as DataQualityFindingRecorded['data'];
    expect(checked).toMatchObject({ subjectId: expect.any(String) as string });
    expect(query).toMatchObject({ subjectId: (checked as { subjectId: string }).subjectId });

    const read = await readDataQualityAudit(pool, tenant, { auditId: 'audit-1' }, { store, vault });
    expect(read.returns).toMatchObject([
      { serviceId: HOME, finding: 'queried', checked: 'Attendance register', query: input.query },
    ]);
    await erase(tenant, read.returns[0]!.dataSubjectId!);
    const erased = await readDataQualityAudit(
      pool,
      tenant,
      { auditId: 'audit-1' },
      { store, vault },
    );
    expect(erased.returns[0]).toMatchObject({
      checked: { erasedOn: '2026-11-03' },
      query: { erasedOn: '2026-11-03' },
    });
  });
});

describe('commentary', () => {
  it('keeps its texts sealed, a subject per version, and the report reads the latest (or erased)', async () => {
    const tenant = await tenantWithReturn();
    const write = (whatHappened: string) =>
      writeIndicatorCommentary(context(tenant, { actor: 'user:rm-1' }), vault, {
        serviceId: HOME,
        indicatorCode: 'EDU',
        period: '2026-27 Q2',
        whatHappened,
        whatIsBeingDone: 'Tutoring arranged',
      });
    await write('First thoughts');
    const second = await write(NAMED);
    expect(second.version).toBe(2);
    const stream = await store.readStream(`${tenant}:commentary:home-17:EDU:2026-27-q2`);
    expect(JSON.stringify(stream)).not.toMatch(PERSONAL);
    const [v1, v2] = stream.map((e) => (e.data as IndicatorCommentaryWritten['data']).whatHappened);
    expect((v1 as { subjectId: string }).subjectId).not.toBe(
      (v2 as { subjectId: string }).subjectId,
    );

    const caughtUp = async () => {
      await waitFor(
        async () => {
          await new ProjectionRunner(pool, store, commentaryProjection).catchUp();
          const checkpoint = await loadCheckpoint(
            pool,
            checkpointNameOf(commentaryProjection.name),
          );
          return (await store.countEventsAfter(checkpoint)) === 0;
        },
        { description: 'the commentary read model to apply the whole log' },
      );
    };
    await caughtUp();
    const read = () =>
      readCommentaries(pool, vault, tenant, { serviceIds: [HOME], periods: ['2026-27 Q2'] });
    const latest = (await read()).get('home-17|EDU|2026-27 Q2')!;
    expect(latest).toMatchObject({
      version: 2,
      whatHappened: NAMED,
      whatIsBeingDone: 'Tutoring arranged',
    });
    await erase(tenant, latest.dataSubjectId!);
    expect((await read()).get('home-17|EDU|2026-27 Q2')).toMatchObject({
      version: 2,
      whatHappened: { erasedOn: '2026-11-03' },
    });
  });
});
