import {
  entityId,
  handleCommand,
  uuidFromParts,
  type CommandContext,
  type EntityId,
} from '@kpi/command-handling';
import {
  dataQualityAuditDecider,
  InvalidCommandError,
  isSealed,
  streamIds,
  type DataQualityAuditEvent,
  type MonthlyReturnEvent,
  type Period,
} from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { Queryable } from '@kpi/projections';
import type {
  DrawAuditSampleInput,
  DrawnSample,
  RecordAuditFindingInput,
  RecordedFinding,
} from './data-quality-audit.commands';
import { sealForRecord } from './sealed-texts';

/** The services with a return for a month: the population a sample is drawn from. */
export type ReturnsOfMonth = (tenantId: string, period: Period) => Promise<string[]>;

/**
 * The services with a return for the month, from the read model `rm_monthly_returns` (moments
 * behind the log: a return submitted in the instant before is not in the population; the draw
 * keeps the population it used, so what was sampled from stays known).
 */
export function returnsOfMonthFromReadModel(db: Queryable): ReturnsOfMonth {
  return async (tenantId, period) => {
    const { rows } = await db.query<{ service_id: string }>(
      'SELECT service_id FROM rm_monthly_returns WHERE tenant_id = $1 AND period = $2',
      [tenantId, period],
    );
    return rows.map((row) => row.service_id);
  };
}

/**
 * Draws an audit's sample of a month's returns: at random with a seed (given, or made from the
 * command, so a retry draws the same), or the services chosen. Exactly one of the two.
 */
export async function drawAuditSample(
  context: CommandContext,
  { auditId: givenId, period, random, chosen }: DrawAuditSampleInput,
  returnsOfMonth: ReturnsOfMonth,
): Promise<DrawnSample> {
  if ((random === undefined) === (chosen === undefined)) {
    throw InvalidCommandError.of('random', 'give either random (a size) or chosen (services)');
  }
  const auditId: EntityId =
    givenId ?? entityId(uuidFromParts(context.commandId, 'audit'), 'auditId');
  const population = await returnsOfMonth(context.tenantId, period);
  const method = random
    ? {
        kind: 'random' as const,
        size: random.size,
        seed: random.seed ?? uuidFromParts(context.commandId, 'seed').replace(/-/g, ''),
      }
    : { kind: 'chosen' as const, serviceIds: chosen! };
  const { streamId, state, events, replayed } = await handleCommand(
    context,
    streamIds.dataQualityAudit(context.tenantId, auditId),
    dataQualityAuditDecider,
    {
      type: 'DrawAuditSample',
      data: { auditId, period, method, population, drawnBy: context.actor, now: context.now },
    },
  );
  const drawn = events.find((event) => event.type === 'DataQualitySampleDrawn');
  if (state.status !== 'drawn' || !drawn) throw new Error(`${streamId} has no sample`);
  return {
    streamId,
    auditId,
    period,
    method: drawn.data.method,
    seed: drawn.data.seed,
    population: drawn.data.population,
    sample: drawn.data.sample,
    replayed,
  };
}

/**
 * Records what was found checking a sampled return. A correction cites the amendment by its
 * event id, which must be one of the return's amendments (read from its stream); what was
 * checked and the query are sealed in the personal-data vault under a data subject of their
 * own. The finding's id is the same for every finding of that return in that audit.
 */
export async function recordAuditFinding(
  context: CommandContext,
  vault: PersonalDataVault,
  { auditId, serviceId, finding, amendmentEventId, checked, query }: RecordAuditFindingInput,
): Promise<RecordedFinding> {
  const auditStream = streamIds.dataQualityAudit(context.tenantId, auditId);
  const audit = await context.store.readStream(auditStream);
  const drawn = audit.find((event) => event.type === 'DataQualitySampleDrawn');
  const period = (drawn?.data as { period?: Period } | undefined)?.period;
  const amendments = period
    ? (await context.store.readStream(streamIds.monthlyReturn(context.tenantId, serviceId, period)))
        .filter((event) => event.type === 'MonthlyReturnAmended')
        .map((event) => ({
          eventId: event.eventId,
          amendmentNumber: (
            event.data as Extract<MonthlyReturnEvent, { type: 'MonthlyReturnAmended' }>['data']
          ).amendmentNumber,
        }))
    : [];
  const findingId = uuidFromParts(context.tenantId, auditId, serviceId);
  const { streamId, events, replayed } = await handleCommand(
    context,
    auditStream,
    dataQualityAuditDecider,
    {
      type: 'RecordAuditFinding',
      data: {
        auditId,
        findingId,
        serviceId,
        finding,
        amendmentEventId: amendmentEventId ?? null,
        amendments,
        checked,
        query: query ?? null,
        recordedBy: context.actor,
        now: context.now,
      },
    },
    { beforeAppend: sealFinding(vault, context) },
  );
  const recorded = events.find((event) => event.type === 'DataQualityFindingRecorded');
  if (!recorded) throw new Error(`${streamId}: no finding recorded`);
  return {
    streamId,
    auditId,
    findingId,
    serviceId,
    period: recorded.data.period,
    finding: recorded.data.finding,
    amendmentEventId: recorded.data.amendmentEventId,
    replayed,
  };
}

function sealFinding(vault: PersonalDataVault, context: CommandContext) {
  return (events: DataQualityAuditEvent[]): Promise<DataQualityAuditEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        if (event.type !== 'DataQualityFindingRecorded' || isSealed(event.data.checked))
          return event;
        const { query } = event.data;
        const sealed = await sealForRecord(vault, context, 'audit-finding', {
          checked: event.data.checked,
          query: typeof query === 'string' ? query : null,
        });
        return { ...event, data: { ...event.data, ...sealed } };
      }),
    );
}
