import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import { isSealed, type ActionEvent, type ActionState, type PersonalText } from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';

/*
 * An action's texts that can name people — its description, progress notes, the reason it was
 * re-dated or cancelled — are sealed in the personal-data vault (docs/decisions/0032) under the
 * action's data subject: the manager, for an action of a capability stage's support plan (so
 * erasing the manager erases them with their capability records), else one of the action's own.
 * The decider checks them as text; they are sealed between the decision and the append.
 */

/**
 * Seals the texts of decided action events, each under a ref derived from the command and the
 * field, so a retried command (or one decided again after a conflict) seals nothing twice.
 */
export function sealActionTexts(vault: PersonalDataVault, context: CommandContext) {
  return (events: ActionEvent[], state: ActionState): Promise<ActionEvent[]> =>
    Promise.all(
      events.map(async (event): Promise<ActionEvent> => {
        const seal = async (field: string, text: PersonalText | null, subjectId: string) => {
          if (text === null || isSealed(text)) return text;
          const [sealed] = await vault.seal({
            tenantId: context.tenantId,
            subjectId,
            plaintexts: [
              {
                ref: uuidFromParts(context.commandId, event.data.actionId, field),
                plaintext: text,
              },
            ],
          });
          return sealed!;
        };
        const subjectId = state.action?.subjectId ?? '';
        switch (event.type) {
          case 'ActionPlanned':
            return {
              ...event,
              data: {
                ...event.data,
                description: await seal(
                  'description',
                  event.data.description,
                  event.data.subjectId,
                ),
              },
            };
          case 'ActionRedated':
            return {
              ...event,
              data: { ...event.data, reason: await seal('reason', event.data.reason, subjectId) },
            };
          case 'ActionCancelled':
            return {
              ...event,
              data: { ...event.data, reason: await seal('reason', event.data.reason, subjectId) },
            };
          case 'ActionProgressNoted':
            return {
              ...event,
              data: { ...event.data, note: (await seal('note', event.data.note, subjectId))! },
            };
          default:
            return event;
        }
      }),
    );
}
