import { staffDecider, streamIds } from '@kpi/domain';
import {
  type CommandContext,
  entityId,
  handleCommand,
  registeredService,
} from '@kpi/command-handling';

export interface RegisterStaffMemberInput {
  staffId: unknown;
  serviceId: unknown;
  role: unknown;
  startedOn: unknown;
  dbsCheckedOn?: unknown;
}

/**
 * Registers a staff member of one of the tenant's services (404 when the service is not the
 * tenant's). Their `staffId` is the person id supervision records use as `superviseeId`.
 */
export async function registerStaffMember(
  context: CommandContext,
  input: RegisterStaffMemberInput,
) {
  const staffId = entityId(input.staffId, 'staffId');
  const serviceId = entityId(input.serviceId, 'serviceId');
  await registeredService(context, serviceId);
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RegisterStaffMember',
    data: {
      staffId,
      serviceId,
      role: input.role,
      startedOn: input.startedOn,
      dbsCheckedOn: input.dbsCheckedOn,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

/** Records that a staff member left: their last day in post and why. */
export function recordStaffMemberLeft(
  context: CommandContext,
  input: { staffId: unknown; leftOn: unknown; reason: unknown },
) {
  const staffId = entityId(input.staffId, 'staffId');
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordStaffMemberLeft',
    data: {
      staffId,
      leftOn: input.leftOn,
      reason: input.reason,
      recordedBy: context.actor,
      now: context.now,
    },
  });
}

/** Records an appraisal of a staff member. */
export function recordAppraisal(
  context: CommandContext,
  input: { staffId: unknown; heldOn: unknown; appraiserId: unknown },
) {
  const staffId = entityId(input.staffId, 'staffId');
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordAppraisal',
    data: {
      staffId,
      heldOn: input.heldOn,
      appraiserId: input.appraiserId,
      recordedBy: context.actor,
      now: context.now,
    },
  });
}

/** Records a completed course: the Care Certificate or safeguarding training. */
export function recordTraining(
  context: CommandContext,
  input: { staffId: unknown; course: unknown; completedOn: unknown },
) {
  const staffId = entityId(input.staffId, 'staffId');
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordTraining',
    data: {
      staffId,
      course: input.course,
      completedOn: input.completedOn,
      recordedBy: context.actor,
      now: context.now,
    },
  });
}

/** Records a DBS check (a renewal; the pre-employment check comes with the registration). */
export function recordDbsCheck(
  context: CommandContext,
  input: { staffId: unknown; checkedOn: unknown },
) {
  const staffId = entityId(input.staffId, 'staffId');
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordDbsCheck',
    data: { staffId, checkedOn: input.checkedOn, recordedBy: context.actor, now: context.now },
  });
}
