/** Excel reads a CSV as UTF-8 (Tŷ Gwyn, not TÅ· Gwyn) only when it starts with a byte-order mark. */
export const BYTE_ORDER_MARK = '\uFEFF';

/** A whole CSV document (RFC 4180, CRLF, with the byte-order mark): a header and rows. */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  return `${BYTE_ORDER_MARK}${[header.join(','), ...rows.map(csvLine)].join('\r\n')}\r\n`;
}

/** A `Content-Disposition` value offering the body as a file. */
export const attachment = (fileName: string) => `attachment; filename="${fileName}"`;

export function csvLine(fields: readonly unknown[]): string {
  return fields.map(csvField).join(',');
}

/**
 * One field: quoted when it holds a comma, quote or line break. Text a spreadsheet would take
 * for a formula (=, +, -, @, tab, CR at the start) is prefixed with ' so that a service name or
 * a reason typed by someone cannot run as one when the file is opened (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
