import type {
  CapabilityTimeline,
  CapabilityWhy,
  TimelineEntryView,
} from '@kpi/features/capability';
import { pageText, shownText } from '../personal-text';

/** An entry's status as a GOV.UK tag: the word is the label, the colour only repeats it. */
const STATUS_TAGS: Record<string, string> = {
  open: 'govuk-tag--red',
  escalated: 'govuk-tag--orange',
  resolved: 'govuk-tag--green',
  withdrawn: 'govuk-tag--grey',
};

/** A RAG judgement as a tag with its word. */
const RAG_TAGS: Record<string, { text: string; classes: string }> = {
  green: { text: 'Green', classes: 'govuk-tag--green' },
  amber: { text: 'Amber', classes: 'govuk-tag--yellow' },
  red: { text: 'Red', classes: 'govuk-tag--red' },
  grey: { text: 'Grey', classes: 'govuk-tag--grey' },
};

const statusTag = (status: string) => ({
  text: status.charAt(0).toUpperCase() + status.slice(1),
  classes: STATUS_TAGS[status] ?? 'govuk-tag--grey',
});

const ragTag = (rag: string) => RAG_TAGS[rag] ?? { text: rag, classes: 'govuk-tag--grey' };

/** `?asOf=…` to carry the moment shown on to the next page, or nothing for now. */
export const asOfSuffix = (asOf: string | undefined) =>
  asOf ? `?${new URLSearchParams({ asOf }).toString()}` : '';

const managerPath = (managerId: string) =>
  `/app/capability/managers/${encodeURIComponent(managerId)}/timeline`;

/**
 * An entry's reviews and appeals, oldest first, each with its reasons — or "erased on …" once
 * the manager was erased — and the stored event it rests on.
 */
function reviewsAndAppealsOf(entry: TimelineEntryView) {
  return [
    ...entry.reviews.map((review) => ({
      what: `Stage 3 review held by ${review.heldBy} on ${review.heldOn}`,
      outcome: review.outcome,
      reasons: shownText(review.reasons),
      eventId: review.eventId,
      globalPosition: review.globalPosition,
    })),
    ...entry.appeals.map((appeal) => ({
      what: `Appeal heard by ${appeal.heardBy} on ${appeal.heardOn}`,
      outcome: appeal.outcome,
      reasons: shownText(appeal.reasons),
      eventId: appeal.eventId,
      globalPosition: appeal.globalPosition,
    })),
  ]
    .sort((a, b) => a.globalPosition - b.globalPosition)
    .map((item) => ({
      ...item,
      entry: `${entry.serviceId} ${entry.indicatorCode}, ${entry.stageName}`,
    }));
}

/** The timeline page's rows: each entry with its tag and the link to its "why". */
export function timelineView(timeline: CapabilityTimeline, asOf: string | undefined) {
  return {
    managerId: timeline.managerId,
    openStages: timeline.openStages,
    path: managerPath(timeline.managerId),
    entries: timeline.entries.map((entry) => ({
      entryId: entry.entryId,
      serviceId: entry.serviceId,
      indicatorCode: entry.indicatorCode,
      stage: entry.stage,
      stageName: entry.stageName,
      runStart: entry.runStart,
      period: entry.period,
      consecutiveMisses: entry.consecutiveMisses,
      status: statusTag(entry.status),
      reviewDue: entry.reviewDue,
      addressed: entry.addressed,
      whyHref: `${managerPath(timeline.managerId)}/${encodeURIComponent(entry.entryId)}/why${asOfSuffix(asOf)}`,
      supportPlanHref: `${managerPath(timeline.managerId)}/${encodeURIComponent(entry.entryId)}/support-plan`,
    })),
    reviewsAndAppeals: timeline.entries.flatMap(reviewsAndAppealsOf),
  };
}

/** The user ids of the people the "why" names (who submitted and amended each return). */
export const peopleIn = (why: CapabilityWhy): string[] =>
  why.months.flatMap((month) => month.return.history.map((h) => h.by));

/**
 * The "why" page: the answer, the months with the returns they were read from (who did each,
 * by email when they are an account of the organisation, with their user id), every stage
 * change, reviews and appeals with their reasons, and whether the hash chains of the streams
 * cited still hold.
 */
export function whyView(
  why: CapabilityWhy,
  asOf: string | undefined,
  names: ReadonlyMap<string, string> = new Map(),
) {
  const broken = why.verification?.brokenLinks.length ?? 0;
  return {
    question: why.question,
    answer: why.answer,
    entry: { ...why.entry, status: statusTag(why.entry.status) },
    timelineHref: `${managerPath(why.entry.managerId)}${asOfSuffix(asOf)}`,
    verification: why.verification && {
      verified: broken === 0,
      streamsChecked: why.verification.streamsChecked,
      eventsChecked: why.verification.eventsChecked,
      brokenLinks: broken,
      verifiedAt: why.verification.verifiedAt,
    },
    months: why.months.map((month) => ({
      period: month.period,
      value: month.value,
      target: month.target,
      floor: month.floor,
      frameworkVersion: month.frameworkVersion,
      rag: ragTag(month.rag),
      outcome: month.outcome,
      streamId: month.return.streamId,
      history: month.return.history.map((h) => ({
        kind: h.kind,
        eventId: h.eventId,
        globalPosition: h.globalPosition,
        by: names.has(h.by) ? `${names.get(h.by)!} (${h.by})` : h.by,
        at: h.at,
        value: h.value,
        reason: pageText(h.reason),
      })),
    })),
    stageChanges: why.stageChanges.map((change) => ({
      summary: change.summary,
      type: change.type,
      eventId: change.eventId,
      globalPosition: change.globalPosition,
      recordedAt: change.recordedAt,
    })),
    reviewsAndAppeals: reviewsAndAppealsOf(why.entry),
    citedStreams: why.citedStreams,
  };
}
