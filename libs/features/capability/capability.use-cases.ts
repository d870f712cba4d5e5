import {
  appealTargetOf,
  capabilityCounterDecider,
  firstDayOfMonth,
  InvalidCommandError,
  kpiFrameworkDecider,
  personIdOf,
  runOfTarget,
  serviceDecider,
  streamIds,
  supervisionDecider,
  type CapabilityCounterState,
  type CapabilityItem,
  type CounterRef,
  type Involvement,
  type MonthlyReturnEvent,
  type RegionEvent,
  type SupervisionRecorded,
} from '@kpi/domain';
import {
  type CommandContext,
  entityId,
  handleCommand,
  loadState,
  uuidFromParts,
  registeredService,
} from '@kpi/command-handling';

const INDICATOR_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** Which counter a review or appeal is about: a manager, a home, a KPI. */
export interface CounterInput {
  managerId: unknown;
  serviceId: unknown;
  indicatorCode: unknown;
}

export interface RecordCapabilityReviewInput extends CounterInput {
  heldBy: unknown;
  heldByRole: unknown;
  heldOn: unknown;
  companionOffered: unknown;
  outcome: unknown;
  furtherReviewMonths?: unknown;
  reasons: unknown;
}

/** Records the review of a manager's Stage 3 for a KPI at a home (docs/rules/capability.md). */
export async function recordCapabilityReview(
  context: CommandContext,
  input: RecordCapabilityReviewInput,
) {
  const counter = await counterOf(context, input);
  return handleCommand(
    context,
    streamIds.capability(
      context.tenantId,
      counter.managerId,
      counter.serviceId,
      counter.indicatorCode,
    ),
    capabilityCounterDecider,
    {
      type: 'RecordCapabilityReview',
      data: {
        counter,
        reviewId: uuidFromParts(context.commandId, 'capability-review'),
        heldBy: input.heldBy,
        heldByRole: input.heldByRole,
        heldOn: input.heldOn,
        companionOffered: input.companionOffered,
        outcome: input.outcome,
        furtherReviewMonths: input.furtherReviewMonths,
        reasons: input.reasons,
        recordedBy: context.actor,
        now: context.now,
      },
    },
  );
}

export interface RecordCapabilityAppealInput extends CounterInput {
  against: unknown;
  heardBy: unknown;
  heardOn: unknown;
  outcome: unknown;
  reasons: unknown;
}

/**
 * Records an appeal against a formal stage or a review outcome. Whoever hears it must not have
 * been involved in the case: the decider checks the counter's own stream (the manager, the
 * returns counted, reviews, earlier appeals); this finds the rest — the supervisors who
 * discussed the KPI with the manager during the run, the region's regional managers, and
 * everyone who submitted or amended a return the run counted.
 */
export async function recordCapabilityAppeal(
  context: CommandContext,
  input: RecordCapabilityAppealInput,
) {
  const counter = await counterOf(context, input);
  const streamId = streamIds.capability(
    context.tenantId,
    counter.managerId,
    counter.serviceId,
    counter.indicatorCode,
  );
  const state = await loadState(context, streamId, capabilityCounterDecider);
  const involvedElsewhere: Involvement[] = [];
  if (state.counter) {
    const runStart = runOfTarget(state, appealTargetOf(state, input.against));
    involvedElsewhere.push(
      ...(await involvementOutsideTheCounter(context, state.counter, runStart, state)),
    );
  }
  return handleCommand(context, streamId, capabilityCounterDecider, {
    type: 'RecordCapabilityAppeal',
    data: {
      counter,
      appealId: uuidFromParts(context.commandId, 'capability-appeal'),
      against: input.against,
      heardBy: input.heardBy,
      heardOn: input.heardOn,
      outcome: input.outcome,
      reasons: input.reasons,
      involvedElsewhere,
      recordedBy: context.actor,
      now: context.now,
    },
  });
}

