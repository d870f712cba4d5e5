import {
  complaintDecider,
  complaintDueDates,
  complimentDecider,
  parseCalendarDate,
  streamIds,
} from '@kpi/domain';
import {
  loadWorkingDayCalendar,
  type CommandContext,
  entityId,
  handleCommand,
  uuidFromParts,
  registeredService,
} from '@kpi/command-handling';

export interface LogComplaintInput {
  /** Optional: by default derived from the command id, so a retried request logs it once. */
  complaintId?: unknown;
  serviceId: unknown;
  receivedOn: unknown;
  category: unknown;
  summary: unknown;
  complainant?: unknown;
}

/**
 * Logs a complaint a service received, with its acknowledgement and response due dates worked
 * out on the bank-holiday calendar in force now (and recorded, so they do not move later).
 */
export async function logComplaint(context: CommandContext, input: LogComplaintInput) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const complaintId =
    input.complaintId === undefined || input.complaintId === null
      ? uuidFromParts(context.commandId, 'complaint')
      : entityId(input.complaintId, 'complaintId');
  const receivedOn = parseCalendarDate(input.receivedOn, 'receivedOn');
  await registeredService(context, serviceId);
  const due = complaintDueDates(await loadWorkingDayCalendar(context.store), receivedOn);
  return handleCommand(
    context,
    streamIds.complaint(context.tenantId, complaintId),
    complaintDecider,
    {
      type: 'LogComplaint',
      data: {
        complaintId,
        serviceId,
        receivedOn,
        category: input.category,
        summary: input.summary,
        complainant: input.complainant,
        ...due,
        loggedBy: context.actor,
        now: context.now,
      },
    },
  );
}

/** Records when the complainant was told the complaint had been received. */
export function acknowledgeComplaint(
  context: CommandContext,
  input: { complaintId: unknown; acknowledgedOn: unknown },
) {
  const complaintId = entityId(input.complaintId, 'complaintId');
  return handleCommand(
    context,
    streamIds.complaint(context.tenantId, complaintId),
    complaintDecider,
    {
      type: 'AcknowledgeComplaint',
      data: {
        complaintId,
        acknowledgedOn: input.acknowledgedOn,
        acknowledgedBy: context.actor,
        now: context.now,
      },
    },
  );
}

export interface RespondToComplaintInput {
  complaintId: unknown;
  respondedOn: unknown;
  summary: unknown;
  escalationRoute: unknown;
  upheld: unknown;
}

/** Records the full response, which must say how the complainant can escalate. */
export function respondToComplaint(context: CommandContext, input: RespondToComplaintInput) {
  const complaintId = entityId(input.complaintId, 'complaintId');
  return handleCommand(
    context,
    streamIds.complaint(context.tenantId, complaintId),
    complaintDecider,
    {
      type: 'RespondToComplaint',
      data: {
        complaintId,
        respondedOn: input.respondedOn,
        summary: input.summary,
        escalationRoute: input.escalationRoute,
        upheld: input.upheld,
        respondedBy: context.actor,
        now: context.now,
      },
    },
  );
}

export interface LogComplimentInput {
  complimentId?: unknown;
  serviceId: unknown;
  receivedOn: unknown;
  summary: unknown;
}

/** Logs a compliment a service received. */
export async function logCompliment(context: CommandContext, input: LogComplimentInput) {
  const serviceId = entityId(input.serviceId, 'serviceId');
  const complimentId =
    input.complimentId === undefined || input.complimentId === null
      ? uuidFromParts(context.commandId, 'compliment')
      : entityId(input.complimentId, 'complimentId');
  await registeredService(context, serviceId);
  return handleCommand(
    context,
    streamIds.compliment(context.tenantId, complimentId),
    complimentDecider,
    {
      type: 'LogCompliment',
      data: {
        complimentId,
        serviceId,
        receivedOn: input.receivedOn,
        summary: input.summary,
        loggedBy: context.actor,
        now: context.now,
      },
    },
  );
}
