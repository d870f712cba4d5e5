import { deciderSpecification } from '@kpi/testing';
import {
  ConflictError,
  ForbiddenError,
  InvalidCommandError,
  NotFoundError,
} from '../shared/domain-errors';
import type { ActionCommand } from './action.commands';
import { actionDecider, capabilityEntryParts, whyActionDeadlineIsNotOwed } from './action.decider';
import type { ActionEvent, ActionPlanned } from './action.events';
import { foldEvents } from '../shared/decider';

const spec = deciderSpecification(actionDecider);
const now = new Date('2026-11-10T10:00:00Z');
const at = now.toISOString();

/** Stage 2 of mgr-siwan for EDU at home-02 (the run began in August). */
const stageEntry = {
  kind: 'capability-stage',
  managerId: 'mgr-siwan',
  entryId: 'home-02.EDU.2026-08.s2',
  supportKind: 'mentoring',
};

const plan = (over: Partial<Extract<ActionCommand, { type: 'PlanAction' }>['data']> = {}) =>
  ({
    type: 'PlanAction',
    data: {
      actionId: 'act-1',
      title: 'Mentoring sessions with an experienced manager',
      owner: 'mgr-siwan',
      startOn: '2026-11-10',
      dueOn: '2026-12-18',
      target: stageEntry,
      description: 'Fortnightly, with Carys from Tŷ Gwyn',
      milestones: [{ title: 'First session held', dueOn: '2026-11-20' }],
      serviceId: 'home-02',
      subjectId: 'subj-1',
      actor: 'user:hr-1',
      now,
      ...over,
    },
  }) satisfies ActionCommand;

const planned: ActionPlanned = {
  type: 'ActionPlanned',
  data: {
    actionId: 'act-1',
    title: 'Mentoring sessions with an experienced manager',
    owner: 'mgr-siwan',
    startOn: '2026-11-10',
    dueOn: '2026-12-18',
    target: {
      kind: 'capability-stage',
      managerId: 'mgr-siwan',
      entryId: 'home-02.EDU.2026-08.s2',
      supportKind: 'mentoring',
    },
    serviceId: 'home-02',
    subjectId: 'subj-1',
    description: 'Fortnightly, with Carys from Tŷ Gwyn',
    milestones: [{ milestoneId: 'm1', title: 'First session held', dueOn: '2026-11-20' }],
    plannedBy: 'user:hr-1',
    plannedAt: at,
  },
};

const byOwner = { actionId: 'act-1', actor: 'user:mgr-siwan', mayManage: false, now };
const byHr = { actionId: 'act-1', actor: 'user:hr-1', now };
const milestoneDone: ActionEvent = {
  type: 'ActionMilestoneDone',
  data: {
    actionId: 'act-1',
    milestoneId: 'm1',
    doneOn: '2026-11-10',
    recordedBy: 'user:mgr-siwan',
    recordedAt: at,
  },
};

