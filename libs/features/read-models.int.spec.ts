import { randomUUID } from 'node:crypto';
import {
  DOMAIN_EVENT_TYPES,
  streamIds,
  type MonthlyReturnEvent,
  type MonthlyReturnSubmitted,
} from '@kpi/domain';
import {
  eventStoreMigrations,
  EventTypeRegistry,
  loadCheckpoint,
  migrate,
  PostgresEventStore,
  START_OF_LOG,
  type NewEvent,
} from '@kpi/event-store';
import {
  allMet,
  CapabilityProcessModel,
  capabilityFacts as f,
  createTestDatabase,
  returnSubmitted,
  tableChecksum,
  waitFor,
  type TestDatabase,
} from '@kpi/testing';
import type { Pool } from 'pg';
import {
  checkpointNameOf,
  withTransaction,
  ProjectionRunner,
  ensureProjectionReady,
  rebuildProjection,
} from '@kpi/projections';
import {
  capabilityCountersProjection,
  timelineEntryOf,
  type TimelineEventRecord,
  capabilityTimelineProjection,
} from '@kpi/features/capability';
import {
  supervisionRecorded,
  managerAppointed,
  managerAppointmentEnded,
  regionalManagerAssigned,
  regionRegistered,
  returnAmended,
  serviceRegistered,
  toAppend,
} from '@kpi/testing/fixtures';
import { kpiGridProjection, monthlyReturnsProjection } from '@kpi/features/monthly-returns';
import { regionsProjection, servicesProjection } from '@kpi/features/organisation';
import { supervisionsProjection } from '@kpi/features/workforce';

const readModels = [
  regionsProjection,
  servicesProjection,
  monthlyReturnsProjection,
  kpiGridProjection,
  capabilityCountersProjection,
  capabilityTimelineProjection,
  supervisionsProjection,
];

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('read_models');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, new EventTypeRegistry(DOMAIN_EVENT_TYPES));
  for (const projection of readModels) await ensureProjectionReady(pool, store, projection);
});
afterAll(() => database.drop());

/**
 * Every read model applies the whole log. One `catchUp` can stop short while a transaction of
 * another database on the server (another spec's) holds the snapshot horizon back, so it runs
 * until no event is left after any checkpoint.
 */
const catchUp = () =>
  waitFor(
    async () => {
      await Promise.all(
        readModels.map((projection) => new ProjectionRunner(pool, store, projection).catchUp()),
      );
      for (const projection of readModels) {
        const checkpoint = await loadCheckpoint(pool, checkpointNameOf(projection.name));
        if ((await store.countEventsAfter(checkpoint)) > 0) return false;
      }
      return true;
    },
    { description: 'every read model to apply the whole log' },
  );

const checksums = () =>
  Promise.all(readModels.map((projection) => tableChecksum(pool, projection.table)));

async function append(streamId: string, events: NewEvent[]): Promise<void> {
  await store.append(streamId, events, 'any');
}

/**
 * One provider's organisation and a month of returns, with the ids every tenant uses (region
 * `north`, homes `home-17` and `home-18`), so rows of two tenants would collide if a key
 * forgot the tenant. Returns the submission as appended (its event id included).
 */
async function recordProvider(
  tenantId: string,
  september: { submitted: MonthlyReturnSubmitted; amendedValues: Record<string, unknown> },
): Promise<NewEvent> {
  const ofTenant = (...events: { type: string; data: unknown }[]) =>
    events.map((event) => toAppend(tenantId, event));
  await append(
    streamIds.region(tenantId, 'north'),
    ofTenant(regionRegistered(), regionalManagerAssigned({ regionalManagerId: 'rm-2' })),
  );
  await append(
    streamIds.service(tenantId, 'home-17'),
    ofTenant(serviceRegistered(), managerAppointed({ managerId: 'hm-1', from: '2025-01-06' })),
  );
  await append(
    streamIds.service(tenantId, 'home-18'),
    ofTenant(
      serviceRegistered({ serviceId: 'home-18', name: 'Ash Lodge', openedOn: '2025-03-01' }),
      managerAppointed({ serviceId: 'home-18', managerId: 'hm-3', from: '2025-03-01' }),
    ),
  );
  await append(
    streamIds.service(tenantId, 'home-17'),
    ofTenant(
      managerAppointmentEnded({ managerId: 'hm-1', to: '2026-06-30' }),
      managerAppointed({ managerId: 'hm-2', from: '2026-07-01' }),
    ),
  );
  const returnStream = streamIds.monthlyReturn(tenantId, 'home-17', '2026-09');
  const [submission] = ofTenant(september.submitted);
  await append(returnStream, [submission!]);
  const history: MonthlyReturnEvent[] = [september.submitted];
  await append(returnStream, ofTenant(returnAmended(history, september.amendedValues)));
  return submission!;
}

