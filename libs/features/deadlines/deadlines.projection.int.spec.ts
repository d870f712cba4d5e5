import { randomUUID } from 'node:crypto';
import {
  complaintDeadlines,
  complaintKpi,
  monthlyReturnDeadline,
  type ComplaintRecord,
  type Period,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { withTransaction } from '@kpi/projections';
import { deadlinesProjection } from './deadlines.projection';

/**
 * The upcoming-and-overdue read model against the real PostgreSQL: one story applied event by
 * event and as one batch gives the same rows (the batch is applied set-wise).
 */
let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('deadlines_projection');
  pool = database.pool({ max: 2 });
});
afterAll(() => database.drop());

const tenantId = 'acme';
let position = 0;
const recorded = (type: string, data: object): RecordedEvent =>
  ({
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      tenantId,
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

const october = monthlyReturnDeadline(
  { serviceId: 'home-01', regionId: 'north' },
  '2026-10' as Period,
);
const story = (): RecordedEvent[] => [
  recorded('ServiceRegistered', {
    serviceId: 'home-01',
    regionId: 'north',
    openedOn: '2026-10-01',
  }),
  recorded('StaffMemberRegistered', {
    staffId: 'sam',
    serviceId: 'home-01',
    startedOn: '2026-01-05',
    dbsCheckedOn: '2025-12-01',
  }),
  // A group session does no work; a one-to-one does, and starts the next one.
  recorded('SupervisionRecorded', {
    superviseeId: 'sam',
    supervisorId: 'mo',
    date: '2026-02-01',
    kind: 'group',
  }),
  recorded('SupervisionRecorded', {
    superviseeId: 'sam',
    supervisorId: 'mo',
    date: '2026-03-01',
    kind: 'one-to-one',
  }),
  recorded('SupervisionRecorded', {
    superviseeId: 'sam',
    supervisorId: 'mo',
    date: '2026-03-20',
    kind: 'one-to-one',
  }),
  recorded('ComplaintLogged', {
    complaintId: 'c-1',
    serviceId: 'home-01',
    acknowledgementDueOn: '2026-04-07',
    responseDueOn: '2026-04-27',
  }),
  recorded('ComplaintAcknowledged', { complaintId: 'c-1', acknowledgedOn: '2026-04-03' }),
  recorded('MonthlyReturnSubmitted', {
    serviceId: 'home-01',
    period: '2026-10',
    submittedAt: '2026-11-21T10:00:00Z',
  }),
  recorded('DeadlineReminderSent', {
    deadline: october,
    reminder: '5-working-days-before',
    to: 'rm',
    sentAt: '2026-11-13T09:00:00Z',
  }),
  recorded('DeadlineReminderSent', {
    deadline: october,
    reminder: '1-working-day-before',
    to: 'rm',
    sentAt: '2026-11-19T09:00:00Z',
  }),
  recorded('DeadlinePassed', {
    deadline: october,
    to: 'rm',
    judgedAt: '2026-11-21T00:00:01Z',
    outcome: 'missed',
  }),
  recorded('StaffMemberLeft', { staffId: 'sam', serviceId: 'home-01', leftOn: '2026-08-31' }),
];

async function applyIn(table: string, batches: RecordedEvent[][]) {
  await pool.query(deadlinesProjection.createTable(table));
  for (const batch of batches)
    await withTransaction(pool, (tx) => deadlinesProjection.apply(tx, table, batch));
  const { rows } = await pool.query(
    `SELECT deadline_key, status, to_char(done_on, 'YYYY-MM-DD') AS done_on, to_char(left_on, 'YYYY-MM-DD') AS left_on, reminders_sent
       FROM ${table} ORDER BY deadline_key`,
  );
  return rows as {
    deadline_key: string;
    status: string;
    done_on: string | null;
    left_on: string | null;
    reminders_sent: number;
  }[];
}

it('lists what the events start, marks the work, the reminders and the judgement — the same one by one or in one batch', async () => {
  const events = story();
  const oneByOne = await applyIn(
    'dl_one_by_one',
    events.map((e) => [e]),
  );
  const inOneBatch = await applyIn('dl_one_batch', [events]);
  expect(inOneBatch).toEqual(oneByOne);

  const row = (key: string) => oneByOne.find((r) => r.deadline_key === key);
  // The first one-to-one met the starter's supervision; the second met the one it started.
  expect(row('supervision:sam:2026-04-05')).toMatchObject({
    done_on: '2026-03-01',
    left_on: '2026-08-31',
  });
  expect(row('supervision:sam:2026-06-01')).toMatchObject({ done_on: '2026-03-20' });
  expect(row('supervision:sam:2026-06-20')).toMatchObject({ done_on: null, status: 'open' });
  expect(row('dbs-renewal:sam:2028-12-01')).toMatchObject({ done_on: null });
  expect(row('complaint-acknowledgement:c-1:2026-04-07')).toMatchObject({ done_on: '2026-04-03' });
  expect(row('complaint-response:c-1:2026-04-27')).toMatchObject({ done_on: null });
  // October's return came a day late: missed, done late, reminded twice; November's is next.
  expect(row('monthly-return:home-01:2026-10')).toMatchObject({
    status: 'missed',
    done_on: '2026-11-21',
    reminders_sent: 2,
  });
  expect(row('monthly-return:home-01:2026-11')).toMatchObject({ status: 'open', done_on: null });
});

describe('a complaint answered in time but recorded after its due date was judged', () => {
  // Due on 27 April; answered on 24 April; the answer recorded after the due job ran.
  const complaint = {
    complaintId: 'c-late-record',
    serviceId: 'home-01',
    acknowledgementDueOn: '2026-04-21',
    responseDueOn: '2026-04-27',
  };
  const [, response] = complaintDeadlines(complaint);
  const logged = () => recorded('ComplaintLogged', complaint);
  const judgedMissed = () =>
    recorded('DeadlinePassed', {
      deadline: response,
      to: null,
      judgedAt: '2026-04-28T00:00:01Z',
      outcome: 'missed',
    });
  const answered = (respondedOn: string) =>
    recorded('ComplaintResponded', {
      complaintId: complaint.complaintId,
      respondedOn,
      upheld: 'not-upheld',
    });
  const responseRow = async (table: string, batches: RecordedEvent[][]) =>
    (await applyIn(table, batches)).find((r) => r.deadline_key === response!.key);

  it('is met, whichever arrived first, in batches or in one', async () => {
    const judgedFirst = await responseRow('dl_judged_first', [
      [logged()],
      [judgedMissed()],
      [answered('2026-04-24')],
    ]);
    const answeredFirst = await responseRow('dl_answered_first', [
      [logged()],
      [answered('2026-04-24')],
      [judgedMissed()],
    ]);
    const oneBatch = await responseRow('dl_judged_answered_one_batch', [
      [logged(), judgedMissed(), answered('2026-04-24')],
    ]);
    for (const row of [judgedFirst, answeredFirst, oneBatch]) {
      expect(row).toMatchObject({ status: 'met', done_on: '2026-04-24' });
    }
  });

  it('agrees with the complaint KPI: in time there is met here, late there is missed here', async () => {
    for (const [respondedOn, table] of [
      ['2026-04-24', 'dl_kpi_in_time'],
      ['2026-04-29', 'dl_kpi_late'],
    ] as const) {
      const row = await responseRow(table, [[logged()], [judgedMissed()], [answered(respondedOn)]]);
      const record: ComplaintRecord = {
        ...complaint,
        receivedOn: '2026-04-06',
        category: 'care' as ComplaintRecord['category'],
        acknowledgedOn: respondedOn,
        respondedOn,
        finding: null,
      };
      const kpi = complaintKpi([record], ['2026-04' as Period], '2026-05-01');
      expect({ respondedOn, status: row?.status, answeredInTime: kpi.answeredInTime }).toEqual({
        respondedOn,
        status: kpi.answeredInTime === 1 ? 'met' : 'missed',
        answeredInTime: respondedOn <= complaint.responseDueOn ? 1 : 0,
      });
    }
  });
});