async function involvementOutsideTheCounter(
  context: CommandContext,
  counter: CounterRef,
  runStart: string,
  state: CapabilityCounterState,
): Promise<Involvement[]> {
  const involved: Involvement[] = [];
  const periods = [
    ...new Set(
      Object.values(state.records)
        .filter((record) => record.data.runStart === runStart)
        .flatMap((record) =>
          record.type === 'CapabilityStageEntered'
            ? record.data.months.map((m) => m.period)
            : record.type === 'CapabilityMissCounted'
              ? [record.data.period]
              : [],
        ),
    ),
  ];
  const supervisionStream = streamIds.supervision(context.tenantId, counter.managerId);
  const regionStream = streamIds.region(context.tenantId, counter.regionId);
  const returnStreams = periods.map((p) =>
    streamIds.monthlyReturn(context.tenantId, counter.serviceId, p),
  );
  const streams = await context.store.readStreams([
    supervisionStream,
    regionStream,
    ...returnStreams,
  ]);

  for (const event of streams.get(supervisionStream) ?? []) {
    const data = (event as unknown as SupervisionRecorded).data;
    const discussed = data.capabilityItems.some(
      (item) =>
        item.serviceId === counter.serviceId && item.indicatorCode === counter.indicatorCode,
    );
    if (discussed && data.date >= firstDayOfMonth(runStart)) {
      involved.push({
        personId: data.supervisorId,
        how: `discussed ${counter.indicatorCode} with ${counter.managerId} in supervision on ${data.date}`,
      });
    }
  }
  for (const event of streams.get(regionStream) ?? []) {
    const region = { type: event.type, data: event.data } as RegionEvent;
    involved.push({
      personId: region.data.regionalManagerId,
      how: `is or was the regional manager (line manager) of ${counter.regionId}`,
    });
  }
  for (const streamId of returnStreams) {
    for (const event of streams.get(streamId) ?? []) {
      const returned = { type: event.type, data: event.data } as MonthlyReturnEvent;
      const by =
        returned.type === 'MonthlyReturnSubmitted'
          ? returned.data.submittedBy
          : returned.data.amendedBy;
      involved.push({
        personId: personIdOf(by),
        how: `${returned.type === 'MonthlyReturnSubmitted' ? 'submitted' : 'amended'} the ${returned.data.period} return counted in the case`,
      });
    }
  }
  return involved;
}

/** Checks the counter named in a request; the home must be one of the tenant's (else 404). */
async function counterOf(context: CommandContext, input: CounterInput) {
  const managerId = entityId(input.managerId, 'managerId');
  const serviceId = entityId(input.serviceId, 'serviceId');
  const indicatorCode = input.indicatorCode;
  if (typeof indicatorCode !== 'string' || !INDICATOR_CODE.test(indicatorCode)) {
    throw InvalidCommandError.of('indicatorCode', 'must be an indicator code such as EDU');
  }
  await registeredService(context, serviceId);
  return { managerId, serviceId, indicatorCode };
}

export interface RecordSupervisionInput {
  superviseeId: unknown;
  supervisorId: unknown;
  date: unknown;
  kind: unknown;
  capabilityItems?: unknown;
}

/**
 * Records a supervision session. Each capability item must name one of the tenant's homes and
 * an indicator of that home's framework, so the timeline can show the stage as addressed.
 */
export async function recordSupervision(context: CommandContext, input: RecordSupervisionInput) {
  const superviseeId = entityId(input.superviseeId, 'superviseeId');
  await checkCapabilityItems(context, input.capabilityItems);
  return handleCommand(
    context,
    streamIds.supervision(context.tenantId, superviseeId),
    supervisionDecider,
    {
      type: 'RecordSupervision',
      data: {
        supervisionId: uuidFromParts(context.commandId, 'supervision'),
        superviseeId,
        supervisorId: input.supervisorId,
        date: input.date,
        kind: input.kind,
        capabilityItems: input.capabilityItems,
        recordedBy: context.actor,
        now: context.now,
      },
    },
  );
}

async function checkCapabilityItems(context: CommandContext, raw: unknown): Promise<void> {
  if (!Array.isArray(raw)) return; // the decider names a malformed list
  const items = raw as Partial<CapabilityItem>[];
  const serviceIds = [
    ...new Set(items.map((i) => i?.serviceId).filter((id): id is string => typeof id === 'string')),
  ];
  const codesOf = new Map<string, Set<string> | null>();
  for (const serviceId of serviceIds) {
    try {
      entityId(serviceId, 'serviceId');
    } catch {
      continue; // malformed: the decider names it
    }
    const service = await loadState(
      context,
      streamIds.service(context.tenantId, serviceId),
      serviceDecider,
    );
    if (service.status !== 'registered') {
      codesOf.set(serviceId, null);
      continue;
    }
    const framework = await loadState(
      context,
      streamIds.kpiFramework(context.tenantId, service.frameworkId),
      kpiFrameworkDecider,
    );
    codesOf.set(
      serviceId,
      new Set(framework.versions.flatMap((v) => v.indicators.map((i) => i.code))),
    );
  }
  const problems = items.flatMap((item, index) => {
    const codes = typeof item?.serviceId === 'string' ? codesOf.get(item.serviceId) : undefined;
    if (codes === null)
      return [
        {
          field: `capabilityItems[${index}].serviceId`,
          reason: `is not a service of this organisation`,
        },
      ];
    if (codes && typeof item.indicatorCode === 'string' && !codes.has(item.indicatorCode))
      return [
        {
          field: `capabilityItems[${index}].indicatorCode`,
          reason: `is not an indicator of ${item.serviceId}'s framework`,
        },
      ];
    return [];
  });
  if (problems.length > 0) throw new InvalidCommandError(problems);
}
