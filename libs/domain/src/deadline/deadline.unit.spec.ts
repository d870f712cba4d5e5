import { deciderSpecification } from '@kpi/testing';
import { addDays } from '../shared/calendar-date';
import type { Period } from '../shared/period';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import {
  complaintDeadlines,
  deadlineStatus,
  judgeDeadline,
  monthlyReturnDeadline,
  nextMonthlyReturnDeadline,
  recurringStaffDeadline,
  remindersFor,
  starterDeadlines,
  type Deadline,
  type WorkingDays,
} from './deadline';
import { deadlinesCausedBy, isWorkFor, workRecordedBy } from './deadline-sources';
import { deadlineDecider } from './deadline.decider';
import type { DeadlineEvent } from './deadline.events';

/** Weekdays only: the bank holidays are the calendar's business (libs/domain/src/calendar). */
const weekdays: WorkingDays = {
  workingDaysBefore(date, n) {
    let day = date;
    for (let left = n; left > 0;) {
      day = addDays(day, -1);
      const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) left--;
    }
    return day;
  },
};

const home = { serviceId: 'home-01', regionId: 'north' };
const now = new Date('2026-12-21T00:00:00Z');

describe("a complaint's full response", () => {
  it('is reminded 3 working days before it is due; its acknowledgement is not', () => {
    const [acknowledgement, response] = complaintDeadlines({
      complaintId: 'cmp-1',
      serviceId: 'home-01',
      acknowledgementDueOn: '2026-11-03',
      responseDueOn: '2026-11-23', // a Monday
    });
    expect(remindersFor(response!, weekdays)).toEqual([
      { name: '3-working-days-before', on: '2026-11-18' },
    ]);
    expect(remindersFor(acknowledgement!, weekdays)).toEqual([]);
  });
});

describe('monthly return deadlines', () => {
  it('are due on the 20th of the next month, with reminders 5 and 1 working days before', () => {
    const deadline = monthlyReturnDeadline(home, '2026-10' as Period);
    expect(deadline).toMatchObject({
      key: 'monthly-return:home-01:2026-10',
      dueOn: '2026-11-20', // a Friday
      regionId: 'north',
    });
    expect(remindersFor(deadline, weekdays)).toEqual([
      { name: '5-working-days-before', on: '2026-11-13' },
      { name: '1-working-day-before', on: '2026-11-19' },
    ]);
  });

  it('count working days back from a due date that falls on a weekend', () => {
    // 2026-12-20 is a Sunday: one working day before is Friday the 18th.
    expect(remindersFor(monthlyReturnDeadline(home, '2026-11' as Period), weekdays)).toEqual([
      { name: '5-working-days-before', on: '2026-12-14' },
      { name: '1-working-day-before', on: '2026-12-18' },
    ]);
  });

  it('count back over bank holidays on the real calendar (Easter 2025: due Sunday 20 April)', () => {
    const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);
    // Good Friday 18 April is skipped: one working day before is Thursday the 17th, five the 11th.
    expect(remindersFor(monthlyReturnDeadline(home, '2025-03' as Period), calendar)).toEqual([
      { name: '5-working-days-before', on: '2025-04-11' },
      { name: '1-working-day-before', on: '2025-04-17' },
    ]);
  });

  it('chain: the month after December is January of the next year', () => {
    const next = nextMonthlyReturnDeadline(monthlyReturnDeadline(home, '2026-12' as Period));
    expect(next).toMatchObject({ period: '2027-01', dueOn: '2027-02-20', regionId: 'north' });
  });
});