describe('planning an action', () => {
  it('plans it on a stage entry as part of the support plan, with its milestones numbered', () => {
    spec.given([]).when(plan()).then([planned]);
  });

  it('keeps the owner as an account id (without user:)', () => {
    spec
      .given([])
      .when(plan({ owner: 'user:mgr-siwan' }))
      .thenEvents(([event]) => expect(event).toMatchObject({ data: { owner: 'mgr-siwan' } }));
  });

  it('refuses a second plan of the same action', () => {
    spec
      .given([planned])
      .when(plan())
      .thenThrows(ConflictError, /already planned/);
  });

  it('names every field wrong at once', () => {
    spec
      .given([])
      .when(
        plan({
          title: ' ',
          dueOn: '2026-11-01',
          milestones: [{ title: 'Late', dueOn: '2027-01-10' }],
          target: { kind: 'wish' },
        }),
      )
      .thenThrows(
        InvalidCommandError,
        /^title: .*; dueOn: .*; target.kind: .*; milestones\[0\]\.dueOn: /,
      );
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ owner: 'not an id!' }, 'owner'],
    [{ dueOn: '2026-11-01' }, 'dueOn'],
    [{ startOn: '2026-02-30' }, 'startOn'],
    [{ milestones: [{ title: 'Late', dueOn: '2027-01-10' }] }, 'milestones[0].dueOn'],
    [{ target: { kind: 'wish' } }, 'target.kind'],
    [{ target: { ...stageEntry, supportKind: 'coaching' } }, 'target.supportKind'],
    [{ target: { ...stageEntry, entryId: 'home-02-edu' } }, 'target.entryId'],
    [{ target: { kind: 'complaint', complaintId: 'C 1' } }, 'target.complaintId'],
    [
      {
        target: {
          kind: 'indicator',
          serviceId: 'home-02',
          indicatorCode: 'EDU',
          period: '2026-13',
        },
      },
      'target.period',
    ],
    [{ target: { kind: 'objective', reference: 'x', extra: 1 } }, 'target.extra'],
  ])('refuses %j, naming %s', (over, field) => {
    let problems: readonly { field: string }[] = [];
    try {
      actionDecider.decide(plan(over as never), actionDecider.initialState());
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCommandError);
      problems = (error as InvalidCommandError).problems;
    }
    expect(problems.map((p) => p.field)).toContain(field);
  });

  it('takes a target field given as undefined as not given (a parsed request body holds them)', () => {
    spec
      .given([])
      .when(plan({ target: { ...stageEntry, complaintId: undefined, reference: undefined } }))
      .then([planned]);
  });

  it('acts on a missed indicator, an objective, a complaint or an audit finding too', () => {
    for (const target of [
      { kind: 'indicator', serviceId: 'home-02', indicatorCode: 'EDU', period: '2026-10' },
      { kind: 'objective', reference: 'Business plan 2026/27: reviews in timescale' },
      { kind: 'complaint', complaintId: 'cmp-2026-0042' },
      { kind: 'audit-finding', findingId: 'finding-7f3a' },
    ])
      spec
        .given([])
        .when(plan({ target }))
        .thenEvents(([event]) => expect(event).toMatchObject({ data: { target } }));
  });
});

