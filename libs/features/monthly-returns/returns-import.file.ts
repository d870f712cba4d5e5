import { Workbook, type CellValue } from 'exceljs';

/**
 * Reading a returns file in the layout the KPI grid is exported in (docs/decisions/0024):
 * - CSV: one row per service, month and indicator (`service_id`, `period`, `indicator`,
 *   `value`); a row without an indicator is a month without a return, and the other columns
 *   (outcome, RAG, thresholds…) are ignored;
 * - Excel: sheet "KPI grid", one row per service-month (`Service id`, `Month`) and, per
 *   indicator, its value column (headed by the code), `<code> RAG` (ignored) and
 *   `<code> n/a reason`.
 * Rows are numbered as a spreadsheet numbers them: the header is row 1.
 */

/** What is wrong with a row of the file: its number (header = 1), the column's header, why. */
export interface ImportProblem {
  row: number;
  column: string;
  reason: string;
}

/** One indicator's cell as the file gives it: the value shown, and the reason when n/a. */
export interface ImportedCell {
  code: string;
  row: number;
  /** The header of the column the value is in (`value` in CSV, the code in Excel). */
  column: string;
  /** A number, text (`3/4`, `yes`, `n/a (reason)`, `MH: 3; LD: 2`), or null when blank. */
  value: number | string | null;
  /** Excel's `<code> n/a reason` column; null when blank (and always in CSV). */
  reason: string | null;
}

/** A data row: the service and month it is about (unchecked text) and its indicator cells. */
export interface ImportedRow {
  row: number;
  serviceId: string;
  period: string;
  cells: ImportedCell[];
  /** The headers of the service and month columns, for problems about them. */
  columns: { service: string; period: string; indicator: string };
}

export interface ReturnsFile {
  format: 'csv' | 'xlsx';
  rows: ImportedRow[];
  /** Problems with the file as a whole (a missing column) or with rows it could not read. */
  problems: ImportProblem[];
}

export const CSV_COLUMNS = {
  service: 'service_id',
  period: 'period',
  indicator: 'indicator',
  value: 'value',
} as const;

export const XLSX_SHEET = 'KPI grid';
export const XLSX_COLUMNS = { service: 'Service id', period: 'Month' } as const;
/** The grid workbook's columns before the indicators: plain data, not indicators. */
export const XLSX_FIXED_HEADERS: readonly string[] = [
  'Service id',
  'Service',
  'Region',
  'Month',
  'Manager',
  'Submitted',
  'Late',
  'Amended',
  'Amendments',
  'Framework',
  'KPIs met',
  'KPIs judged',
  'KPIs needed for bonus',
  'Bonus compliant',
];
export const XLSX_RAG_SUFFIX = ' RAG';
export const XLSX_REASON_SUFFIX = ' n/a reason';

/** A file's bytes as one of the two layouts, by its content (an xlsx is a ZIP: `PK`). */
export async function readReturnsFile(bytes: Buffer): Promise<ReturnsFile> {
  return bytes.subarray(0, 2).toString('latin1') === 'PK'
    ? readReturnsWorkbook(bytes)
    : readReturnsCsv(bytes.toString('utf8'));
}

/** The CSV layout of the grid (kpi-grid.csv). */
export function readReturnsCsv(text: string): ReturnsFile {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (records[0] ?? []).map((name) => name.trim());
  const at = (name: string) => header.indexOf(name);
  const missing = Object.values(CSV_COLUMNS).filter((name) => at(name) === -1);
  if (missing.length > 0) return missingColumns('csv', missing, header);
  const columns = {
    service: CSV_COLUMNS.service,
    period: CSV_COLUMNS.period,
    indicator: CSV_COLUMNS.indicator,
  };
  const rows: ImportedRow[] = [];
  records.slice(1).forEach((record, index) => {
    const row = index + 2;
    const field = (name: string) => unescapeFormula(record[at(name)] ?? '').trim();
    const code = field(CSV_COLUMNS.indicator);
    if (record.every((value) => value.trim() === '')) return;
    const value = field(CSV_COLUMNS.value);
    rows.push({
      row,
      serviceId: field(CSV_COLUMNS.service),
      period: field(CSV_COLUMNS.period),
      columns,
      // A row without an indicator is a month without a return: nothing to import.
      cells:
        code === ''
          ? []
          : [
              {
                code,
                row,
                column: CSV_COLUMNS.value,
                value: value === '' ? null : value,
                reason: null,
              },
            ],
    });
  });
  return { format: 'csv', rows, problems: [] };
}

