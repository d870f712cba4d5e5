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
  type CounterRef,
  type Involvement,
  type MonthlyReturnEvent,
  type RegionEvent,
  type SupervisionRecorded,
} from '@kpi/domain';
import {
  handleCommand,
  loadState,
  registeredService,
  isEntityId,
  uuidFromParts,
  type CommandContext,
  type CommandOutcome,
} from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
import { sealCapabilityReasons } from './capability-reasons';
import type {
  AppealRecorded,
  CapabilityItemInput,
  CounterInput,
  RecordCapabilityAppealInput,
  RecordCapabilityReviewInput,
  RecordSupervisionInput,
  ReviewRecorded,
  SupervisionRecordedResult,
} from './capability.commands';

/**
 * Records the review of a manager's Stage 3 for a KPI at a home (docs/rules/capability.md); its
 * reasons are sealed under the manager's key.
 */
export async function recordCapabilityReview(
  context: CommandContext,
  vault: PersonalDataVault,
  input: RecordCapabilityReviewInput,
): Promise<ReviewRecorded> {
  const counter = await counterOf(context, input);
  const outcome = await handleCommand(
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
    { beforeAppend: sealCapabilityReasons(vault, context) },
  );
  const { data } = onlyEvent(outcome, 'CapabilityReviewRecorded');
  return {
    ...recorded(outcome),
    reviewId: data.reviewId,
    entryId: data.entryId,
    outcome: data.outcome,
    nextReviewDue: data.nextReviewDue,
  };
}

/**
 * Records an appeal against a formal stage or a review outcome. Whoever hears it must not have
 * been involved in the case: the decider checks the counter's own stream (the manager, the
 * returns counted, reviews, earlier appeals); this finds the rest — the supervisors who
 * discussed the KPI with the manager during the run, the region's regional managers, and
 * everyone who submitted or amended a return the run counted. Its reasons are sealed under the
 * manager's key.
 */
export async function recordCapabilityAppeal(
  context: CommandContext,
  vault: PersonalDataVault,
  input: RecordCapabilityAppealInput,
): Promise<AppealRecorded> {
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
  const outcome = await handleCommand(
    context,
    streamId,
    capabilityCounterDecider,
    {
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
    },
    { beforeAppend: sealCapabilityReasons(vault, context) },
  );
  const { data } = onlyEvent(outcome, 'CapabilityAppealRecorded');
  return { ...recorded(outcome), appealId: data.appealId, against: data.against };
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
      const [by, did] = whoAndWhat(returned);
      involved.push({
        personId: personIdOf(by),
        how: `${did} the ${returned.data.period} return counted in the case`,
      });
    }
  }
  return involved;
}

/** Who acted on a return, and what they did: gave its figures, or signed them off (0037). */
function whoAndWhat(event: MonthlyReturnEvent): [string, string] {
  switch (event.type) {
    case 'MonthlyReturnSubmitted':
      return [event.data.submittedBy, 'submitted'];
    case 'MonthlyReturnAmended':
      return [event.data.amendedBy, 'amended'];
    case 'MonthlyReturnVerified':
      return [event.data.verifiedBy, 'verified'];
    case 'MonthlyReturnSentBack':
      return [event.data.sentBackBy, 'sent back'];
    case 'MonthlyReturnPublished':
      return [event.data.publishedBy, 'published'];
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** The counter named in a request (parsed at the edge); the home must be the tenant's (else 404). */
async function counterOf(context: CommandContext, input: CounterInput) {
  const { managerId, serviceId, indicatorCode } = input;
  await registeredService(context, serviceId);
  return { managerId, serviceId, indicatorCode };
}

/**
 * Records a supervision session. Each capability item must name one of the tenant's homes and
 * an indicator of that home's framework, so the timeline can show the stage as addressed.
 */
export async function recordSupervision(
  context: CommandContext,
  input: RecordSupervisionInput,
): Promise<SupervisionRecordedResult> {
  const { superviseeId } = input;
  await checkCapabilityItems(context, input.capabilityItems);
  const outcome = await handleCommand(
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
  const { data } = onlyEvent(outcome, 'SupervisionRecorded');
  return { ...recorded(outcome), supervisionId: data.supervisionId };
}

/** What every recorded command answers: where, whether a retry, and the events' places. */
function recorded({
  streamId,
  replayed,
  appended,
}: CommandOutcome<{ type: string; data: object }, unknown>) {
  return { streamId, replayed, appended };
}

/** The one event a recording command writes, of the type it writes (else a defect). */
function onlyEvent<Event extends { type: string }, Type extends Event['type']>(
  { streamId, events }: CommandOutcome<Event & { data: object }, unknown>,
  type: Type,
): Extract<Event, { type: Type }> {
  const [event] = events;
  if (events.length !== 1 || !isOfType(event, type))
    throw new Error(
      `${streamId}: expected one ${type}, got ${events.map((e) => e.type).join(', ')}`,
    );
  return event;
}

function isOfType<Event extends { type: string }, Type extends Event['type']>(
  event: Event | undefined,
  type: Type,
): event is Extract<Event, { type: Type }> {
  return event?.type === type;
}

async function checkCapabilityItems(
  context: CommandContext,
  items: readonly CapabilityItemInput[] | undefined,
): Promise<void> {
  if (items === undefined) return;
  const serviceIds = [
    ...new Set(items.map((i) => i?.serviceId).filter((id): id is string => typeof id === 'string')),
  ];
  const codesOf = new Map<string, Set<string> | null>();
  for (const serviceId of serviceIds) {
    if (!isEntityId(serviceId)) continue; // malformed: the decider names it
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