describe('staff deadlines', () => {
  const starter = {
    staffId: 'sam',
    serviceId: 'home-01',
    startedOn: '2026-01-31',
    dbsCheckedOn: null,
  };

  it('a starter: supervision and safeguarding in 3 months, Care Certificate in 12 weeks, appraisal in a year, DBS at once without a check', () => {
    const byKind = Object.fromEntries(starterDeadlines(starter).map((d) => [d.kind, d.dueOn]));
    expect(byKind).toEqual({
      supervision: '2026-04-30',
      'safeguarding-training': '2026-04-30',
      'care-certificate': '2026-04-25',
      appraisal: '2027-01-31',
      'dbs-renewal': '2026-01-31',
    });
  });

  it('a DBS check on record is renewed three years on, and only a later check counts', () => {
    const dbs = starterDeadlines({ ...starter, dbsCheckedOn: '2025-12-01' }).find(
      (d) => d.kind === 'dbs-renewal',
    )!;
    expect(dbs).toMatchObject({ dueOn: '2028-12-01', workAfter: '2025-12-01' });
  });

  it('recur from the work done: supervision every 3 months, appraisal and safeguarding yearly, DBS every 3 years, the Care Certificate once', () => {
    const staff = { staffId: 'sam', serviceId: 'home-01' };
    expect(recurringStaffDeadline('supervision', staff, '2026-11-30')).toMatchObject({
      key: 'supervision:sam:2027-02-28',
      workAfter: '2026-11-30',
    });
    expect(recurringStaffDeadline('appraisal', staff, '2026-03-01')?.dueOn).toBe('2027-03-01');
    expect(recurringStaffDeadline('safeguarding-training', staff, '2026-03-01')?.dueOn).toBe(
      '2027-03-01',
    );
    expect(recurringStaffDeadline('dbs-renewal', staff, '2026-03-01')?.dueOn).toBe('2029-03-01');
    expect(recurringStaffDeadline('care-certificate', staff, '2026-03-01')).toBeNull();
  });
});

describe('judging a deadline once it has passed', () => {
  const supervision: Deadline = recurringStaffDeadline(
    'supervision',
    { staffId: 'sam', serviceId: 'home-01' },
    '2026-06-10',
  )!; // due 2026-09-10, work after 2026-06-10

  it('is met by work on the due date', () => {
    expect(judgeDeadline(supervision, [{ on: '2026-09-10', eventId: 'e1' }], null)).toEqual({
      outcome: 'met',
      work: { on: '2026-09-10', eventId: 'e1' },
    });
  });

  it('is missed when the work came a day late', () => {
    expect(judgeDeadline(supervision, [{ on: '2026-09-11', eventId: 'e1' }], null)).toEqual({
      outcome: 'missed',
    });
  });

  it('does not count the work that started it (on or before workAfter)', () => {
    expect(judgeDeadline(supervision, [{ on: '2026-06-10', eventId: 'e0' }], null).outcome).toBe(
      'missed',
    );
  });

  it('is cancelled when the staff member left before it was due, met when the work was done first', () => {
    expect(judgeDeadline(supervision, [], '2026-08-01')).toEqual({
      outcome: 'cancelled',
      reason: 'the staff member left on 2026-08-01',
    });
    expect(
      judgeDeadline(supervision, [{ on: '2026-07-01', eventId: 'e1' }], '2026-08-01').outcome,
    ).toBe('met');
  });

  it('a complaint answered after 15 working days is missed', () => {
    const [, response] = complaintDeadlines({
      complaintId: 'c-1',
      serviceId: 'home-01',
      acknowledgementDueOn: '2026-04-07',
      responseDueOn: '2026-04-27',
    });
    expect(response!.key).toBe('complaint-response:c-1:2026-04-27');
    expect(judgeDeadline(response!, [{ on: '2026-04-28', eventId: 'r' }], null).outcome).toBe(
      'missed',
    );
  });
});

describe('the deadline decider', () => {
  const spec = deciderSpecification(deadlineDecider);
  const deadline = monthlyReturnDeadline(home, '2026-11' as Period);
  const reminded: DeadlineEvent = {
    type: 'DeadlineReminderSent',
    data: { deadline, reminder: '5-working-days-before', to: 'rm-1', sentAt: now.toISOString() },
  };
  const passed: DeadlineEvent = {
    type: 'DeadlinePassed',
    data: { deadline, to: 'rm-1', judgedAt: now.toISOString(), outcome: 'missed' },
  };

  it('sends a reminder once', () => {
    const send = {
      type: 'SendDeadlineReminder' as const,
      data: { deadline, reminder: '5-working-days-before', to: 'rm-1', work: [], now },
    };
    spec.given([]).when(send).then([reminded]);
    spec.given([reminded]).when(send).thenNothingHappened();
  });

  it('sends no reminder once the work is done (it neutralises the deadline)', () => {
    spec
      .given([])
      .when({
        type: 'SendDeadlineReminder',
        data: {
          deadline,
          reminder: '1-working-day-before',
          to: 'rm-1',
          work: [{ on: '2026-12-01', eventId: 'r' }],
          now,
        },
      })
      .thenNothingHappened();
  });

  it('judges the deadline once: a second due job changes nothing, nor does a late reminder', () => {
    const close = {
      type: 'CloseDeadline' as const,
      data: { deadline, work: [], leftOn: null, to: 'rm-1', now },
    };
    spec.given([reminded]).when(close).then([passed]);
    spec.given([reminded, passed]).when(close).thenNothingHappened();
    spec
      .given([passed])
      .when({
        type: 'SendDeadlineReminder',
        data: { deadline, reminder: '1-working-day-before', to: 'rm-1', work: [], now },
      })
      .thenNothingHappened();
  });

  it('records the work that met it', () => {
    spec
      .given([])
      .when({
        type: 'CloseDeadline',
        data: {
          deadline,
          work: [{ on: '2026-12-18', eventId: 'ret' }],
          leftOn: null,
          to: 'rm-1',
          now,
        },
      })
      .then([
        {
          type: 'DeadlinePassed',
          data: {
            deadline,
            to: 'rm-1',
            judgedAt: now.toISOString(),
            outcome: 'met',
            work: { on: '2026-12-18', eventId: 'ret' },
          },
        },
      ]);
  });
});

