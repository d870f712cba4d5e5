import {
  complaintDecider,
  complaintDueDates,
  complimentDecider,
  NotFoundError,
  parseCalendarDate,
  serviceDecider,
  streamIds,
} from '@kpi/domain';
import { loadWorkingDayCalendar } from './calendar.use-cases';
import type { CommandContext } from './command-context';
import { entityId } from './entity-ids';
import { handleCommand, loadState, uuidFromParts } from './handle-command';

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
  await checkServiceExists(context, serviceId);
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
  await checkServiceExists(context, serviceId);
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

/** The service must be one of the tenant's: another tenant's is "not found" alike. */
async function checkServiceExists(context: CommandContext, serviceId: string): Promise<void> {
  const service = await loadState(
    context,
    streamIds.service(context.tenantId, serviceId),
    serviceDecider,
  );
  if (service.status !== 'registered') throw new NotFoundError(`No service ${serviceId}`);
}
