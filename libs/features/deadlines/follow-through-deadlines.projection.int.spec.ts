import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@kpi/event-store';
import { withTransaction } from '@kpi/projections';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { deadlinesProjection } from './deadlines.projection';

/**
 * The upcoming-and-overdue read model with actions and risk reviews (docs/decisions/0039), on
 * the real PostgreSQL: a re-dated action's old deadline, a cancelled action's and a closed risk's
 * review are listed cancelled as soon as the event is read (never upcoming nor overdue); a
 * completed action and a risk revised after its date was set are met — the same rows one by one
 * or in one batch.
 */
let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('follow_through_deadlines');
  pool = database.pool({ max: 2 });
});
afterAll(() => database.drop());

let position = 0;
const recorded = (type: string, data: object): RecordedEvent =>
  ({
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      tenantId: 'acme',
      actor: 'user:t',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
    streamId: 's',
    streamVersion: 1,
    globalPosition: ++position,
    transactionId: 1,
    recordedAt: new Date(),
    effectiveAt: new Date(),
    schemaVersion: 1,
  }) as unknown as RecordedEvent;

const planned = (actionId: string, dueOn: string) =>
  recorded('ActionPlanned', { actionId, serviceId: 'home-02', dueOn, owner: 'mgr-a' });
const risk = { title: 'r', owner: 'rm-gwen', category: 'financial', controls: 'c' };

const story = (): RecordedEvent[] => [
  planned('act-redated', '2026-12-18'),
  recorded('ActionRedated', {
    actionId: 'act-redated',
    serviceId: 'home-02',
    previousDueOn: '2026-12-18',
    dueOn: '2027-01-15',
    redatedAt: '2026-12-01T10:00:00Z',
  }),
  planned('act-done', '2026-12-18'),
  recorded('ActionCompleted', { actionId: 'act-done', completedOn: '2026-12-10' }),
  planned('act-cancelled', '2026-12-18'),
  recorded('ActionCancelled', {
    actionId: 'act-cancelled',
    cancelledOn: '2026-12-02',
    dueOn: '2026-12-18',
  }),
  // Re-dated after its date had passed: that deadline stays as it was (open until judged).
  planned('act-late-move', '2026-11-30'),
  recorded('ActionRedated', {
    actionId: 'act-late-move',
    serviceId: 'home-02',
    previousDueOn: '2026-11-30',
    dueOn: '2027-01-29',
    redatedAt: '2026-12-03T10:00:00Z',
  }),
  recorded('RiskRaised', {
    ...risk,
    riskId: 'risk-closed',
    reviewOn: '2027-02-01',
    raisedAt: '2026-11-10T10:00:00Z',
  }),
  recorded('RiskClosed', { riskId: 'risk-closed', closedOn: '2026-12-01', reviewOn: '2027-02-01' }),
  recorded('RiskRaised', {
    ...risk,
    riskId: 'risk-reviewed',
    reviewOn: '2027-02-01',
    raisedAt: '2026-11-10T10:00:00Z',
  }),
  // Reviewed, keeping the date: that review is met; the same day's revision meets nothing new.
  recorded('RiskRevised', {
    ...risk,
    riskId: 'risk-reviewed',
    reviewOn: '2027-02-01',
    revisedAt: '2027-01-20T10:00:00Z',
  }),
];

async function applyIn(table: string, batches: RecordedEvent[][]) {
  await pool.query(deadlinesProjection.createTable(table));
  for (const batch of batches)
    await withTransaction(pool, (tx) => deadlinesProjection.apply(tx, table, batch));
  const { rows } = await pool.query<{
    deadline_key: string;
    status: string;
    done_on: string | null;
  }>(
    `SELECT deadline_key, status, to_char(done_on, 'YYYY-MM-DD') AS done_on FROM ${table} ORDER BY deadline_key`,
  );
  return rows;
}

it('lists actions’ and risks’ deadlines: replaced and ended ones cancelled at once, done ones met — one by one or in one batch', async () => {
  const events = story();
  const oneByOne = await applyIn(
    'ft_one_by_one',
    events.map((e) => [e]),
  );
  const inOneBatch = await applyIn('ft_one_batch', [events]);
  expect(inOneBatch).toEqual(oneByOne);
  expect(oneByOne.map((r) => [r.deadline_key, r.status, r.done_on])).toEqual([
    ['action:act-cancelled:2026-12-18', 'cancelled', null],
    ['action:act-done:2026-12-18', 'met', '2026-12-10'],
    ['action:act-late-move:2026-11-30', 'open', null],
    ['action:act-late-move:2027-01-29', 'open', null],
    ['action:act-redated:2026-12-18', 'cancelled', null],
    ['action:act-redated:2027-01-15', 'open', null],
    ['risk-review:risk-closed:2027-02-01', 'cancelled', null],
    ['risk-review:risk-reviewed:2027-02-01', 'met', '2027-01-20'],
  ]);
});