describe("the deadline decider: a month the return's framework does not collect", () => {
  const spec = deciderSpecification(deadlineDecider);
  const deadline = monthlyReturnDeadline(home, '2026-11' as Period);
  const notOwed =
    'business-plan version 1 does not collect 2026-11: it collects Jun, Sep, Dec and Mar';

  it('sends no reminder', () => {
    spec
      .given([])
      .when({
        type: 'SendDeadlineReminder',
        data: { deadline, reminder: '5-working-days-before', to: 'rm-1', work: [], notOwed, now },
      })
      .thenNothingHappened();
  });

  it('is cancelled, never missed (so never overdue)', () => {
    spec
      .given([])
      .when({
        type: 'CloseDeadline',
        data: { deadline, work: [], leftOn: null, to: 'rm-1', notOwed, now },
      })
      .then([
        {
          type: 'DeadlinePassed',
          data: {
            deadline,
            to: 'rm-1',
            judgedAt: now.toISOString(),
            outcome: 'cancelled',
            reason: notOwed,
          },
        },
      ]);
  });

  it('is met by a return made in time all the same (one from before the rule)', () => {
    spec
      .given([])
      .when({
        type: 'CloseDeadline',
        data: {
          deadline,
          work: [{ on: '2026-12-18', eventId: 'ret' }],
          leftOn: null,
          to: 'rm-1',
          notOwed,
          now,
        },
      })
      .then([
        {
          type: 'DeadlinePassed',
          data: {
            deadline,
            to: 'rm-1',
            judgedAt: now.toISOString(),
            outcome: 'met',
            work: { on: '2026-12-18', eventId: 'ret' },
          },
        },
      ]);
  });
});

