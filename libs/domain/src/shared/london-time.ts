const offsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Milliseconds Europe/London is ahead of UTC at an instant (0 in winter, 1 h in summer). */
function londonOffsetMs(instant: number): number {
  const parts = Object.fromEntries(
    offsetFormat.formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/** The instant of a wall-clock time (`HH:MM`) on a date in Europe/London. */
export function londonInstant(date: string, time: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes settle the offset on either side of a clock change.
  let instant = wall - londonOffsetMs(wall);
  instant = wall - londonOffsetMs(instant);
  return new Date(instant);
}

/** When a deadline due on a date has passed: midnight at the end of that day, London time. */
export function endOfLondonDay(date: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return londonInstant(next, '00:00');
}
