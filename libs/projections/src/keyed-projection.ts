import { isAfterInLog, type GlobalCheckpoint, type RecordedEvent } from '@kpi/event-store';
import type { PoolClient } from 'pg';
import type { Projection } from './projection';
import { upsertRows } from './upsert-rows';

/** What a reader queries through: a pg Pool, a pooled client or a transaction. */
export interface Queryable {
  query<Result extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Result[] }>;
}

/**
 * A keyed read model, and its reader: `rows` selects its rows as `Row`s, read back through the
 * same column list that wrote them, so the row type is declared once for writer and readers.
 */
export interface KeyedProjection<Row> extends Projection {
  /**
   * The rows matching `where` (SQL over the table's columns, with `$1…` bound to `params`),
   * ordered by `orderBy` (SQL, optional): each value as the row had it (numbers, ISO strings).
   */
  rows(db: Queryable, where: string, params: readonly unknown[], orderBy?: string): Promise<Row[]>;
  /** As the definition says (see {@link KeyedProjectionDefinition.setsRowsWhole}). */
  setsRowsWhole?(event: RecordedEvent): boolean;
}

/** The SQL types a keyed read-model column may have, with how values travel. */
export type ColumnType =
  'text' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'timestamptz' | 'date' | 'jsonb';

export interface Column<Row> {
  name: string;
  type: ColumnType;
  field: keyof Row & string;
  nullable?: boolean;
}

/**
 * A read model of rows keyed by a string: a pure `evolve(row, event)` plus a generic writer.
 * Each row remembers the last event applied to it, so an event delivered twice changes nothing
 * (the runner already applies each event once; this makes every row safe on its own too).
 */
export interface KeyedProjectionDefinition<Row> {
  name: string;
  version: number;
  table: string;
  eventTypes: readonly string[] | 'all';
  columns: readonly Column<Row>[];
  /** Extra indexes, each a list of column names. */
  indexes?: readonly (readonly string[])[];
  /** The key of the row an event changes (or the keys of the rows), or null when it changes none. */
  keyOf(event: RecordedEvent): string | readonly string[] | null;
  /** Pure: the row (of `key`) after the event; null removes the row. */
  evolve(row: Row | null, event: RecordedEvent, key: string): Row | null;
  /**
   * Optional: true for an event whose rows `evolve` makes whole without reading them (a
   * return's submission sets its cells). A batch then does not read those rows first; the
   * write never lets an event replace a row that a later event already set.
   */
  setsRowsWhole?(event: RecordedEvent): boolean;
}

interface StoredRow<Row> {
  row: Row | null;
  applied: GlobalCheckpoint;
}