describe('an action moves planned → in progress → completed', () => {
  it('is started by its owner', () => {
    spec
      .given([planned])
      .when({ type: 'StartAction', data: { ...byOwner, startedOn: undefined } })
      .then([
        {
          type: 'ActionStarted',
          data: {
            actionId: 'act-1',
            startedOn: '2026-11-10',
            startedBy: 'user:mgr-siwan',
            recordedAt: at,
          },
        },
      ]);
  });

  it('is not started twice', () => {
    const started: ActionEvent = {
      type: 'ActionStarted',
      data: {
        actionId: 'act-1',
        startedOn: '2026-11-10',
        startedBy: 'user:mgr-siwan',
        recordedAt: at,
      },
    };
    spec
      .given([planned, started])
      .when({ type: 'StartAction', data: { ...byOwner, startedOn: undefined } })
      .thenThrows(ConflictError, /in progress/);
  });

  it('may not be changed by someone who neither owns it nor manages actions', () => {
    spec
      .given([planned])
      .when({
        type: 'CompleteAction',
        data: { ...byOwner, actor: 'user:mgr-other', completedOn: undefined },
      })
      .thenThrows(ForbiddenError);
  });

  it('is completed only once its milestones are done', () => {
    spec
      .given([planned])
      .when({ type: 'CompleteAction', data: { ...byOwner, completedOn: undefined } })
      .thenThrows(ConflictError, /milestones not done: m1/);
    spec
      .given([planned, milestoneDone])
      .when({ type: 'CompleteAction', data: { ...byOwner, completedOn: '2026-11-09' } })
      .then([
        {
          type: 'ActionCompleted',
          data: {
            actionId: 'act-1',
            completedOn: '2026-11-09',
            completedBy: 'user:mgr-siwan',
            recordedAt: at,
          },
        },
      ]);
  });

  it('may be completed without being started (a one-off task), from in progress too', () => {
    const started: ActionEvent = {
      type: 'ActionStarted',
      data: {
        actionId: 'act-1',
        startedOn: '2026-11-10',
        startedBy: 'user:mgr-siwan',
        recordedAt: at,
      },
    };
    for (const history of [
      [planned, milestoneDone],
      [planned, started, milestoneDone],
    ])
      spec
        .given(history)
        .when({ type: 'CompleteAction', data: { ...byOwner, completedOn: undefined } })
        .thenEvents(([event]) => expect(event).toMatchObject({ type: 'ActionCompleted' }));
  });

  it('is not completed in the future', () => {
    spec
      .given([planned, milestoneDone])
      .when({ type: 'CompleteAction', data: { ...byOwner, completedOn: '2026-11-11' } })
      .thenThrows(InvalidCommandError, /completedOn: is in the future/);
  });

  it('is final once completed or cancelled: nothing changes it', () => {
    const completed: ActionEvent = {
      type: 'ActionCompleted',
      data: {
        actionId: 'act-1',
        completedOn: '2026-11-10',
        completedBy: 'user:mgr-siwan',
        recordedAt: at,
      },
    };
    const cancelled: ActionEvent = {
      type: 'ActionCancelled',
      data: {
        actionId: 'act-1',
        cancelledOn: '2026-11-10',
        dueOn: '2026-12-18',
        reason: null,
        cancelledBy: 'user:hr-1',
        recordedAt: at,
      },
    };
    for (const final of [
      [planned, milestoneDone, completed],
      [planned, cancelled],
    ])
      for (const command of [
        { type: 'StartAction', data: { ...byOwner, startedOn: undefined } },
        { type: 'CancelAction', data: { ...byHr, cancelledOn: undefined, reason: undefined } },
        { type: 'RedateAction', data: { ...byHr, dueOn: '2027-01-08', reason: undefined } },
      ] satisfies ActionCommand[])
        spec
          .given(final)
          .when(command)
          .thenThrows(ConflictError, /can no longer change/);
  });

  it('is cancelled with its due date, so that deadline is no longer owed', () => {
    spec
      .given([planned])
      .when({
        type: 'CancelAction',
        data: { ...byHr, cancelledOn: undefined, reason: 'Stage withdrawn' },
      })
      .then([
        {
          type: 'ActionCancelled',
          data: {
            actionId: 'act-1',
            cancelledOn: '2026-11-10',
            dueOn: '2026-12-18',
            reason: 'Stage withdrawn',
            cancelledBy: 'user:hr-1',
            recordedAt: at,
          },
        },
      ]);
  });

  it('refuses anything on an action never planned', () => {
    spec
      .given([])
      .when({ type: 'StartAction', data: { ...byOwner, startedOn: undefined } })
      .thenThrows(NotFoundError);
  });
});

describe('milestones', () => {
  it('are added numbered after the others, within the action’s dates', () => {
    spec
      .given([planned])
      .when({
        type: 'AddActionMilestone',
        data: { ...byHr, title: 'Second session', dueOn: '2026-12-04' },
      })
      .then([
        {
          type: 'ActionMilestoneAdded',
          data: {
            actionId: 'act-1',
            milestone: { milestoneId: 'm2', title: 'Second session', dueOn: '2026-12-04' },
            addedBy: 'user:hr-1',
            addedAt: at,
          },
        },
      ]);
    spec
      .given([planned])
      .when({ type: 'AddActionMilestone', data: { ...byHr, title: 'After', dueOn: '2027-01-04' } })
      .thenThrows(InvalidCommandError, /^dueOn: is after the action is due/);
  });

  it('are marked done once, by the owner', () => {
    spec
      .given([planned])
      .when({
        type: 'MarkActionMilestoneDone',
        data: { ...byOwner, milestoneId: 'm1', doneOn: '2026-11-10' },
      })
      .then([milestoneDone]);
    spec
      .given([planned, milestoneDone])
      .when({
        type: 'MarkActionMilestoneDone',
        data: { ...byOwner, milestoneId: 'm1', doneOn: undefined },
      })
      .thenThrows(ConflictError, /was done on 2026-11-10/);
    spec
      .given([planned])
      .when({
        type: 'MarkActionMilestoneDone',
        data: { ...byOwner, milestoneId: 'm9', doneOn: undefined },
      })
      .thenThrows(NotFoundError, /no milestone m9/);
  });
});

