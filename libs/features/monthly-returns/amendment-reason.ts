import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import { isSealed, type MonthlyReturnEvent, type PersonalText } from '@kpi/domain';
import { openedText, type OpenedPersonalData, type PersonalDataVault } from '@kpi/personal-data';

/*
 * An amendment's reason is free text that can name children or staff: it is sealed in the
 * personal-data vault (docs/decisions/0032) under a data subject of its own, one per amendment,
 * so the data-protection officer can erase it by itself. The decider takes it as text; it is
 * sealed between the decision and the append.
 */

/**
 * Seals the reason of a decided amendment (or of a return sent back by its verifier) under a new
 * data subject, with the subject and the ref derived from the command: a retried command (or
 * one decided again after a concurrent writer) seals once. One statement to the vault; a
 * submission seals nothing.
 */
export function sealAmendmentReason(vault: PersonalDataVault, context: CommandContext) {
  return (events: MonthlyReturnEvent[]): Promise<MonthlyReturnEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        if (event.type !== 'MonthlyReturnAmended' && event.type !== 'MonthlyReturnSentBack')
          return event;
        if (isSealed(event.data.reason)) return event;
        const kind = event.type === 'MonthlyReturnAmended' ? 'amendment' : 'sent-back';
        const [reason] = await vault.sealForNewSubject({
          tenantId: context.tenantId,
          subjectId: uuidFromParts(context.commandId, kind),
          plaintexts: [
            {
              ref: uuidFromParts(context.commandId, kind, 'reason'),
              plaintext: event.data.reason,
            },
          ],
        });
        return { ...event, data: { ...event.data, reason: reason! } } as MonthlyReturnEvent;
      }),
    );
}

/** An amendment's reason as read: the text, or `{ erasedOn }`, with its data subject. */
export interface OpenedReason {
  reason: OpenedPersonalData;
  /** Null for an amendment stored before reasons were kept apart: its reason is in the log. */
  dataSubjectId: string | null;
}

/**
 * Opens the reasons of many amendments in one query to the vault: each reason's text (or
 * `{ erasedOn }`), in the order given.
 */
export async function openReasons(
  vault: PersonalDataVault,
  tenantId: string,
  reasons: readonly PersonalText[],
): Promise<OpenedReason[]> {
  const opened = await vault.open(tenantId, reasons.filter(isSealed));
  return reasons.map((reason) => ({
    reason: openedText(reason, opened),
    dataSubjectId: isSealed(reason) ? reason.subjectId : null,
  }));
}
