import { randomUUID } from 'node:crypto';
import { entityId, type CommandContext } from '@kpi/command-handling';
import {
  addMonths,
  parsePeriod,
  periodsBetween,
  returnDueDate,
  streamIds,
  type IndicatorValue,
  type MonthlyReturnEvent,
  type Period,
} from '@kpi/domain';
import type { PostgresEventStore, StreamAppend } from '@kpi/event-store';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { appointManager, registerRegion, registerService } from '@kpi/features/organisation';
import { withTransaction } from '@kpi/projections';
import { allMet, returnSubmitted } from '@kpi/testing';
import { returnAmended, toAppend } from '@kpi/testing/fixtures';
import type { Pool } from 'pg';

export interface BacklogShape {
  tenants: number;
  homesPerTenant: number;
  months: number;
}

/** The first month of returns; the backlog is dated in the past, whatever today is. */
const FIRST_MONTH = parsePeriod('2024-01');

/**
 * A backlog of a care provider's history for the worker to project: per tenant a region, homes
 * with their managers (through the use cases), the KPI framework, and a monthly return per
 * home and month, about one in eight with a KPI missed (education misses run for months, so
 * the escalation process has counters to open) and one in twenty amended. Returns are
 * appended in bulk. The same shape writes the same events every time (apart from their ids).
 * Returns the number of events stored.
 */
export async function appendBacklog(
  pool: Pool,
  store: PostgresEventStore,
  { tenants, homesPerTenant, months }: BacklogShape,
): Promise<number> {
  const periods = periodsBetween(FIRST_MONTH, addMonths(FIRST_MONTH, months - 1));
  const random = seededRandom(13);
  for (let t = 0; t < tenants; t++) {
    const tenantId = `faults-${String(t).padStart(2, '0')}`;
    const context = (): CommandContext => ({
      store,
      tenantId,
      actor: 'user:faults-admin',
      correlationId: null,
      commandId: randomUUID(),
      now: new Date('2023-12-01T09:00:00Z'),
    });
    const regionId = entityId('north', 'regionId');
    await registerRegion(context(), {
      regionId,
      name: 'North',
      regionalManagerId: entityId('rm-1', 'regionalManagerId'),
    });
    await publishChildrensHomesPreset(context(), { effectiveFrom: FIRST_MONTH });
    const homes = Array.from({ length: homesPerTenant }, (_, h) => `home-${h}`);
    for (const home of homes) {
      const serviceId = entityId(home, 'serviceId');
      await registerService(context(), {
        serviceId,
        name: `Home ${home}`,
        regionId,
        serviceType: 'childrens-home',
        frameworkId: entityId('childrens-homes', 'frameworkId'),
        openedOn: `${FIRST_MONTH}-01`,
      });
      await appointManager(context(), {
        serviceId,
        managerId: entityId(`mgr-${home}`, 'managerId'),
        from: `${FIRST_MONTH}-01`,
      });
    }

    const appends: StreamAppend[] = [];
    for (const home of homes) {
      let missingEducation = 0;
      for (const period of periods) {
        if (missingEducation === 0 && random() < 0.04)
          missingEducation = 2 + Math.floor(random() * 4);
        const values: Record<string, IndicatorValue> = { ...allMet };
        if (missingEducation > 0) {
          values.EDU = 70;
          missingEducation--;
        }
        if (random() < 0.08) values.SUP = 85;
        const submitted = returnSubmitted({
          serviceId: home,
          period,
          values,
          submittedBy: 'user:rm-1',
          submittedAt: `${returnDueDate(period).slice(0, 8)}12T09:00:00.000Z`,
          dueDate: returnDueDate(period),
        });
        const events: MonthlyReturnEvent[] = [submitted];
        if (random() < 0.05) {
          events.push(
            returnAmended(
              events,
              { TRN: 90 },
              { amendedAt: amendedAtOf(period), amendedBy: 'user:rm-1' },
            ),
          );
        }
        appends.push({
          streamId: streamIds.monthlyReturn(tenantId, home, period),
          events: events.map((event) => toAppend(tenantId, event)),
          expectedVersion: 'no-stream',
        });
      }
    }
    for (let start = 0; start < appends.length; start += 200) {
      await withTransaction(pool, (tx) =>
        store.appendManyInTransaction(tx, appends.slice(start, start + 200)),
      );
    }
  }
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0]!.n);
}

const amendedAtOf = (period: Period) => `${returnDueDate(period).slice(0, 8)}25T14:00:00.000Z`;

/** mulberry32: the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
