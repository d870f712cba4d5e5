/** How a page says a text that can name people is gone: "erased on 11 May 2026". */
export function erasedOnWords({ erasedOn }: { erasedOn: string }): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${erasedOn}T00:00:00Z`));
  return `erased on ${day}`;
}

/**
 * A text opened from the personal-data vault, as a page shows it: the text, or null with the
 * words saying when it was erased.
 */
export function pageText(text: string | { erasedOn: string } | null): {
  text: string | null;
  erased: string | null;
} {
  if (text === null || typeof text === 'string') return { text, erased: null };
  return { text: null, erased: erasedOnWords(text) };
}
