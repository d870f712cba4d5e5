import { handleCommand, type CommandContext } from '@kpi/command-handling';
import { calendarDecider, PLATFORM_TENANT_ID, streamIds } from '@kpi/domain';

/**
 * Adds a bank holiday (a day proclaimed after the data file was generated). The context is the
 * platform's: tenant `platform` (PLATFORM_TENANT_ID), actor the operator or `system:cli`.
 */
export async function addBankHoliday(
  context: CommandContext,
  input: { date: unknown; name: unknown },
) {
  return handleCommand(platformOnly(context), streamIds.calendar(), calendarDecider, {
    type: 'AddBankHoliday',
    data: { date: input.date, name: input.name, addedBy: context.actor, now: context.now },
  });
}

/** Removes a bank holiday (moved by proclamation, or wrong in the data file). */
export async function removeBankHoliday(
  context: CommandContext,
  input: { date: unknown; reason: unknown },
) {
  return handleCommand(platformOnly(context), streamIds.calendar(), calendarDecider, {
    type: 'RemoveBankHoliday',
    data: { date: input.date, reason: input.reason, removedBy: context.actor, now: context.now },
  });
}

/** The calendar is the platform's: a tenant's context never writes to it, whatever the types say. */
function platformOnly(context: CommandContext): CommandContext {
  if (context.tenantId !== PLATFORM_TENANT_ID) {
    throw new Error(`The bank-holiday calendar is changed as tenant "${PLATFORM_TENANT_ID}" only`);
  }
  return context;
}