async function rowsOf(table: string, tenantId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY key`,
    [tenantId],
  );
  return rows;
}

describe('the organisation and monthly-return read models', () => {
  const acme = `t-${randomUUID()}`;
  const brynMelyn = `t-${randomUUID()}`;
  let acmeSubmission: NewEvent;

  beforeAll(async () => {
    // acme: EDU missed at submission (8 of 9), then TRN corrected down: 7 of 9, no bonus.
    acmeSubmission = await recordProvider(acme, {
      submitted: returnSubmitted({ values: { ...allMet, EDU: 80 } }),
      amendedValues: { TRN: 80 },
    });
    // bryn-melyn: a late return, every KPI met, with EDU corrected up.
    await recordProvider(brynMelyn, {
      submitted: returnSubmitted({ submittedAt: '2026-10-22T08:00:00.000Z', late: true }),
      amendedValues: { EDU: 97 },
    });
    await catchUp();
  });

  it('shows each region with its regional manager as last assigned', async () => {
    expect(await rowsOf('rm_regions', acme)).toEqual([
      expect.objectContaining({ region_id: 'north', name: 'North', regional_manager_id: 'rm-2' }),
    ]);
  });

  it('shows each service with its current manager and every appointment', async () => {
    const services = await rowsOf('rm_services', acme);
    expect(services).toEqual([
      expect.objectContaining({
        service_id: 'home-17',
        name: 'Oak House',
        region_id: 'north',
        service_type: 'childrens-home',
        framework_id: 'childrens-homes',
        opened_on: '2025-01-06',
        current_manager_id: 'hm-2',
        appointments: [
          { managerId: 'hm-1', from: '2025-01-06', to: '2026-06-30' },
          { managerId: 'hm-2', from: '2026-07-01', to: null },
        ],
      }),
      expect.objectContaining({ service_id: 'home-18', current_manager_id: 'hm-3' }),
    ]);
  });

  it('answers who managed a home on a given date', async () => {
    const managerOn = async (date: string) => {
      const { rows } = await pool.query<{ manager_id: string }>(
        `SELECT a->>'managerId' AS manager_id
           FROM rm_services, jsonb_array_elements(appointments) a
          WHERE tenant_id = $1 AND service_id = 'home-17'
            AND a->>'from' <= $2 AND (a->>'to' IS NULL OR a->>'to' >= $2)`,
        [acme, date],
      );
      return rows.map((r) => r.manager_id);
    };
    expect(await managerOn('2025-01-05')).toEqual([]);
    expect(await managerOn('2026-03-15')).toEqual(['hm-1']);
    expect(await managerOn('2026-06-30')).toEqual(['hm-1']);
    expect(await managerOn('2026-09-30')).toEqual(['hm-2']);
  });

  it('shows the return as it arrived and its bonus compliance after the amendment', async () => {
    const [september] = await rowsOf('rm_monthly_returns', acme);
    expect(september).toMatchObject({
      service_id: 'home-17',
      period: '2026-09',
      framework_id: 'childrens-homes',
      framework_version: 1,
      submitted_at: new Date('2026-10-12T09:00:00.000Z'),
      submitted_by: 'user:rm-1',
      due_date: '2026-10-20',
      late: false,
      amendments: 1,
      last_amended_at: new Date('2026-10-25T14:00:00.000Z'),
      last_amended_by: 'user:rm-1',
      bonus_met: 7,
      bonus_required: 8,
      bonus_of: 9,
      bonus_compliant: false,
      return_event_id: acmeSubmission.eventId,
    });
    expect(september).not.toHaveProperty('last_amendment_reason');
    expect(september!.last_event_id).not.toBe(acmeSubmission.eventId);
  });

  it('shows the grid with the amended values, every cell of the return marked amended', async () => {
    const { rows } = await pool.query(
      `SELECT indicator_code, value, judged_value, outcome, rag, amended, amendment_count, late
         FROM rm_kpi_grid WHERE tenant_id = $1 AND service_id = 'home-17' AND period = '2026-09'
        ORDER BY indicator_code`,
      [acme],
    );
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.amended === true && r.amendment_count === 1)).toBe(true);
    expect(rows.find((r) => r.indicator_code === 'TRN')).toMatchObject({
      value: 80,
      judged_value: '80',
      outcome: 'missed',
      rag: 'red',
    });
    expect(rows.find((r) => r.indicator_code === 'EDU')).toMatchObject({
      value: 80,
      outcome: 'missed',
      rag: 'amber',
    });
    expect(rows.find((r) => r.indicator_code === 'R44')).toMatchObject({
      value: true,
      judged_value: '1',
      outcome: 'met',
      rag: 'green',
      late: false,
    });
  });

  it("keeps another tenant's rows apart, though they use the same ids", async () => {
    expect(await rowsOf('rm_regions', brynMelyn)).toHaveLength(1);
    expect(await rowsOf('rm_services', brynMelyn)).toHaveLength(2);
    expect(await rowsOf('rm_monthly_returns', brynMelyn)).toEqual([
      expect.objectContaining({ late: true, bonus_met: 9, bonus_compliant: true, amendments: 1 }),
    ]);
    const grid = await rowsOf('rm_kpi_grid', brynMelyn);
    expect(grid).toHaveLength(9);
    expect(grid.find((r) => r.indicator_code === 'EDU')).toMatchObject({
      value: 97,
      outcome: 'met',
      late: true,
      amended: true,
    });
    expect(grid.find((r) => r.indicator_code === 'TRN')).toMatchObject({ value: 96 });
  });

  it('indexes the grid by service and month, and by month across services', async () => {
    const { rows } = await pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'rm_kpi_grid'`,
    );
    const definitions = rows.map((r) => r.indexdef);
    expect(definitions).toEqual(
      expect.arrayContaining([
        expect.stringContaining('(tenant_id, service_id, period)'),
        expect.stringContaining('(tenant_id, period)'),
      ]),
    );
  });
});

