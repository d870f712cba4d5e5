/** A day as the pages write it: 11 May 2026. */
const longDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * Text that can name people, as an answer gives it (opened from the personal-data vault): the
 * text, or `{ erasedOn }` once its data subject was erased — which a page shows as "erased on
 * 11 May 2026", marked `erased` so a template can set it apart.
 */
export function shownText(text: string | { erasedOn: string }): { text: string; erased: boolean } {
  if (typeof text === 'string') return { text, erased: false };
  return {
    text: `erased on ${longDay.format(new Date(`${text.erasedOn}T00:00:00Z`))}`,
    erased: true,
  };
}
