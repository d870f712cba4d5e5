import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import {
  isSealed,
  streamIds,
  type CapabilityAppealRecorded,
  type CapabilityEvent,
  type CapabilityReviewRecorded,
  type SealedPersonalData,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { openedText, type OpenedPersonalData, type PersonalDataVault } from '@kpi/personal-data';
import type { QueryReading } from '@kpi/projections';
import type { TimelineEntry } from './capability-timeline-entry';

/*
 * The reasons of a Stage 3 review or an appeal can name people (the manager, their family,
 * children of the home): the events keep them sealed in the personal-data vault under the
 * manager's key — the manager id is their data subject id — so erasing the manager erases them
 * and every chain still verifies (docs/decisions/0032). The decider checks them as text; they
 * are sealed between the decision and the append. Timeline rows keep no reasons: a reader takes
 * them from the counter's stream and opens them.
 */

/** What a reader of reviews and appeals is given besides the usual: the vault, to open reasons with. */
export interface CapabilityReading extends QueryReading {
  vault: PersonalDataVault;
}

type WithReasons = CapabilityReviewRecorded | CapabilityAppealRecorded;

const hasReasons = (event: { type: string }): event is WithReasons =>
  event.type === 'CapabilityReviewRecorded' || event.type === 'CapabilityAppealRecorded';

/**
 * Seals the reasons of a decided review or appeal under the manager's key, with a ref derived
 * from the command, so a retried command (or one decided again after a conflict) seals once. An
 * erased manager has nothing new kept about them: the vault refuses (409).
 */
export function sealCapabilityReasons(vault: PersonalDataVault, context: CommandContext) {
  return (events: CapabilityEvent[]): Promise<CapabilityEvent[]> =>
    Promise.all(
      events.map(async (event): Promise<CapabilityEvent> => {
        if (!hasReasons(event) || isSealed(event.data.reasons)) return event;
        const [sealed] = await vault.seal({
          tenantId: context.tenantId,
          subjectId: event.data.managerId,
          plaintexts: [
            {
              ref: uuidFromParts(context.commandId, event.type, 'reasons'),
              plaintext: event.data.reasons,
            },
          ],
        });
        return { ...event, data: { ...event.data, reasons: sealed! } } as WithReasons;
      }),
    );
}

/** A review's or an appeal's reasons as shown, and whose they are. */
export interface ShownReasons {
  /** The text, or `{ erasedOn }` once the manager was erased. */
  reasons: OpenedPersonalData;
  /**
   * The data subject the reasons are sealed under: the manager id. Null for a review or appeal
   * recorded before reasons were kept apart (schema version 1: its reasons stay in the log as
   * text and cannot be erased).
   */
  dataSubjectId: string | null;
}

/**
 * The reasons of the reviews and appeals of `entries`, by event id: their events read from the
 * counters' streams in one round trip (from the first review or appeal of each on), their sealed
 * reasons opened in one vault query.
 */
export async function reasonsOf(
  store: EventStore,
  vault: PersonalDataVault,
  tenantId: string,
  entries: readonly TimelineEntry[],
): Promise<Map<string, ShownReasons>> {
  const wanted = new Set(
    entries.flatMap((entry) => [...entry.reviews, ...entry.appeals].map((r) => r.eventId)),
  );
  if (wanted.size === 0) return new Map();
  const fromVersion = new Map<string, number>();
  for (const entry of entries) {
    const streamId = streamIds.capability(
      tenantId,
      entry.managerId,
      entry.serviceId,
      entry.indicatorCode,
    );
    for (const item of entry.history) {
      if (!wanted.has(item.eventId)) continue;
      fromVersion.set(
        streamId,
        Math.min(fromVersion.get(streamId) ?? Infinity, item.streamVersion),
      );
    }
  }
  const streams = await store.readStreams([...fromVersion.keys()], [...fromVersion.values()]);
  const found = [...streams.values()]
    .flat()
    .filter((event) => wanted.has(event.eventId) && hasReasons(event))
    .map((event) => ({
      eventId: event.eventId,
      reasons: (event.data as WithReasons['data']).reasons,
    }));
  const opened = await vault.open(
    tenantId,
    found.map((f) => f.reasons).filter((r): r is SealedPersonalData => isSealed(r)),
  );
  return new Map(
    found.map(({ eventId, reasons }) => [
      eventId,
      {
        reasons: openedText(reasons, opened),
        dataSubjectId: isSealed(reasons) ? reasons.subjectId : null,
      },
    ]),
  );
}
