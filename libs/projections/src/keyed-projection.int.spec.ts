import type { RecordedEvent } from '@kpi/event-store';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { keyedProjection } from './keyed-projection';
import { withTransaction } from './projection-batch';
import { COPY_FROM_ROWS } from './upsert-rows';

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('keyed_projection');
  pool = database.pool({ max: 4 });
});
afterAll(() => database.drop());

interface Tally {
  item: string;
  label: string;
  count: number;
}

/**
 * `Started` sets an item's row whole (label, count 1); `Counted` adds one to it. Rows remember
 * the last event applied, so the order of the log decides.
 */
const tallies = keyedProjection<Tally>({
  name: 'tallies',
  version: 1,
  table: 'tallies',
  eventTypes: ['Started', 'Counted'],
  columns: [
    { name: 'item', type: 'text', field: 'item' },
    { name: 'label', type: 'text', field: 'label' },
    { name: 'count', type: 'integer', field: 'count' },
  ],
  keyOf: (event) => (event.data as { item: string }).item,
  evolve: (row, event, key) => {
    const { label } = event.data as { label?: string };
    if (event.type === 'Started') return { item: key, label: label!, count: 1 };
    return row && { ...row, count: row.count + 1 };
  },
  setsRowsWhole: (event) => event.type === 'Started',
});

let position = 0;
function event(type: 'Started' | 'Counted', item: string, label = ''): RecordedEvent {
  position += 1;
  return {
    eventId: `e-${position}`,
    streamId: `item-${item}`,
    streamVersion: position,
    globalPosition: position,
    transactionId: 1000 + position,
    type,
    schemaVersion: 1,
    storedSchemaVersion: 1,
    data: { item, label },
    metadata: {
      tenantId: 'acme',
      actor: 'user:test',
      correlationId: 'c',
      causationId: null,
      commandId: null,
    },
    recordedAt: new Date(),
    effectiveAt: new Date(),
    previousHash: '',
    hash: '',
  } as RecordedEvent;
}

const apply = (events: RecordedEvent[]) =>
  withTransaction(pool, (tx) => tallies.apply(tx, 'tallies', events));

const rows = async () =>
  (await pool.query<Tally>('SELECT item, label, count FROM tallies ORDER BY item')).rows;

describe('a keyed projection whose events set rows whole', () => {
  beforeEach(async () => {
    await pool.query('DROP TABLE IF EXISTS tallies');
    await pool.query(tallies.createTable('tallies'));
  });

  it('evolves later events of the batch from the row the first one set (nothing read)', async () => {
    await apply([event('Started', 'a', 'first'), event('Counted', 'a'), event('Counted', 'a')]);
    expect(await rows()).toEqual([{ item: 'a', label: 'first', count: 3 }]);
  });

  it('replaces a row that an earlier event set', async () => {
    await apply([event('Started', 'a', 'first'), event('Counted', 'a')]);
    await apply([event('Started', 'a', 'again')]);
    expect(await rows()).toEqual([{ item: 'a', label: 'again', count: 1 }]);
  });

  it.each([
    ['one statement', 1],
    ['COPY', COPY_FROM_ROWS],
  ])(
    'never lets an event replace a row a later event already set (delivered again: %s)',
    async (_, rowsInBatch) => {
      const started = event('Started', 'a', 'first');
      const counted = event('Counted', 'a');
      await apply([started, counted]);
      const others = Array.from({ length: rowsInBatch - 1 }, (_, i) =>
        event('Started', `b-${i}`, 'other'),
      );
      await apply([started, ...others]); // the old event again, with others to fill the batch
      const stored = await rows();
      expect(stored.find((r) => r.item === 'a')).toEqual({ item: 'a', label: 'first', count: 2 });
      expect(stored).toHaveLength(rowsInBatch);
    },
  );

  it('reads the row before an event that needs it, when the batch starts with one', async () => {
    await apply([event('Started', 'a', 'first')]);
    await apply([event('Counted', 'a'), event('Counted', 'a')]);
    expect(await rows()).toEqual([{ item: 'a', label: 'first', count: 3 }]);
  });
});
