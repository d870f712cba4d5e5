import { handleCommand, type CommandContext } from '@kpi/command-handling';
import { calendarDecider, PLATFORM_TENANT_ID, streamIds } from '@kpi/domain';
import type {
  AddBankHolidayInput,
  CalendarOutcome,
  RemoveBankHolidayInput,
} from './calendar.commands';

/**
 * Adds a bank holiday (a day proclaimed after the data file was generated). The context is the
 * platform's: tenant `platform` (PLATFORM_TENANT_ID), actor the operator or `system:cli`.
 */
export async function addBankHoliday(
  context: CommandContext,
  { date, name }: AddBankHolidayInput,
): Promise<CalendarOutcome> {
  return handleCommand(platformOnly(context), streamIds.calendar(), calendarDecider, {
    type: 'AddBankHoliday',
    data: { date, name, addedBy: context.actor, now: context.now },
  });
}

/** Removes a bank holiday (moved by proclamation, or wrong in the data file). */
export async function removeBankHoliday(
  context: CommandContext,
  { date, reason }: RemoveBankHolidayInput,
): Promise<CalendarOutcome> {
  return handleCommand(platformOnly(context), streamIds.calendar(), calendarDecider, {
    type: 'RemoveBankHoliday',
    data: { date, reason, removedBy: context.actor, now: context.now },
  });
}

/** The calendar is the platform's: a tenant's context never writes to it, whatever the types say. */
function platformOnly(context: CommandContext): CommandContext {
  if (context.tenantId !== PLATFORM_TENANT_ID) {
    throw new Error(`The bank-holiday calendar is changed as tenant "${PLATFORM_TENANT_ID}" only`);
  }
  return context;
}
