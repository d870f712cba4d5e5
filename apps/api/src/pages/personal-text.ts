/** A day as the pages write it: 11 May 2026. */
const longDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** How a page says a text that can name people is gone: "erased on 11 May 2026". */
export function erasedOnWords({ erasedOn }: { erasedOn: string }): string {
  return `erased on ${longDay.format(new Date(`${erasedOn}T00:00:00Z`))}`;
}

/**
 * Text that can name people, as an answer gives it (opened from the personal-data vault): the
 * text, or `{ erasedOn }` once its data subject was erased — which a page shows as "erased on
 * 11 May 2026", marked `erased` so a template can set it apart.
 */
export function shownText(text: string | { erasedOn: string }): { text: string; erased: boolean } {
  if (typeof text === 'string') return { text, erased: false };
  return { text: erasedOnWords(text), erased: true };
}

/**
 * The same, for a text that may be absent: the text (or null), or null with the words saying
 * when it was erased.
 */
export function pageText(text: string | { erasedOn: string } | null): {
  text: string | null;
  erased: string | null;
} {
  if (text === null || typeof text === 'string') return { text, erased: null };
  return { text: null, erased: erasedOnWords(text) };
}
