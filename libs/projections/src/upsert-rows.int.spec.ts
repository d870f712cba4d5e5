import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { inTransaction, withTransaction } from './projection-batch';
import { COPY_FROM_ROWS, copyField, upsertRows, type UpsertRows } from './upsert-rows';

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('upsert_rows');
  pool = database.pool({ max: 4 });
});
afterAll(() => database.drop());

const COLUMNS = [
  { name: 'key', type: 'text' },
  { name: 'label', type: 'text' },
  { name: 'amount', type: 'numeric' },
  { name: 'count', type: 'integer' },
  { name: 'flag', type: 'boolean' },
  { name: 'at', type: 'timestamptz' },
  { name: 'doc', type: 'jsonb' },
] as const;

async function createTable(name: string) {
  await pool.query(`CREATE TABLE ${name} (key text PRIMARY KEY, label text, amount numeric,
    count integer NOT NULL, flag boolean, at timestamptz, doc jsonb)`);
}

/** Text that COPY's format must escape, JSON that holds it, and plain values. */
function row(n: number, version = 1): unknown[] {
  return [
    `k-${n}`,
    n % 7 === 0 ? `tab\there\nnew line\r\\back "quoted" ${version}` : `label ${n} v${version}`,
    n % 5 === 0 ? null : n + 0.25,
    n * version,
    n % 3 === 0 ? null : n % 2 === 0,
    n % 4 === 0 ? null : new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60, n % 1000)).toISOString(),
    n % 6 === 0 ? null : { n, text: 'a\\b\t"c"\n', list: [1, 'x', null], version },
  ];
}

const upsert = (table: string, rows: unknown[][]): UpsertRows => ({
  table,
  columns: COLUMNS,
  conflictKey: 'key',
  update: ['label', 'amount', 'count', 'flag', 'at', 'doc'],
  rows,
});

const contents = async (table: string) =>
  (
    await pool.query<Record<string, unknown>>(
      `SELECT key, label, amount::text, count, flag, at, doc FROM ${table} ORDER BY key`,
    )
  ).rows;

describe('upsertRows', () => {
  it('stores the same rows through COPY (a large batch) as through one JSON document (a small one)', async () => {
    await createTable('by_copy');
    await createTable('by_json');
    const rows = Array.from({ length: COPY_FROM_ROWS + 20 }, (_, n) => row(n));
    await withTransaction(pool, (tx) => upsertRows(tx, upsert('by_copy', rows)));
    for (let start = 0; start < rows.length; start += 100) {
      await withTransaction(pool, (tx) =>
        upsertRows(tx, upsert('by_json', rows.slice(start, start + 100))),
      );
    }
    const [copied, fromJson] = [await contents('by_copy'), await contents('by_json')];
    expect(copied).toHaveLength(rows.length);
    expect(copied).toEqual(fromJson);
    const tricky = copied.find((r) => r.key === 'k-14')!;
    expect(tricky.label).toBe('tab\there\nnew line\r\\back "quoted" 1');
    expect(tricky.doc).toEqual({ n: 14, text: 'a\\b\t"c"\n', list: [1, 'x', null], version: 1 });
    expect(copied.find((r) => r.key === 'k-15')).toMatchObject({ amount: null, flag: null });
  });

  it('updates the rows whose key exists and inserts the others, either way', async () => {
    await createTable('updated');
    const first = Array.from({ length: COPY_FROM_ROWS }, (_, n) => row(n));
    await withTransaction(pool, (tx) => upsertRows(tx, upsert('updated', first)));
    const second = Array.from({ length: COPY_FROM_ROWS }, (_, n) => row(n + 250, 2));
    await withTransaction(pool, (tx) => upsertRows(tx, upsert('updated', second)));
    await withTransaction(pool, (tx) => upsertRows(tx, upsert('updated', [row(3, 3)])));
    const stored = await contents('updated');
    expect(stored).toHaveLength(COPY_FROM_ROWS + 250);
    expect(stored.find((r) => r.key === 'k-10')!.count).toBe(10);
    expect(stored.find((r) => r.key === 'k-260')!.count).toBe(520);
    expect(stored.find((r) => r.key === 'k-3')!.count).toBe(9);
  });

  it('takes only its own rows when a table is upserted twice in one transaction', async () => {
    await createTable('twice');
    const client = await pool.connect();
    try {
      await inTransaction(client, async (tx) => {
        const many = Array.from({ length: COPY_FROM_ROWS }, (_, n) => row(n));
        await upsertRows(tx, upsert('twice', many));
        // The first call's rows are still staged: were they taken again, k-1 would go back to 1.
        const again = Array.from({ length: COPY_FROM_ROWS }, (_, n) => row(n + COPY_FROM_ROWS));
        again[0] = row(1, 5);
        await upsertRows(tx, upsert('twice', again));
      });
    } finally {
      client.release();
    }
    const stored = await contents('twice');
    expect(stored).toHaveLength(2 * COPY_FROM_ROWS - 1);
    expect(stored.find((r) => r.key === 'k-1')!.count).toBe(5);
  });

  it('stores nothing when the transaction rolls back, and works again on the same connection', async () => {
    await createTable('rolled_back');
    const client = await pool.connect();
    try {
      const many = (version: number) =>
        Array.from({ length: COPY_FROM_ROWS }, (_, n) => row(n, version));
      await expect(
        inTransaction(client, async (tx) => {
          await upsertRows(tx, upsert('rolled_back', many(1)));
          throw new Error('the batch failed after its rows were staged');
        }),
      ).rejects.toThrow('the batch failed');
      expect(await contents('rolled_back')).toHaveLength(0);
      await inTransaction(client, (tx) => upsertRows(tx, upsert('rolled_back', many(2))));
    } finally {
      client.release();
    }
    const stored = await contents('rolled_back');
    expect(stored).toHaveLength(COPY_FROM_ROWS);
    expect(stored.every((r) => (r.count as number) === 2 * Number(String(r.key).slice(2)))).toBe(
      true,
    );
  });

  it('fails the transaction on a value the column cannot hold (nothing half-written)', async () => {
    await createTable('refused');
    const rows = Array.from({ length: COPY_FROM_ROWS }, (_, n) => row(n));
    rows[42]![3] = null; // count is NOT NULL
    await expect(
      withTransaction(pool, (tx) => upsertRows(tx, upsert('refused', rows))),
    ).rejects.toThrow(/count/);
    expect(await contents('refused')).toHaveLength(0);
  });
});

describe('copyField', () => {
  it("writes COPY's text format: \\N for null, escapes, t/f, JSON for jsonb", () => {
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField(undefined, 'jsonb')).toBe('\\N');
    expect(copyField('a\tb\nc\rd\\e', 'text')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField(true, 'boolean')).toBe('t');
    expect(copyField(false, 'boolean')).toBe('f');
    expect(copyField(12.5, 'numeric')).toBe('12.5');
    expect(copyField({ a: 'x\ny' }, 'jsonb')).toBe('{"a":"x\\\\ny"}');
    expect(copyField('plain', 'jsonb')).toBe('"plain"');
  });
});
