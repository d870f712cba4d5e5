import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A column of the rows to upsert, with its SQL type (as the table declares it). */
export interface UpsertColumn {
  name: string;
  type: string;
}

export interface UpsertRows {
  table: string;
  /** Every column given, the conflict key first. */
  columns: readonly UpsertColumn[];
  /** The unique column that decides insert or update. */
  conflictKey: string;
  /** The columns an existing row takes from the new one. */
  update: readonly string[];
  /** SQL: only when true is an existing row updated (`excluded` is the new row). */
  updateWhere?: string;
  /** Each row's values in `columns` order: null for SQL NULL; jsonb values as JS values. */
  rows: readonly (readonly unknown[])[];
}

/**
 * From this many rows, a batch goes through COPY into a staging table and one
 * `INSERT … SELECT … ON CONFLICT`; below it, as one JSON document (`jsonb_to_recordset`), one
 * round trip. For 250,000 KPI-grid rows PostgreSQL spent 10–12 s taking them out of JSON
 * documents and 5–6 s the COPY way (docs/performance.md, issue 18); a live batch of a few rows
 * keeps its single statement.
 */
export const COPY_FROM_ROWS = 500;

/**
 * Inserts the rows, or updates the rows whose `conflictKey` exists, inside the caller's
 * transaction `tx`. Each key once per call (PostgreSQL refuses to update a row twice).
 */
export async function upsertRows(tx: PoolClient, upsert: UpsertRows): Promise<void> {
  if (upsert.rows.length === 0) return;
  if (upsert.rows.length >= COPY_FROM_ROWS) await upsertByCopy(tx, upsert);
  else await upsertByJson(tx, upsert);
}

const names = (columns: readonly UpsertColumn[]) => columns.map((c) => c.name).join(', ');

const onConflict = ({ conflictKey, update, updateWhere }: UpsertRows) =>
  `ON CONFLICT (${conflictKey}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` +
  (updateWhere ? ` WHERE ${updateWhere}` : '');

async function upsertByJson(tx: PoolClient, upsert: UpsertRows): Promise<void> {
  const { table, columns, rows } = upsert;
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    columns.forEach((column, i) => (record[column.name] = row[i] ?? null));
    return record;
  });
  await tx.query(
    `INSERT INTO ${table} (${names(columns)})
     SELECT ${names(columns)}
       FROM jsonb_to_recordset($1::jsonb) AS r(${columns.map((c) => `${c.name} ${c.type}`).join(', ')})
     ${onConflict(upsert)}`,
    [JSON.stringify(records)],
  );
}

/** Numbers the uses of staging tables, so a second upsert in one transaction takes only its own rows. */
let stagingUse = 0;

/**
 * The COPY way: a temporary table per target table and column list (created once per
 * connection, emptied by every commit: ON COMMIT DELETE ROWS), filled by COPY in PostgreSQL's
 * text format, then upserted from in one statement.
 */
async function upsertByCopy(tx: PoolClient, upsert: UpsertRows): Promise<void> {
  const { table, columns, rows } = upsert;
  const stage = stagingTableOf(table, columns);
  const use = ++stagingUse;
  await tx.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS ${stage}
       (${columns.map((c) => `${c.name} ${c.type}`).join(', ')}, staging_use bigint NOT NULL)
       ON COMMIT DELETE ROWS`,
  );
  const types = columns.map((c) => c.type);
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < types.length; i++) text += copyField(row[i], types[i]!) + '\t';
    text += `${use}\n`;
  }
  await pipeline(
    Readable.from([text]),
    tx.query(copyFrom(`COPY ${stage} (${names(columns)}, staging_use) FROM STDIN`)),
  );
  await tx.query(
    `INSERT INTO ${table} (${names(columns)})
     SELECT ${names(columns)} FROM ${stage} WHERE staging_use = $1
     ${onConflict(upsert)}`,
    [use],
  );
}

/** `pg_temp`'s name for the staging table of `table` with these columns (≤ 63 characters). */
function stagingTableOf(table: string, columns: readonly UpsertColumn[]): string {
  const shape = createHash('sha256')
    .update(columns.map((c) => `${c.name} ${c.type}`).join(','))
    .digest('hex')
    .slice(0, 8);
  return `staging_${table.replace(/\W/g, '_').slice(0, 40)}_${shape}`;
}

/**
 * One field in COPY's text format: `\N` for NULL; backslash, newline, carriage return and tab
 * escaped; jsonb as its JSON text; booleans as t/f.
 */
export function copyField(value: unknown, type: string): string {
  if (value === null || value === undefined) return '\\N';
  if (type === 'jsonb' || type === 'json') return escapeCopy(JSON.stringify(value));
  switch (typeof value) {
    case 'string':
      return escapeCopy(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      return value instanceof Date ? value.toISOString() : escapeCopy(JSON.stringify(value));
  }
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCopy(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text;
}
