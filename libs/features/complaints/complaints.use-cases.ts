import { complaintDecider, complaintDueDates, complimentDecider, streamIds } from '@kpi/domain';
import {
  handleCommand,
  loadWorkingDayCalendar,
  registeredService,
  uuidFromParts,
  type CommandContext,
  type CommandOutcome,
  type DomainEvent,
} from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
import { sealComplaintTexts, sealComplimentSummary } from './complaint-personal-data';
import type {
  AcknowledgeComplaintInput,
  AcknowledgedComplaint,
  LogComplaintInput,
  LogComplimentInput,
  LoggedComplaint,
  LoggedCompliment,
  RespondedComplaint,
  RespondToComplaintInput,
} from './complaints.commands';

/**
 * Logs a complaint a service received, with its acknowledgement and response due dates worked
 * out on the bank-holiday calendar in force now (and recorded, so they do not move later). The
 * summary and the complainant's name and contact are sealed into the vault under the
 * complainant's key (a new data subject unless the request names one).
 */
export async function logComplaint(
  context: CommandContext,
  vault: PersonalDataVault,
  { serviceId, receivedOn, category, summary, complainant, ...ids }: LogComplaintInput,
): Promise<LoggedComplaint> {
  const complaintId = ids.complaintId ?? uuidFromParts(context.commandId, 'complaint');
  await registeredService(context, serviceId);
  const due = complaintDueDates(await loadWorkingDayCalendar(context.store), receivedOn);
  const outcome = await handleCommand(
    context,
    streamIds.complaint(context.tenantId, complaintId),
    complaintDecider,
    {
      type: 'LogComplaint',
      data: {
        complaintId,
        serviceId,
        receivedOn,
        category,
        summary,
        complainant,
        newSubjectId: uuidFromParts(context.commandId, 'complainant'),
        ...due,
        loggedBy: context.actor,
        now: context.now,
      },
    },
    { beforeAppend: sealComplaintTexts(vault, context) },
  );
  const { data } = eventOf(outcome, 'ComplaintLogged');
  return {
    streamId: outcome.streamId,
    complaintId: data.complaintId,
    dataSubjectId: data.complainant.subjectId!,
    receivedOn: data.receivedOn,
    acknowledgementDueOn: data.acknowledgementDueOn,
    responseDueOn: data.responseDueOn,
    replayed: outcome.replayed,
  };
}

/** Records when the complainant was told the complaint had been received. */
export async function acknowledgeComplaint(
  context: CommandContext,
  { complaintId, acknowledgedOn }: AcknowledgeComplaintInput,
): Promise<AcknowledgedComplaint> {
  const outcome = await handleCommand(
    context,
    streamIds.complaint(context.tenantId, complaintId),
    complaintDecider,
    {
      type: 'AcknowledgeComplaint',
      data: { complaintId, acknowledgedOn, acknowledgedBy: context.actor, now: context.now },
    },
  );
  const { data } = eventOf(outcome, 'ComplaintAcknowledged');
  return {
    streamId: outcome.streamId,
    complaintId: data.complaintId,
    acknowledgedOn: data.acknowledgedOn,
    replayed: outcome.replayed,
  };
}

/**
 * Records the full response, which must say how the complainant can escalate; its text is sealed
 * under the complainant's key.
 */
export async function respondToComplaint(
  context: CommandContext,
  vault: PersonalDataVault,
  { complaintId, respondedOn, summary, escalationRoute, upheld }: RespondToComplaintInput,
): Promise<RespondedComplaint> {
  const outcome = await handleCommand(
    context,
    streamIds.complaint(context.tenantId, complaintId),
    complaintDecider,
    {
      type: 'RespondToComplaint',
      data: {
        complaintId,
        respondedOn,
        summary,
        escalationRoute,
        upheld,
        respondedBy: context.actor,
        now: context.now,
      },
    },
    { beforeAppend: sealComplaintTexts(vault, context) },
  );
  const { data } = eventOf(outcome, 'ComplaintResponded');
  return {
    streamId: outcome.streamId,
    complaintId: data.complaintId,
    respondedOn: data.respondedOn,
    upheld: data.upheld,
    replayed: outcome.replayed,
  };
}

/**
 * Logs a compliment a service received; its summary is sealed into the vault under a new data
 * subject, or the one the request names.
 */
export async function logCompliment(
  context: CommandContext,
  vault: PersonalDataVault,
  { serviceId, receivedOn, summary, subjectId, ...ids }: LogComplimentInput,
): Promise<LoggedCompliment> {
  const complimentId = ids.complimentId ?? uuidFromParts(context.commandId, 'compliment');
  await registeredService(context, serviceId);
  const newSubjectId = uuidFromParts(context.commandId, 'compliment-subject');
  const outcome = await handleCommand(
    context,
    streamIds.compliment(context.tenantId, complimentId),
    complimentDecider,
    {
      type: 'LogCompliment',
      data: {
        complimentId,
        serviceId,
        receivedOn,
        summary,
        subjectId,
        newSubjectId,
        loggedBy: context.actor,
        now: context.now,
      },
    },
    { beforeAppend: sealComplimentSummary(vault, context, newSubjectId) },
  );
  const { data } = eventOf(outcome, 'ComplimentLogged');
  return {
    streamId: outcome.streamId,
    complimentId: data.complimentId,
    // The decider names a subject (given, or new) in every compliment it logs.
    dataSubjectId: data.subjectId!,
    replayed: outcome.replayed,
  };
}

/** The event of `type` the command wrote (or, on a retry, had written). */
function eventOf<Event extends DomainEvent, Type extends Event['type']>(
  { streamId, events }: CommandOutcome<Event>,
  type: Type,
): Extract<Event, { type: Type }> {
  const found = events.find(
    (event): event is Extract<Event, { type: Type }> => event.type === type,
  );
  if (!found) throw new Error(`${streamId}: the command wrote no ${type}`);
  return found;
}