/** The Excel layout of the grid (kpi-grid.xlsx): sheet "KPI grid". */
export async function readReturnsWorkbook(bytes: Buffer): Promise<ReturnsFile> {
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return {
      format: 'xlsx',
      rows: [],
      problems: [{ row: 1, column: '', reason: 'is not an Excel workbook (.xlsx) we can read' }],
    };
  }
  const sheet = workbook.getWorksheet(XLSX_SHEET) ?? workbook.worksheets[0];
  if (!sheet) return missingColumns('xlsx', Object.values(XLSX_COLUMNS), []);
  const header: string[] = [];
  sheet.getRow(1).eachCell((cell, column) => (header[column] = textOf(cell.value).trim()));
  const at = (name: string) => header.indexOf(name);
  const missing = Object.values(XLSX_COLUMNS).filter((name) => at(name) === -1);
  if (missing.length > 0) return missingColumns('xlsx', missing, header.filter(Boolean));

  const indicators: { code: string; value: number; reason: number }[] = [];
  header.forEach((name, column) => {
    if (!name || XLSX_FIXED_HEADERS.includes(name)) return;
    if (name.endsWith(XLSX_RAG_SUFFIX) || name.endsWith(XLSX_REASON_SUFFIX)) return;
    indicators.push({ code: name, value: column, reason: at(`${name}${XLSX_REASON_SUFFIX}`) });
  });
  const columns = {
    service: XLSX_COLUMNS.service,
    period: XLSX_COLUMNS.period,
    indicator: 'indicator columns',
  };
  const rows: ImportedRow[] = [];
  sheet.eachRow((sheetRow, row) => {
    if (row === 1) return;
    const cellAt = (column: number) => (column > 0 ? sheetRow.getCell(column).value : null);
    const cells: ImportedCell[] = [];
    for (const { code, value, reason } of indicators) {
      const shown = valueOf(cellAt(value));
      const why = textOf(cellAt(reason)).trim();
      if (shown === null && why === '') continue;
      cells.push({ code, row, column: code, value: shown, reason: why === '' ? null : why });
    }
    const serviceId = textOf(cellAt(at(XLSX_COLUMNS.service))).trim();
    const period = periodText(cellAt(at(XLSX_COLUMNS.period)));
    if (serviceId === '' && period === '' && cells.length === 0) return;
    rows.push({ row, serviceId, period, columns, cells });
  });
  return { format: 'xlsx', rows, problems: [] };
}

function missingColumns(
  format: ReturnsFile['format'],
  missing: readonly string[],
  found: readonly string[],
): ReturnsFile {
  const layout = format === 'csv' ? 'the KPI grid CSV' : 'the KPI grid workbook';
  return {
    format,
    rows: [],
    problems: missing.map((column) => ({
      row: 1,
      column,
      reason: `is missing from the header: the file must be in the layout of ${layout} (found: ${found.join(', ') || 'nothing'})`,
    })),
  };
}

/** A cell's value as a number or text; null when blank. Formulas count by their result. */
function valueOf(value: CellValue): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && 'result' in value) {
    const result = value.result;
    return typeof result === 'number' ? result : valueOf((result ?? null) as CellValue);
  }
  const text = textOf(value).trim();
  return text === '' ? null : text;
}

function textOf(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  if ('result' in value) return textOf((value.result ?? null) as CellValue);
  return '';
}

/** A month as text; a spreadsheet that turned `2026-04` into a date gives it back as `2026-04`. */
function periodText(value: CellValue): string {
  if (value instanceof Date) return value.toISOString().slice(0, 7);
  return textOf(value).trim();
}

/** The export prefixes text a spreadsheet would run as a formula with `'`: take it off. */
function unescapeFormula(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** RFC 4180 records: quoted fields may hold commas, quotes (`""`) and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
