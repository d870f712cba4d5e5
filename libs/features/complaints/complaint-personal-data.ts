import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import {
  isSealed,
  type ComplaintEvent,
  type ComplaintLogged,
  type ComplaintResponded,
  type ComplaintState,
  type ComplimentEvent,
  type PersonalText,
} from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';

/*
 * The texts of a complaint that can name people — its summary, the complainant's name and
 * contact, the response — are stored sealed in the personal-data vault under the complainant's
 * key (docs/decisions/0032); the events keep references. A compliment's summary likewise, under
 * a data subject of its own. The decider checks them as text; they are sealed between the
 * decision and the append.
 */

/**
 * Seals the texts of a complaint's decided events, each under a ref derived from the command
 * and the field, so a retried command (or one decided again after a conflict) seals nothing
 * twice. A complaint logged before personal data was kept apart has no data subject: its
 * response is sealed under one derived from the complaint.
 */
export function sealComplaintTexts(vault: PersonalDataVault, context: CommandContext) {
  return (events: ComplaintEvent[], state: ComplaintState): Promise<ComplaintEvent[]> =>
    Promise.all(
      events.map((event) => {
        switch (event.type) {
          case 'ComplaintLogged':
            return sealLogged(vault, context, event);
          case 'ComplaintResponded':
            return sealResponse(vault, context, event, state);
          case 'ComplaintAcknowledged':
            return event;
          default: {
            const unexpected: never = event;
            return unexpected;
          }
        }
      }),
    );
}

async function sealLogged(
  vault: PersonalDataVault,
  context: CommandContext,
  event: ComplaintLogged,
): Promise<ComplaintLogged> {
  const { complaintId, summary, complainant } = event.data;
  const [sealedSummary, name, contact] = await sealTexts(
    vault,
    context,
    // The decider names the complainant's subject (given, or new) in every complaint it logs.
    complainant.subjectId!,
    complaintId,
    [
      ['summary', summary],
      ['complainant.name', complainant.name],
      ['complainant.contact', complainant.contact],
    ],
  );
  return {
    ...event,
    data: {
      ...event.data,
      summary: sealedSummary!,
      complainant: { ...complainant, name: name ?? null, contact: contact ?? null },
    },
  };
}

async function sealResponse(
  vault: PersonalDataVault,
  context: CommandContext,
  event: ComplaintResponded,
  state: ComplaintState,
): Promise<ComplaintResponded> {
  const { complaintId, summary } = event.data;
  const subjectId = state.complaint?.subjectId ?? legacySubjectOf(context.tenantId, complaintId);
  const [sealed] = await sealTexts(vault, context, subjectId, complaintId, [
    ['response.summary', summary],
  ]);
  return { ...event, data: { ...event.data, summary: sealed! } };
}

/**
 * Seals a compliment's summary under its data subject, with the ref derived from the command: a
 * new subject (made in the same statement as the text) unless the request named one.
 */
export function sealComplimentSummary(
  vault: PersonalDataVault,
  context: CommandContext,
  newSubjectId: string,
) {
  return (events: ComplimentEvent[]): Promise<ComplimentEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        const { complimentId, subjectId, summary } = event.data;
        if (isSealed(summary)) return event;
        const input = {
          tenantId: context.tenantId,
          subjectId: subjectId!,
          plaintexts: [
            { ref: uuidFromParts(context.commandId, complimentId, 'summary'), plaintext: summary },
          ],
        };
        const [sealed] = await (subjectId === newSubjectId
          ? vault.sealForNewSubject(input)
          : vault.seal(input));
        return { ...event, data: { ...event.data, summary: sealed! } };
      }),
    );
}

/** Seals each text not sealed yet (in one go); answers them in order, null for none. */
async function sealTexts(
  vault: PersonalDataVault,
  context: CommandContext,
  subjectId: string,
  complaintId: string,
  texts: [field: string, text: PersonalText | null][],
): Promise<(PersonalText | null)[]> {
  const toSeal = texts.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  const sealed = await vault.seal({
    tenantId: context.tenantId,
    subjectId,
    plaintexts: toSeal.map(([field, plaintext]) => ({
      ref: uuidFromParts(context.commandId, complaintId, field),
      plaintext,
    })),
  });
  const byField = new Map(toSeal.map(([field], index) => [field, sealed[index]!]));
  return texts.map(([field, text]) =>
    text === null || isSealed(text) ? text : byField.get(field)!,
  );
}

/** The data subject of a complaint logged before personal data was kept apart (it has none). */
function legacySubjectOf(tenantId: string, complaintId: string): string {
  return uuidFromParts(tenantId, complaintId, 'complainant');
}
