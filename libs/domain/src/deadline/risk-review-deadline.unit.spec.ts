import { deciderSpecification } from '@kpi/testing';
import { foldEvents } from '../shared/decider';
import { riskDecider, whyRiskReviewIsNotOwed } from '../risk/risk.decider';
import type { RiskEvent } from '../risk/risk.events';
import { judgeDeadline, remindersFor } from './deadline';
import { deadlinesCausedBy, deadlinesEndedBy, isWorkFor, workRecordedBy } from './deadline-sources';
import { deadlineDecider } from './deadline.decider';

/**
 * A risk's review is a deadline (docs/decisions/0039): due on its review date, met by a revision
 * made after the date was set, told to the risk's owner; a closed risk owes no review.
 */
const facts = {
  title: 'Business disruption',
  owner: 'rm-gwen',
  category: 'business-continuity' as const,
  inherent: { likelihood: 4, impact: 5 },
  residual: { likelihood: 2, impact: 4 },
  controls: 'Plans',
  reviewOn: '2027-02-01',
};
const raised: RiskEvent = {
  type: 'RiskRaised',
  data: { riskId: 'risk-1', ...facts, raisedBy: 'user:a', raisedAt: '2026-11-10T10:00:00.000Z' },
};
const revised = (revisedAt: string, reviewOn: string): RiskEvent => ({
  type: 'RiskRevised',
  data: {
    riskId: 'risk-1',
    ...facts,
    reviewOn,
    revision: 2,
    changed: ['reviewOn'],
    revisedBy: 'user:rm-gwen',
    revisedAt,
  },
});

describe('a risk’s review deadline', () => {
  const [review] = deadlinesCausedBy(raised, null);

  it('starts when the risk is raised: due on its review date, work counted after that day', () => {
    expect(review).toEqual({
      key: 'risk-review:risk-1:2027-02-01',
      kind: 'risk-review',
      serviceId: '',
      subjectId: 'risk-1',
      period: null,
      dueOn: '2027-02-01',
      workAfter: '2026-11-10',
      regionId: null,
    });
    expect(remindersFor(review!, { workingDaysBefore: () => '' })).toEqual([]);
  });

  it('is met by a revision made by the date, which sets the next review', () => {
    const revision = revised('2027-01-20T10:00:00.000Z', '2027-05-01');
    const [work] = workRecordedBy(revision);
    expect(work).toEqual({ kind: 'risk-review', subjectId: 'risk-1', on: '2027-01-20' });
    expect(isWorkFor(review!, work!, revision)).toBe(true);
    expect(judgeDeadline(review!, [{ on: work!.on, eventId: 'e' }], null).outcome).toBe('met');
    const [next] = deadlinesCausedBy(revision, null);
    expect(next).toMatchObject({ key: 'risk-review:risk-1:2027-05-01', workAfter: '2027-01-20' });
    // The revision that set the next date does not meet it.
    expect(judgeDeadline(next!, [{ on: work!.on, eventId: 'e' }], null).outcome).toBe('missed');
  });

  it('is missed without a revision by then, and told to the owner', () => {
    deciderSpecification(deadlineDecider)
      .given([])
      .when({
        type: 'CloseDeadline',
        data: {
          deadline: review!,
          work: [],
          leftOn: null,
          to: 'rm-gwen',
          now: new Date('2027-02-02T00:00:00Z'),
        },
      })
      .thenEvents(([event]) =>
        expect(event).toMatchObject({ data: { outcome: 'missed', to: 'rm-gwen' } }),
      );
  });

  it('is owed no more once the risk is closed, and the list says so at once', () => {
    const closed: RiskEvent = {
      type: 'RiskClosed',
      data: {
        riskId: 'risk-1',
        closedOn: '2026-12-01',
        reviewOn: '2027-02-01',
        closedBy: 'user:rm-gwen',
        recordedAt: '2026-12-01T10:00:00.000Z',
      },
    };
    const risk = foldEvents(riskDecider, [raised, closed]).risk!;
    expect(whyRiskReviewIsNotOwed(risk, '2027-02-01')).toBe('the risk was closed on 2026-12-01');
    expect(
      whyRiskReviewIsNotOwed(foldEvents(riskDecider, [raised]).risk!, '2027-02-01'),
    ).toBeNull();
    expect(deadlinesEndedBy(closed)).toEqual([
      { key: 'risk-review:risk-1:2027-02-01', on: '2026-12-01' },
    ]);
  });
});
