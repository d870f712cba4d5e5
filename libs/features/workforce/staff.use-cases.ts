import { staffDecider, streamIds } from '@kpi/domain';
import { type CommandContext, handleCommand, registeredService } from '@kpi/command-handling';
import type {
  RecordAppraisalInput,
  RecordDbsCheckInput,
  RecordStaffMemberLeftInput,
  RecordTrainingInput,
  RegisterStaffMemberInput,
  StaffOutcome,
} from './workforce.commands';

/**
 * Registers a staff member of one of the tenant's services (404 when the service is not the
 * tenant's). Their `staffId` is the person id supervision records use as `superviseeId`.
 */
export async function registerStaffMember(
  context: CommandContext,
  { staffId, serviceId, role, startedOn, dbsCheckedOn }: RegisterStaffMemberInput,
): Promise<StaffOutcome> {
  await registeredService(context, serviceId);
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RegisterStaffMember',
    data: {
      staffId,
      serviceId,
      role,
      startedOn,
      dbsCheckedOn,
      registeredBy: context.actor,
      now: context.now,
    },
  });
}

/** Records that a staff member left: their last day in post and why. */
export function recordStaffMemberLeft(
  context: CommandContext,
  { staffId, leftOn, reason }: RecordStaffMemberLeftInput,
): Promise<StaffOutcome> {
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordStaffMemberLeft',
    data: { staffId, leftOn, reason, recordedBy: context.actor, now: context.now },
  });
}

/** Records an appraisal of a staff member. */
export function recordAppraisal(
  context: CommandContext,
  { staffId, heldOn, appraiserId }: RecordAppraisalInput,
): Promise<StaffOutcome> {
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordAppraisal',
    data: { staffId, heldOn, appraiserId, recordedBy: context.actor, now: context.now },
  });
}

/** Records a completed course: the Care Certificate or safeguarding training. */
export function recordTraining(
  context: CommandContext,
  { staffId, course, completedOn }: RecordTrainingInput,
): Promise<StaffOutcome> {
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordTraining',
    data: { staffId, course, completedOn, recordedBy: context.actor, now: context.now },
  });
}

/** Records a DBS check (a renewal; the pre-employment check comes with the registration). */
export function recordDbsCheck(
  context: CommandContext,
  { staffId, checkedOn }: RecordDbsCheckInput,
): Promise<StaffOutcome> {
  return handleCommand(context, streamIds.staff(context.tenantId, staffId), staffDecider, {
    type: 'RecordDbsCheck',
    data: { staffId, checkedOn, recordedBy: context.actor, now: context.now },
  });
}
