import { handleCommand, registeredService, type CommandContext } from '@kpi/command-handling';
import { commentaryDecider, isSealed, streamIds, type CommentaryEvent } from '@kpi/domain';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { WriteIndicatorCommentaryInput, WrittenCommentary } from './commentary.commands';
import { sealForRecord } from './sealed-texts';

/** The scope part of a commentary's stream id: the service, or the organisation as a whole. */
export const commentaryScope = (serviceId: string | null): string => serviceId ?? '_organisation';

/** A period as a stream id holds it: `2026-09`, or `2026-27-q1` for `2026-27 Q1`. */
export const commentaryPeriodKey = (period: string): string =>
  period.replace(' ', '-').toLowerCase();

/**
 * Writes the commentary on an indicator's period, or revises it (a new version; the earlier ones
 * stay in the stream). The service must be the tenant's (404 otherwise, like one that does not
 * exist). Both texts are sealed in the personal-data vault under a data subject of their own.
 */
export async function writeIndicatorCommentary(
  context: CommandContext,
  vault: PersonalDataVault,
  input: WriteIndicatorCommentaryInput,
): Promise<WrittenCommentary> {
  const { serviceId, indicatorCode, period } = input;
  if (serviceId !== null) await registeredService(context, serviceId);
  const { streamId, state, replayed } = await handleCommand(
    context,
    streamIds.commentary(
      context.tenantId,
      commentaryScope(serviceId),
      indicatorCode,
      commentaryPeriodKey(period),
    ),
    commentaryDecider,
    {
      type: 'WriteIndicatorCommentary',
      data: { ...input, writtenBy: context.actor, now: context.now },
    },
    { beforeAppend: sealCommentary(vault, context) },
  );
  return { streamId, serviceId, indicatorCode, period, version: state.versions, replayed };
}

function sealCommentary(vault: PersonalDataVault, context: CommandContext) {
  return (events: CommentaryEvent[]): Promise<CommentaryEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        const { whatHappened, whatIsBeingDone } = event.data;
        if (isSealed(whatHappened) || isSealed(whatIsBeingDone)) return event;
        const sealed = await sealForRecord(vault, context, 'commentary', {
          whatHappened,
          whatIsBeingDone,
        });
        return { ...event, data: { ...event.data, ...sealed } };
      }),
    );
}
