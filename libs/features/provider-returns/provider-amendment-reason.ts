import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import {
  isSealed,
  type PersonalText,
  type ProviderCapacityReturnEvent,
  type ProviderQuarterlyReturnEvent,
} from '@kpi/domain';
import type { OpenedPersonalData, PersonalDataVault } from '@kpi/personal-data';

/*
 * A provider's amendment reason is free text that can name care workers or the people they
 * care for: it is sealed in the personal-data vault (docs/decisions/0032) under a data subject
 * of its own, one per amendment, in the council's tenant (whose record the return is), as a
 * monthly return's amendment reason is. The decider takes it as text; it is sealed between the
 * decision and the append.
 */

type ProviderReturnEvent = ProviderCapacityReturnEvent | ProviderQuarterlyReturnEvent;

/**
 * Seals the reason of a decided amendment under a new data subject, the subject and the ref
 * derived from the command (a retried command seals once). `context` is the council's (the
 * tenant the return is written to). A submission seals nothing.
 */
export function sealProviderAmendmentReason<Event extends ProviderReturnEvent>(
  vault: PersonalDataVault,
  context: CommandContext,
) {
  return (events: Event[]): Promise<Event[]> =>
    Promise.all(
      events.map(async (event): Promise<Event> => {
        if (!('reason' in event.data) || isSealed(event.data.reason)) return event;
        const [reason] = await vault.sealForNewSubject({
          tenantId: context.tenantId,
          subjectId: uuidFromParts(context.commandId, 'provider-amendment'),
          plaintexts: [
            {
              ref: uuidFromParts(context.commandId, 'provider-amendment', 'reason'),
              plaintext: event.data.reason,
            },
          ],
        });
        return { ...event, data: { ...event.data, reason: reason! } };
      }),
    );
}

/**
 * Opens the last amendment reasons of many rows in one query to the vault (the council's
 * tenant): each reason by its ref, to give to {@link openedReasonOf}.
 */
export function openAmendmentReasons(
  vault: PersonalDataVault,
  councilId: string,
  reasons: readonly (PersonalText | null)[],
): Promise<Map<string, OpenedPersonalData>> {
  return vault.open(
    councilId,
    reasons.filter((reason) => isSealed(reason)),
  );
}