describe('the capability and supervision read models', () => {
  const tenant = `t-${randomUUID()}`;
  const model = new CapabilityProcessModel(tenant);
  let appended = 0;

  /** Lets the real process (in memory) take the facts, then stores what it wrote, in order. */
  async function processAndStore(...facts: [string, { type: string; data: unknown }][]) {
    for (const [streamId, event] of facts) model.record(streamId, event);
    const written = model.log.slice(appended).filter((e) => e.streamId.includes(':capability:'));
    appended = model.log.length;
    for (const event of written) await append(event.streamId, [toAppend(tenant, event)]);
  }

  beforeAll(async () => {
    // EDU missed in January, February and March (Stage 1, then Stage 2), caught up; then March
    // amended to met: the process withdraws Stage 2 and resolves Stage 1.
    await processAndStore(
      f.framework(tenant),
      f.home(tenant),
      f.appointed(tenant, 'mgr-a', '2026-01-01'),
      f.returned(tenant, '2026-01', { EDU: 70 }),
      f.returned(tenant, '2026-02', { EDU: 70 }),
      f.returned(tenant, '2026-03', { EDU: 70 }),
    );
    await append(streamIds.supervision(tenant, 'mgr-a'), [toAppend(tenant, supervisionRecorded())]);
    await catchUp();
    await processAndStore(f.amended(tenant, '2026-03', { EDU: 95 }));
    await catchUp();
  });

  it('shows the counter back at 0, from its stream’s last event', async () => {
    expect(await rowsOf('rm_capability_counters', tenant)).toEqual([
      expect.objectContaining({
        manager_id: 'mgr-a',
        service_id: 'home-02',
        region_id: 'north-wales',
        indicator_code: 'EDU',
        consecutive_misses: 0,
        stage: 0,
        run_start: null,
        open_entry_id: null,
        review_due: false,
        last_review_on: null,
        stream_version: 5,
      }),
    ]);
  });

  it('shows each timeline entry with its status and the events an as-of view folds', async () => {
    const rows = await rowsOf('rm_capability_timeline', tenant);
    expect(rows.map((r) => [r.entry_id, r.stage, r.period, r.status])).toEqual([
      ['home-02.EDU.2026-01.s1', 1, '2026-01', 'resolved'],
      ['home-02.EDU.2026-01.s2', 2, '2026-03', 'withdrawn'],
    ]);
    const stage1 = rows[0]!;
    const events = stage1.events as TimelineEventRecord[];
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    const before = new Date(events[3]!.recordedAt);
    before.setMilliseconds(before.getMilliseconds() - 1);
    expect(timelineEntryOf('home-02.EDU.2026-01.s1', events, before)?.status).toBe('escalated');
    expect(stage1.first_recorded_at).toEqual(new Date(events[0]!.recordedAt));
  });

  it('shows the supervision session with the counters it discussed', async () => {
    expect(await rowsOf('rm_supervisions', tenant)).toEqual([
      expect.objectContaining({
        supervision_id: 'sup-1',
        supervisee_id: 'mgr-a',
        date: '2026-02-03',
        capability_items: [{ serviceId: 'home-02', indicatorCode: 'EDU' }],
        recorded_at: new Date('2026-02-03T15:00:00.000Z'),
      }),
    ]);
  });
});

describe('delivering events again', () => {
  it('changes nothing when the same events are delivered to each read model twice', async () => {
    const tenant = `t-${randomUUID()}`;
    await recordProvider(tenant, {
      submitted: returnSubmitted({ values: { ...allMet, AGY: 15 } }),
      amendedValues: { AGY: 25 },
    });
    await catchUp();
    const before = await checksums();
    expect(before.filter((checksum) => checksum.startsWith('0:'))).toEqual([]);
    const { events } = await store.readAll(START_OF_LOG, { limit: 100_000 });
    for (const projection of readModels) {
      // The whole log, other event types included, as a redelivered batch would bring it.
      await withTransaction(pool, (tx) => projection.apply(tx, projection.table, events));
    }
    expect(await checksums()).toEqual(before);
  });

  it('builds the same tables again when rebuilt from the log', async () => {
    await catchUp();
    const live = await checksums();
    for (const projection of readModels) await rebuildProjection(pool, store, projection);
    expect(await checksums()).toEqual(live);
  });
});