describe('re-dating an action', () => {
  const redated: ActionEvent = {
    type: 'ActionRedated',
    data: {
      actionId: 'act-1',
      serviceId: 'home-02',
      previousDueOn: '2026-12-18',
      dueOn: '2027-01-15',
      reason: null,
      redatedBy: 'user:hr-1',
      redatedAt: at,
    },
  };

  it('moves the due date, naming the previous one (its deadline is replaced)', () => {
    spec
      .given([planned])
      .when({ type: 'RedateAction', data: { ...byHr, dueOn: '2027-01-15', reason: undefined } })
      .then([redated]);
  });

  it('refuses the same date, a date before the start, or one before an open milestone', () => {
    spec
      .given([planned])
      .when({ type: 'RedateAction', data: { ...byHr, dueOn: '2026-12-18', reason: undefined } })
      .thenThrows(InvalidCommandError, /due date already/);
    spec
      .given([planned])
      .when({ type: 'RedateAction', data: { ...byHr, dueOn: '2026-11-01', reason: undefined } })
      .thenThrows(InvalidCommandError, /before the start/);
    spec
      .given([planned])
      .when({ type: 'RedateAction', data: { ...byHr, dueOn: '2026-11-15', reason: undefined } })
      .thenThrows(InvalidCommandError, /before milestone m1/);
  });

  it('makes the deadline of the old date not owed, and the new one owed', () => {
    const action = foldEvents(actionDecider, [planned, redated]).action!;
    expect(whyActionDeadlineIsNotOwed(action, '2026-12-18')).toBe(
      'the action was re-dated on 2026-11-10 to 2027-01-15',
    );
    expect(whyActionDeadlineIsNotOwed(action, '2027-01-15')).toBeNull();
  });

  it('does not undo a deadline already missed: re-dated after its date, the old one stays owed', () => {
    const late = { ...redated, data: { ...redated.data, redatedAt: '2026-12-21T09:00:00.000Z' } };
    const action = foldEvents(actionDecider, [planned, late]).action!;
    expect(whyActionDeadlineIsNotOwed(action, '2026-12-18')).toBeNull();
  });

  it('a cancelled action owes nothing from the day it was cancelled', () => {
    const action = foldEvents(actionDecider, [
      planned,
      {
        type: 'ActionCancelled',
        data: {
          actionId: 'act-1',
          cancelledOn: '2026-11-10',
          dueOn: '2026-12-18',
          reason: null,
          cancelledBy: 'user:hr-1',
          recordedAt: at,
        },
      },
    ]).action!;
    expect(whyActionDeadlineIsNotOwed(action, '2026-12-18')).toBe(
      'the action was cancelled on 2026-11-10',
    );
  });
});

describe('reassigning and noting progress', () => {
  it('hands the action to someone else, who is told from then on', () => {
    spec
      .given([planned])
      .when({ type: 'ReassignAction', data: { ...byHr, owner: 'rm-gwen' } })
      .then([
        {
          type: 'ActionReassigned',
          data: {
            actionId: 'act-1',
            previousOwner: 'mgr-siwan',
            owner: 'rm-gwen',
            reassignedBy: 'user:hr-1',
            reassignedAt: at,
          },
        },
      ]);
  });

  it('numbers progress notes, and needs text', () => {
    const note = (text: string) =>
      ({ type: 'NoteActionProgress', data: { ...byOwner, note: text } }) satisfies ActionCommand;
    const first: ActionEvent = {
      type: 'ActionProgressNoted',
      data: {
        actionId: 'act-1',
        noteId: 'n1',
        note: 'Met Carys',
        notedBy: 'user:mgr-siwan',
        notedAt: at,
      },
    };
    spec.given([planned]).when(note('Met Carys')).then([first]);
    spec
      .given([planned, first])
      .when(note('Second'))
      .thenEvents(([event]) => expect(event).toMatchObject({ data: { noteId: 'n2' } }));
    spec
      .given([planned])
      .when(note('  '))
      .thenThrows(InvalidCommandError, /^note:/);
  });
});

describe('a capability entry id', () => {
  it('names the home, the KPI, the run and the stage', () => {
    expect(capabilityEntryParts('home-02.EDU.2026-08.s2')).toEqual({
      serviceId: 'home-02',
      indicatorCode: 'EDU',
      runStart: '2026-08',
      stage: 2,
    });
    expect(capabilityEntryParts('home-02.EDU')).toBeNull();
  });
});
