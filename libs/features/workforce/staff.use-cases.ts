import { isSealed, staffDecider, streamIds, type StaffEvent } from '@kpi/domain';
import {
  type CommandContext,
  handleCommand,
  registeredService,
  uuidFromParts,
} from '@kpi/command-handling';
import type { PersonalDataVault } from '@kpi/personal-data';
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

/**
 * Records that a staff member left: their last day in post and why. The reason can name people:
 * it is sealed into the personal-data vault under the staff member's data subject (their staff
 * id), so erasing them erases it.
 */
export function recordStaffMemberLeft(
  context: CommandContext,
  vault: PersonalDataVault,
  { staffId, leftOn, reason }: RecordStaffMemberLeftInput,
): Promise<StaffOutcome> {
  return handleCommand(
    context,
    streamIds.staff(context.tenantId, staffId),
    staffDecider,
    {
      type: 'RecordStaffMemberLeft',
      data: { staffId, leftOn, reason, recordedBy: context.actor, now: context.now },
    },
    { beforeAppend: sealLeavingReason(vault, context) },
  );
}

/**
 * Seals a leaver's reason under their staff id, with the ref derived from the command: a retried
 * command (or one decided again after a concurrent writer) seals once.
 */
function sealLeavingReason(vault: PersonalDataVault, context: CommandContext) {
  return (events: StaffEvent[]): Promise<StaffEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        if (event.type !== 'StaffMemberLeft' || isSealed(event.data.reason)) return event;
        const { staffId, reason } = event.data;
        const [sealed] = await vault.seal({
          tenantId: context.tenantId,
          subjectId: staffId,
          plaintexts: [
            { ref: uuidFromParts(context.commandId, staffId, 'reason'), plaintext: reason },
          ],
        });
        return { ...event, data: { ...event.data, reason: sealed! } };
      }),
    );
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
