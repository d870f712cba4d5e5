/*
 * The CSV of an export's reports: RFC 4180, CRLF, UTF-8 with a byte-order mark (so Excel reads
 * Tŷ Gwyn as it is), the same rules as the API's CSV downloads.
 */

const BYTE_ORDER_MARK = '\uFEFF';

export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  return `${BYTE_ORDER_MARK}${[header.join(','), ...rows.map(csvLine)].join('\r\n')}\r\n`;
}

function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(',');
}

/**
 * One field: quoted when it holds a comma, quote or line break. Text a spreadsheet would take
 * for a formula (=, +, -, @, tab, CR at the start) is prefixed with ' (OWASP CSV injection);
 * numbers and booleans are written as they are.
 */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
