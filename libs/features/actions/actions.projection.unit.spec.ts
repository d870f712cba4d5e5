import type { ActionEvent } from '@kpi/domain';
import { recorded } from '@kpi/testing/fixtures';
import { evolveAction, type ActionRow } from './actions.projection';

const sealed = {
  ref: '00000000-0000-8000-8000-000000000001',
  subjectId: 'mgr-a',
  ciphertextHash: 'ab',
};
const events: ActionEvent[] = [
  {
    type: 'ActionPlanned',
    data: {
      actionId: 'act-1',
      title: 'Mentoring',
      owner: 'mgr-a',
      startOn: '2026-04-10',
      dueOn: '2026-06-26',
      target: {
        kind: 'capability-stage',
        managerId: 'mgr-a',
        entryId: 'home-02.EDU.2026-01.s2',
        supportKind: 'mentoring',
      },
      serviceId: 'home-02',
      subjectId: 'mgr-a',
      description: sealed,
      milestones: [{ milestoneId: 'm1', title: 'Booked', dueOn: '2026-04-17' }],
      plannedBy: 'user:hr-sam',
      plannedAt: '2026-04-10T10:00:00.000Z',
    },
  },
  {
    type: 'ActionProgressNoted',
    data: {
      actionId: 'act-1',
      noteId: 'n1',
      note: sealed,
      notedBy: 'user:mgr-a',
      notedAt: '2026-04-11T10:00:00.000Z',
    },
  },
  {
    type: 'ActionMilestoneDone',
    data: {
      actionId: 'act-1',
      milestoneId: 'm1',
      doneOn: '2026-04-12',
      recordedBy: 'user:mgr-a',
      recordedAt: '2026-04-12T10:00:00.000Z',
    },
  },
  {
    type: 'ActionRedated',
    data: {
      actionId: 'act-1',
      serviceId: 'home-02',
      previousDueOn: '2026-06-26',
      dueOn: '2026-07-10',
      reason: null,
      redatedBy: 'user:hr-sam',
      redatedAt: '2026-04-13T10:00:00.000Z',
    },
  },
  {
    type: 'ActionCompleted',
    data: {
      actionId: 'act-1',
      completedOn: '2026-07-01',
      completedBy: 'user:mgr-a',
      recordedAt: '2026-07-01T10:00:00.000Z',
    },
  },
];
const fold = (list: ActionEvent[]) =>
  list.reduce<ActionRow | null>((row, event) => evolveAction(row, recorded(event) as never), null);

describe('the actions read model', () => {
  it('folds an action: the support plan it belongs to, its milestones, notes (sealed), due date and status', () => {
    expect(fold(events)).toMatchObject({
      tenantId: 'acme',
      actionId: 'act-1',
      status: 'completed',
      dueOn: '2026-07-10',
      managerId: 'mgr-a',
      entryId: 'home-02.EDU.2026-01.s2',
      supportKind: 'mentoring',
      serviceId: 'home-02',
      description: sealed,
      milestones: [{ milestoneId: 'm1', doneOn: '2026-04-12' }],
      notes: [{ noteId: 'n1', note: sealed }],
      completedOn: '2026-07-01',
    });
  });

  it('changes nothing when the same event is delivered twice', () => {
    const twice = events.flatMap((event) => [event, event]);
    expect(fold(twice)).toEqual(fold(events));
  });
});
