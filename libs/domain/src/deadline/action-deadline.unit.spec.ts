import { deciderSpecification } from '@kpi/testing';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { actionDeadline, remindersFor } from './deadline';
import { deadlinesCausedBy, deadlinesEndedBy, isWorkFor, workRecordedBy } from './deadline-sources';
import { deadlineDecider } from './deadline.decider';

/**
 * An action's deadline (docs/decisions/0039): started when it is planned or re-dated, met when
 * it is completed by its due date, told to its owner; a re-dated action's earlier deadline is
 * not owed (the due job is told why, and judges it cancelled).
 */
const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const planned = {
  type: 'ActionPlanned',
  data: { actionId: 'act-1', serviceId: 'home-02', dueOn: '2026-12-18', owner: 'mgr-siwan' },
};
const deadline = actionDeadline({ actionId: 'act-1', serviceId: 'home-02', dueOn: '2026-12-18' });
const now = new Date('2026-12-19T00:00:00Z');

describe('an action’s deadline', () => {
  it('starts when the action is planned, keyed by its due date', () => {
    expect(deadlinesCausedBy(planned, null)).toEqual([
      {
        key: 'action:act-1:2026-12-18',
        kind: 'action',
        serviceId: 'home-02',
        subjectId: 'act-1',
        period: null,
        dueOn: '2026-12-18',
        workAfter: null,
        regionId: null,
      },
    ]);
  });

  it('is listed under no service when the action concerns none', () => {
    const objective = { ...planned, data: { ...planned.data, serviceId: null } };
    expect(deadlinesCausedBy(objective, null)[0]!.serviceId).toBe('');
  });

  it('reminds its owner 2 working days before (over Christmas: the 23rd for the 29th)', () => {
    expect(remindersFor(deadline, calendar)).toEqual([
      { name: '2-working-days-before', on: '2026-12-16' },
    ]);
    // 25, 26 (Saturday), 27, 28 (Boxing Day substitute) are not working days.
    expect(
      remindersFor(
        actionDeadline({ actionId: 'a', serviceId: null, dueOn: '2026-12-29' }),
        calendar,
      ),
    ).toEqual([{ name: '2-working-days-before', on: '2026-12-23' }]);
  });

  it('is met by the action completed on or before its due date', () => {
    const completed = {
      type: 'ActionCompleted',
      data: { actionId: 'act-1', completedOn: '2026-12-18' },
    };
    const [work] = workRecordedBy(completed);
    expect(work).toEqual({ kind: 'action', subjectId: 'act-1', on: '2026-12-18' });
    expect(isWorkFor(deadline, work!, completed)).toBe(true);
    deciderSpecification(deadlineDecider)
      .given([])
      .when({
        type: 'CloseDeadline',
        data: {
          deadline,
          work: [{ on: '2026-12-18', eventId: 'e1' }],
          leftOn: null,
          to: 'mgr-siwan',
          now,
        },
      })
      .thenEvents(([event]) =>
        expect(event).toMatchObject({ data: { outcome: 'met', to: 'mgr-siwan' } }),
      );
  });

  it('is missed, and told to its owner, when the action is not completed by then', () => {
    deciderSpecification(deadlineDecider)
      .given([])
      .when({
        type: 'CloseDeadline',
        data: { deadline, work: [], leftOn: null, to: 'mgr-siwan', now },
      })
      .then([
        {
          type: 'DeadlinePassed',
          data: { deadline, to: 'mgr-siwan', judgedAt: now.toISOString(), outcome: 'missed' },
        },
      ]);
  });

  it('re-dated: a new deadline of the new date, and the old one ended (cancelled, never missed)', () => {
    const redated = {
      type: 'ActionRedated',
      data: {
        actionId: 'act-1',
        serviceId: 'home-02',
        previousDueOn: '2026-12-18',
        dueOn: '2027-01-15',
        redatedAt: '2026-12-01T10:00:00.000Z',
      },
    };
    expect(deadlinesCausedBy(redated, null).map((d) => d.key)).toEqual(['action:act-1:2027-01-15']);
    expect(deadlinesEndedBy(redated)).toEqual([
      { key: 'action:act-1:2026-12-18', on: '2026-12-01' },
    ]);
    const reason = 'the action was re-dated on 2026-12-01 to 2027-01-15';
    const spec = deciderSpecification(deadlineDecider);
    spec
      .given([])
      .when({
        type: 'SendDeadlineReminder',
        data: {
          deadline,
          reminder: '2-working-days-before',
          to: 'mgr-siwan',
          work: [],
          notOwed: reason,
          now,
        },
      })
      .thenNothingHappened();
    spec
      .given([])
      .when({
        type: 'CloseDeadline',
        data: { deadline, work: [], leftOn: null, to: 'mgr-siwan', notOwed: reason, now },
      })
      .thenEvents(([event]) =>
        expect(event).toMatchObject({ data: { outcome: 'cancelled', reason } }),
      );
  });

  it('a cancelled action ends the deadline of its date', () => {
    expect(
      deadlinesEndedBy({
        type: 'ActionCancelled',
        data: { actionId: 'act-1', cancelledOn: '2026-12-02', dueOn: '2026-12-18' },
      }),
    ).toEqual([{ key: 'action:act-1:2026-12-18', on: '2026-12-02' }]);
  });
});