export function keyedProjection<Row extends object>(
  definition: KeyedProjectionDefinition<Row>,
): KeyedProjection<Row> {
  const { columns } = definition;
  for (const column of columns) {
    if (!/^[a-z_][a-z0-9_]*$/.test(column.name))
      throw new Error(`Column name "${column.name}" must be snake_case`);
  }
  const columnList = columns.map((c) => c.name).join(', ');

  const rowOf = (dbRow: Record<string, unknown>): Row => {
    const row = {} as Record<string, unknown>;
    for (const column of columns) row[column.field] = fromDatabase(column.type, dbRow[column.name]);
    return row as Row;
  };

  return {
    name: definition.name,
    version: definition.version,
    table: definition.table,
    eventTypes: definition.eventTypes,
    setsRowsWhole: definition.setsRowsWhole,

    async rows(db, where, params, orderBy) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT ${columnList} FROM ${definition.table} WHERE ${where}${orderBy ? ` ORDER BY ${orderBy}` : ''}`,
        [...params],
      );
      return rows.map(rowOf);
    },

    createTable(table) {
      const definitions = columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`);
      const indexes = (definition.indexes ?? []).map(
        (cols) => `CREATE INDEX ON ${table} (${cols.join(', ')});`,
      );
      return `CREATE TABLE ${table} (
        key text PRIMARY KEY,
        ${definitions.join(',\n        ')},
        applied_transaction_id bigint NOT NULL,
        applied_position bigint NOT NULL
      );
      ${indexes.join('\n')}`;
    },

    async apply(tx, table, events) {
      const keysOf = (event: RecordedEvent): readonly string[] => {
        const keys = definition.keyOf(event);
        return keys === null ? [] : typeof keys === 'string' ? [keys] : keys;
      };
      const keyed = events.map((event) => ({ event, keys: keysOf(event) }));
      // Read the rows the batch changes, but not those its first event sets whole.
      const touched = new Set<string>();
      const toRead: string[] = [];
      for (const { event, keys } of keyed) {
        const whole = definition.setsRowsWhole?.(event) ?? false;
        for (const key of keys) {
          if (touched.has(key)) continue;
          touched.add(key);
          if (!whole) toRead.push(key);
        }
      }
      if (touched.size === 0) return;
      const stored = toRead.length > 0 ? await load(tx, table, toRead) : new Map();
      const changed = new Map<string, StoredRow<Row>>();
      for (const { event, keys } of keyed) {
        for (const key of keys) {
          const current = changed.get(key) ?? stored.get(key);
          if (current && !isAfterInLog(event, current.applied)) continue; // already applied
          const row = definition.evolve(current?.row ?? null, event, key);
          changed.set(key, {
            row,
            applied: { transactionId: event.transactionId, globalPosition: event.globalPosition },
          });
        }
      }
      await save(tx, table, changed);
    },
  };

  async function load(
    tx: PoolClient,
    table: string,
    keys: string[],
  ): Promise<Map<string, StoredRow<Row>>> {
    const { rows } = await tx.query<Record<string, unknown>>(
      `SELECT key, applied_transaction_id, applied_position, ${columnList} FROM ${table} WHERE key = ANY ($1::text[])`,
      [keys],
    );
    const result = new Map<string, StoredRow<Row>>();
    for (const dbRow of rows) {
      result.set(dbRow.key as string, {
        row: rowOf(dbRow),
        applied: {
          transactionId: Number(dbRow.applied_transaction_id),
          globalPosition: Number(dbRow.applied_position),
        },
      });
    }
    return result;
  }

  async function save(
    tx: PoolClient,
    table: string,
    changed: Map<string, StoredRow<Row>>,
  ): Promise<void> {
    const upserts = [...changed].filter(([, stored]) => stored.row !== null);
    const deletions = [...changed].filter(([, stored]) => stored.row === null).map(([key]) => key);
    if (upserts.length > 0) {
      await upsertRows(tx, {
        table,
        columns: [
          { name: 'key', type: 'text' },
          { name: 'applied_transaction_id', type: 'bigint' },
          { name: 'applied_position', type: 'bigint' },
          ...columns.map((c) => ({ name: c.name, type: c.type })),
        ],
        conflictKey: 'key',
        update: ['applied_transaction_id', 'applied_position', ...columns.map((c) => c.name)],
        // A row not read first (set whole) may hold a later event already: keep it then.
        updateWhere: `(${table}.applied_transaction_id, ${table}.applied_position) < (excluded.applied_transaction_id, excluded.applied_position)`,
        rows: upserts.map(([key, stored]) => [
          key,
          stored.applied.transactionId,
          stored.applied.globalPosition,
          ...columns.map((c) => (stored.row as Row)[c.field] ?? null),
        ]),
      });
    }
    if (deletions.length > 0) {
      await tx.query(`DELETE FROM ${table} WHERE key = ANY ($1::text[])`, [deletions]);
    }
  }
}

function fromDatabase(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'bigint':
    case 'integer':
    case 'numeric':
      return Number(value);
    case 'timestamptz':
      return (value as Date).toISOString();
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : value;
    default:
      return value;
  }
}
