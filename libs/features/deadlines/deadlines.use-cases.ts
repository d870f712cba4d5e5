import {
  actionDecider,
  collectedMonthsInWords,
  deadlineDecider,
  isCollectedIn,
  kpiFrameworkDecider,
  regionDecider,
  riskDecider,
  whyRiskReviewIsNotOwed,
  serviceDecider,
  versionInForce,
  whyActionDeadlineIsNotOwed,
  isWorkFor,
  STAFF_DEADLINE_KINDS,
  streamIds,
  workRecordedBy,
  type Deadline,
  type WorkDone,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import { type CommandContext, handleCommand, loadState } from '@kpi/command-handling';

/**
 * What the deadline jobs do when they fire (libs/scheduling): each issues one idempotent
 * command on the deadline's own stream, after looking up whether the work has been done.
 */

/** Sends a reminder unless the work is done (or it was sent already). */
export async function sendDeadlineReminder(
  context: CommandContext,
  deadline: Deadline,
  reminder: string,
) {
  const { work } = await workTowards(context, deadline);
  return handleCommand(
    context,
    streamIds.deadline(context.tenantId, deadline.key),
    deadlineDecider,
    {
      type: 'SendDeadlineReminder',
      data: {
        deadline,
        reminder,
        to: await whoIsTold(context, deadline),
        work,
        ...(await notOwed(context, deadline)),
        now: context.now,
      },
    },
  );
}

/** Judges a deadline that has passed: met, missed or cancelled, once. */
export async function closeDeadline(context: CommandContext, deadline: Deadline) {
  const { work, leftOn } = await workTowards(context, deadline);
  return handleCommand(
    context,
    streamIds.deadline(context.tenantId, deadline.key),
    deadlineDecider,
    {
      type: 'CloseDeadline',
      data: {
        deadline,
        work,
        leftOn,
        to: await whoIsTold(context, deadline),
        ...(await notOwed(context, deadline)),
        now: context.now,
      },
    },
  );
}

/** The streams holding the work of a deadline (and, for staff, whether they left). */
function subjectStreams(tenantId: string, deadline: Deadline): string[] {
  switch (deadline.kind) {
    case 'monthly-return':
      return [streamIds.monthlyReturn(tenantId, deadline.serviceId, deadline.period!)];
    case 'complaint-acknowledgement':
    case 'complaint-response':
      return [streamIds.complaint(tenantId, deadline.subjectId)];
    case 'supervision':
      return [
        streamIds.supervision(tenantId, deadline.subjectId),
        streamIds.staff(tenantId, deadline.subjectId),
      ];
    case 'action':
      return [streamIds.action(tenantId, deadline.subjectId)];
    case 'risk-review':
      return [streamIds.risk(tenantId, deadline.subjectId)];
    default:
      return [streamIds.staff(tenantId, deadline.subjectId)];
  }
}

async function workTowards(
  context: CommandContext,
  deadline: Deadline,
): Promise<{ work: WorkDone[]; leftOn: string | null }> {
  const streams = await context.store.readStreams(subjectStreams(context.tenantId, deadline));
  const events: RecordedEvent[] = [...streams.values()].flat();
  const work = events.flatMap((event) =>
    workRecordedBy(event)
      .filter((w) => isWorkFor(deadline, w, event))
      .map((w) => ({ on: w.on, eventId: event.eventId })),
  );
  const left = STAFF_DEADLINE_KINDS.includes(deadline.kind)
    ? events.find((event) => event.type === 'StaffMemberLeft')
    : undefined;
  return { work, leftOn: left ? (left.data as { leftOn: string }).leftOn : null };
}

/**
 * Why a return deadline is owed nothing: its month is not collected by the version of the
 * service's framework in force that month (docs/decisions/0023-returns-owed-by-collection.md).
 * Judged when the job fires, so a version published since counts. Other deadlines: owed.
 */
async function notOwed(context: CommandContext, deadline: Deadline): Promise<{ notOwed?: string }> {
  if (deadline.kind === 'action') {
    // A re-dated action owes its new date, not the old; a cancelled one owes nothing.
    const { action } = await loadState(
      context,
      streamIds.action(context.tenantId, deadline.subjectId),
      actionDecider,
    );
    const why = action && whyActionDeadlineIsNotOwed(action, deadline.dueOn);
    return why ? { notOwed: why } : {};
  }
  if (deadline.kind === 'risk-review') {
    // A closed risk is reviewed no more.
    const { risk } = await loadState(
      context,
      streamIds.risk(context.tenantId, deadline.subjectId),
      riskDecider,
    );
    const why = risk && whyRiskReviewIsNotOwed(risk, deadline.dueOn);
    return why ? { notOwed: why } : {};
  }
  if (deadline.kind !== 'monthly-return' || deadline.period === null) return {};
  const service = await loadState(
    context,
    streamIds.service(context.tenantId, deadline.serviceId),
    serviceDecider,
  );
  if (service.status !== 'registered') return {};
  const framework = await loadState(
    context,
    streamIds.kpiFramework(context.tenantId, service.frameworkId),
    kpiFrameworkDecider,
  );
  const version = versionInForce(framework, deadline.period);
  if (!version || isCollectedIn(version, deadline.period)) return {};
  return {
    notOwed: `${version.frameworkId} version ${version.version} does not collect ${deadline.period}: it collects ${collectedMonthsInWords(version)}`,
  };
}

/**
 * Who is told of a return's reminders and of its being overdue: the region's regional manager
 * (docs/rules/monthly-returns.md#late-and-overdue); of an action's or a risk review's, its
 * owner now (an account id). Other deadlines are listed per service, not sent.
 */
async function whoIsTold(context: CommandContext, deadline: Deadline): Promise<string | null> {
  if (deadline.kind === 'action') {
    const { action } = await loadState(
      context,
      streamIds.action(context.tenantId, deadline.subjectId),
      actionDecider,
    );
    return action?.owner ?? null;
  }
  if (deadline.kind === 'risk-review') {
    const { risk } = await loadState(
      context,
      streamIds.risk(context.tenantId, deadline.subjectId),
      riskDecider,
    );
    return risk?.owner ?? null;
  }
  if (deadline.regionId === null) return null;
  const region = await loadState(
    context,
    streamIds.region(context.tenantId, deadline.regionId),
    regionDecider,
  );
  return region.status === 'registered' ? region.regionalManagerId : null;
}