describe('what starts a deadline and what does its work', () => {
  const staff = { serviceId: 'home-01', leftOn: null };

  it('a new service owes the return of the month it opened', () => {
    const [deadline] = deadlinesCausedBy(
      {
        type: 'ServiceRegistered',
        data: { serviceId: 'home-01', regionId: 'north', openedOn: '2026-03-15' },
      },
      null,
    );
    expect(deadline).toMatchObject({
      kind: 'monthly-return',
      period: '2026-03',
      dueOn: '2026-04-20',
    });
  });

  it('a passed return deadline starts the next month, met or missed', () => {
    const deadline = monthlyReturnDeadline(home, '2026-03' as Period);
    for (const outcome of [
      { outcome: 'missed' as const },
      { outcome: 'met' as const, work: { on: '2026-04-01', eventId: 'e' } },
    ]) {
      const [next] = deadlinesCausedBy(
        {
          type: 'DeadlinePassed',
          data: { deadline, to: null, judgedAt: now.toISOString(), ...outcome },
        },
        null,
      );
      expect(next?.key).toBe('monthly-return:home-01:2026-04');
    }
  });

  it('a one-to-one starts the next supervision deadline of a staff member on record, not of someone else', () => {
    const session = {
      type: 'SupervisionRecorded',
      data: { superviseeId: 'sam', supervisorId: 'mo', date: '2026-05-31', kind: 'one-to-one' },
    };
    expect(deadlinesCausedBy(session, staff).map((d) => d.key)).toEqual([
      'supervision:sam:2026-08-31',
    ]);
    expect(deadlinesCausedBy(session, null)).toEqual([]);
    expect(deadlinesCausedBy(session, { ...staff, leftOn: '2026-05-01' })).toEqual([]);
    expect(
      deadlinesCausedBy({ ...session, data: { ...session.data, kind: 'group' } }, staff),
    ).toEqual([]);
  });

  it('work recorded before the staff member was registered still carries the chain on (the same key)', () => {
    const [first] = starterDeadlines({
      staffId: 'sam',
      serviceId: 'home-01',
      startedOn: '2026-03-01',
      dbsCheckedOn: null,
    });
    const [next] = deadlinesCausedBy(
      {
        type: 'DeadlinePassed',
        data: {
          deadline: first!,
          to: null,
          judgedAt: now.toISOString(),
          outcome: 'met',
          work: { on: '2026-05-31', eventId: 's' },
        },
      },
      null,
    );
    expect(next?.key).toBe('supervision:sam:2026-08-31');
    const missed = deadlinesCausedBy(
      {
        type: 'DeadlinePassed',
        data: { deadline: first!, to: null, judgedAt: now.toISOString(), outcome: 'missed' },
      },
      null,
    );
    expect(missed).toEqual([]);
  });

  it("a submitted return does the work of its own month's deadline only", () => {
    const submitted = {
      type: 'MonthlyReturnSubmitted',
      data: { serviceId: 'home-01', period: '2026-03', submittedAt: '2026-04-20T22:30:00.000Z' },
    };
    const [work] = workRecordedBy(submitted);
    // 23:30 on the 20th in London (BST) is still the 20th.
    expect(work).toEqual({ kind: 'monthly-return', subjectId: 'home-01', on: '2026-04-20' });
    expect(isWorkFor(monthlyReturnDeadline(home, '2026-03' as Period), work!, submitted)).toBe(
      true,
    );
    expect(isWorkFor(monthlyReturnDeadline(home, '2026-04' as Period), work!, submitted)).toBe(
      false,
    );
  });

  it('a response to a complaint acknowledges it too', () => {
    expect(
      workRecordedBy({
        type: 'ComplaintResponded',
        data: { complaintId: 'c-1', respondedOn: '2026-04-08' },
      }).map((w) => w.kind),
    ).toEqual(['complaint-acknowledgement', 'complaint-response']);
  });
});

describe('deadlineStatus: what was done on or before its due date is never missed', () => {
  const dueOn = '2026-04-27';
  it('is met by work on or before the due date, whether the judgement came first or not', () => {
    // The due-date job ran before the answer of 24 April was recorded: it judged "missed".
    expect(deadlineStatus({ dueOn, doneOn: '2026-04-24', judged: 'missed' })).toBe('met');
    expect(deadlineStatus({ dueOn, doneOn: '2026-04-27', judged: 'missed' })).toBe('met');
    expect(deadlineStatus({ dueOn, doneOn: '2026-04-24', judged: null })).toBe('met');
    expect(deadlineStatus({ dueOn, doneOn: '2026-04-24', judged: 'cancelled' })).toBe('met');
  });

  it('keeps the judgement when the work came late or not at all; open until judged', () => {
    expect(deadlineStatus({ dueOn, doneOn: '2026-04-28', judged: 'missed' })).toBe('missed');
    expect(deadlineStatus({ dueOn, doneOn: null, judged: 'missed' })).toBe('missed');
    expect(deadlineStatus({ dueOn, doneOn: null, judged: 'cancelled' })).toBe('cancelled');
    expect(deadlineStatus({ dueOn, doneOn: '2026-04-28', judged: null })).toBe('open');
    expect(deadlineStatus({ dueOn, doneOn: null, judged: null })).toBe('open');
  });

  it('agrees with the judgement the due-date job makes when the work is known in time', () => {
    const [, response] = complaintDeadlines({
      complaintId: 'c-1',
      serviceId: 'home-01',
      acknowledgementDueOn: '2026-04-07',
      responseDueOn: dueOn,
    });
    for (const on of ['2026-04-24', '2026-04-27', '2026-04-28']) {
      const judged = judgeDeadline(response!, [{ on, eventId: 'e-1' }], null).outcome;
      expect(deadlineStatus({ dueOn, doneOn: on, judged })).toBe(judged);
    }
  });
});
