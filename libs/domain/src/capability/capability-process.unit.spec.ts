import { CapabilityProcessModel, capabilityFacts as f } from '@kpi/testing';
import { ConflictError, InvalidCommandError } from '../shared/domain-errors';
import type { RecordCapabilityAppeal, RecordCapabilityReview } from './capability.commands';
import type {
  CapabilityEvent,
  CapabilityRecordEvent,
  CapabilityStageEntered,
  CapabilityStageResolved,
  CapabilityStageWithdrawn,
} from './capability.events';

/**
 * Given / when / then for the escalation process (docs/rules/code-style.md): given the facts stored
 * so far, when one more is stored, then the process writes these records on the counters' streams.
 * Runs the worker's own code in memory (CapabilityProcessModel).
 */
const T = 'acme';
type Fact = [string, { type: string; data: unknown } | { type: string; data: unknown }[]];

function given(...facts: Fact[]) {
  const model = new CapabilityProcessModel(T);
  record(model, f.framework(T), f.home(T), f.appointed(T, 'mgr-a', '2026-01-01'), ...facts);
  return {
    model,
    when(...more: Fact[]) {
      const written = record(model, ...more);
      return {
        written,
        then(expected: Partial<Summary>[]) {
          expect(written.map(summarise)).toEqual(expected.map((e) => expect.objectContaining(e)));
        },
        thenNothingHappened() {
          expect(written).toEqual([]);
        },
      };
    },
  };
}

function record(model: CapabilityProcessModel, ...facts: Fact[]): CapabilityRecordEvent[] {
  return facts.flatMap(([streamId, event]) => model.record(streamId, event));
}

interface Summary {
  type: string;
  manager: string;
  home: string;
  kpi: string;
  stage: number;
  period: string | null;
  misses?: number;
  reason?: string;
  runStart: string;
}

function summarise(event: CapabilityRecordEvent): Summary {
  const { data } = event;
  return {
    type: event.type,
    manager: data.managerId,
    home: data.serviceId,
    kpi: data.indicatorCode,
    stage: data.stage,
    period: data.period,
    runStart: data.runStart,
    ...('consecutiveMisses' in data ? { misses: data.consecutiveMisses } : {}),
    ...(event.type === 'CapabilityStageResolved' ? { reason: event.data.reason } : {}),
  };
}

const missEdu = (period: string, value = 70, serviceId = 'home-02') =>
  f.returned(T, period, { EDU: value }, { serviceId });
const metEdu = (period: string, serviceId = 'home-02') =>
  f.returned(T, period, { EDU: 95 }, { serviceId });
const fourMisses = [missEdu('2026-01'), missEdu('2026-02'), missEdu('2026-03'), missEdu('2026-04')];

/** The counter's records in force (what the stream says after withdrawals). */
function activeRecords(events: CapabilityEvent[]): Summary[] {
  const active = new Map<string, CapabilityRecordEvent>();
  for (const event of events) {
    if (event.type === 'CapabilityReviewRecorded' || event.type === 'CapabilityAppealRecorded')
      continue;
    if (event.type === 'CapabilityStageWithdrawn' || event.type === 'CapabilityRecordWithdrawn')
      active.delete(event.data.recordKey);
    else active.set(event.data.recordKey, event);
  }
  return [...active.values()].map(summarise);
}

const eduOfA = { managerId: 'mgr-a', serviceId: 'home-02', indicatorCode: 'EDU' };

function review(data: Partial<RecordCapabilityReview['data']> = {}): RecordCapabilityReview {
  return {
    type: 'RecordCapabilityReview',
    data: {
      counter: eduOfA,
      reviewId: 'review-1',
      heldBy: 'hr-sam',
      heldByRole: 'hr',
      heldOn: '2026-05-28',
      companionOffered: true,
      outcome: 'standards-met',
      furtherReviewMonths: undefined,
      reasons: 'Education attendance plan agreed with the virtual school',
      recordedBy: 'user:hr-sam',
      now: new Date('2026-05-29T09:00:00Z'),
      ...data,
    },
  };
}

function appeal(data: Partial<RecordCapabilityAppeal['data']> = {}): RecordCapabilityAppeal {
  return {
    type: 'RecordCapabilityAppeal',
    data: {
      counter: eduOfA,
      appealId: 'appeal-1',
      against: { entryId: 'home-02.EDU.2026-01.s3' },
      heardBy: 'director-ola',
      heardOn: '2026-06-10',
      outcome: 'not-upheld',
      reasons: 'The four months were missed and support was offered',
      involvedElsewhere: [],
      recordedBy: 'user:hr-sam',
      now: new Date('2026-06-11T09:00:00Z'),
      ...data,
    },
  };
}

describe('the capability escalation process', () => {
  describe('the stage table', () => {
    it('enters Stage 1 when a KPI is missed for the first month, with the evidence', () => {
      const { written } = given().when(missEdu('2026-01'));
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({
          type: 'CapabilityStageEntered',
          manager: 'mgr-a',
          kpi: 'EDU',
          stage: 1,
          period: '2026-01',
          misses: 1,
        }),
      ]);
      const entered = written[0] as CapabilityStageEntered;
      expect(entered.data.entryId).toBe('home-02.EDU.2026-01.s1');
      expect(entered.data.months).toEqual([
        expect.objectContaining({
          period: '2026-01',
          judgement: expect.objectContaining({
            outcome: 'missed',
            value: 70,
            target: 90,
            floor: 75,
          }),
          frameworkId: 'childrens-homes',
          frameworkVersion: 1,
          source: expect.objectContaining({
            type: 'MonthlyReturnSubmitted',
            by: 'user:rm-gwen',
            streamId: 'acme:monthly-return:home-02:2026-01',
          }),
        }),
      ]);
      expect(entered.data.cause).toMatchObject({ type: 'MonthlyReturnSubmitted' });
      expect(entered.data.counter).toMatchObject({ consecutiveMisses: 1, stage: 1 });
    });

    it('keeps Stage 1 for the second month missed in succession', () => {
      given(missEdu('2026-01'))
        .when(missEdu('2026-02'))
        .then([{ type: 'CapabilityMissCounted', stage: 1, period: '2026-02', misses: 2 }]);
    });

    it('enters Stage 2 (formal) for the third month, escalating from Stage 1', () => {
      const { written } = given(missEdu('2026-01'), missEdu('2026-02')).when(missEdu('2026-03'));
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityStageEntered', stage: 2, misses: 3 }),
      ]);
      expect((written[0] as CapabilityStageEntered).data.previousEntryId).toBe(
        'home-02.EDU.2026-01.s1',
      );
    });

    it('enters Stage 3 for the fourth month and makes a review due', () => {
      const { written } = given(...fourMisses.slice(0, 3)).when(fourMisses[3]!);
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityStageEntered', stage: 3, misses: 4 }),
      ]);
      const entered = written[0] as CapabilityStageEntered;
      expect(entered.data.reviewDue).toBe(true);
      expect(entered.data.months.map((m) => m.period)).toEqual([
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
      ]);
      expect(entered.data.counter).toMatchObject({
        stage: 3,
        consecutiveMisses: 4,
        reviewDue: true,
      });
    });

    it('keeps Stage 3 for further misses until the review', () => {
      given(...fourMisses)
        .when(missEdu('2026-05'), missEdu('2026-06'))
        .then([
          { type: 'CapabilityMissCounted', stage: 3, period: '2026-05', misses: 5 },
          { type: 'CapabilityMissCounted', stage: 3, period: '2026-06', misses: 6 },
        ]);
    });

    it('counts each KPI on its own', () => {
      given(missEdu('2026-01'))
        .when(f.returned(T, '2026-02', { SUP: 80 }))
        .then([
          { type: 'CapabilityStageResolved', kpi: 'EDU', reason: 'met', period: '2026-02' },
          { type: 'CapabilityStageEntered', kpi: 'SUP', stage: 1, period: '2026-02' },
        ]);
    });
  });

  describe('when the KPI is met', () => {
    it('resets the counter and resolves the open stage', () => {
      const { written } = given(missEdu('2026-01'), missEdu('2026-02'), missEdu('2026-03')).when(
        metEdu('2026-04'),
      );
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({
          type: 'CapabilityStageResolved',
          stage: 2,
          period: '2026-04',
          reason: 'met',
        }),
      ]);
      expect(written[0]!.data.counter).toMatchObject({ consecutiveMisses: 0, stage: 0 });
    });

    it('starts again from Stage 1 at the next miss', () => {
      given(missEdu('2026-01'), missEdu('2026-02'), missEdu('2026-03'), metEdu('2026-04'))
        .when(missEdu('2026-05'))
        .then([
          { type: 'CapabilityStageEntered', stage: 1, period: '2026-05', runStart: '2026-05' },
        ]);
    });

    it('writes nothing when no stage is open', () => {
      given(metEdu('2026-01')).when(metEdu('2026-02')).thenNothingHappened();
    });

    it('treats a month in which the KPI did not apply as breaking the run', () => {
      given(missEdu('2026-01'))
        .when(
          f.returned(T, '2026-02', {
            EDU: { notApplicable: true, reason: 'No school-age children' },
          }),
        )
        .then([{ type: 'CapabilityStageResolved', stage: 1, reason: 'not-applicable' }]);
    });
  });

  describe('pending months', () => {
    it('waits: a later month is not counted while an earlier one has no return', () => {
      given(missEdu('2026-01')).when(missEdu('2026-03')).thenNothingHappened();
    });

    it('counts the waiting months in month order once the missing return arrives', () => {
      given(missEdu('2026-01'), missEdu('2026-03'), missEdu('2026-04'))
        .when(missEdu('2026-02'))
        .then([
          { type: 'CapabilityMissCounted', stage: 1, period: '2026-02', misses: 2 },
          { type: 'CapabilityStageEntered', stage: 2, period: '2026-03', misses: 3 },
          { type: 'CapabilityStageEntered', stage: 3, period: '2026-04', misses: 4 },
        ]);
    });

    it('lets a pending month that turns out met break the run', () => {
      given(missEdu('2026-01'), missEdu('2026-03'))
        .when(metEdu('2026-02'))
        .then([
          { type: 'CapabilityStageResolved', stage: 1, period: '2026-02', reason: 'met' },
          { type: 'CapabilityStageEntered', stage: 1, period: '2026-03', runStart: '2026-03' },
        ]);
    });

    it('counts from the first month the framework judges, not an earlier opening', () => {
      const model = new CapabilityProcessModel(T);
      record(
        model,
        f.framework(T, '2026-01'),
        f.home(T, 'home-02', { openedOn: '2024-04-01' }),
        f.appointed(T, 'mgr-a', '2024-04-01'),
      );
      expect(record(model, missEdu('2026-01')).map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityStageEntered', stage: 1, period: '2026-01' }),
      ]);
    });
  });

  describe('returns arriving out of order', () => {
    it('give the same records as in order', () => {
      const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
      const results = [70, 70, 95, 70, 70, 70];
      const facts = months.map((period, i) => missEdu(period, results[i]));
      const inOrder = given(...facts).model;
      const shuffled = given(...[4, 1, 5, 0, 3, 2].map((i) => facts[i]!)).model;
      expect(activeRecords(shuffled.counterEvents(eduOfA))).toEqual(
        activeRecords(inOrder.counterEvents(eduOfA)),
      );
      expect(
        activeRecords(inOrder.counterEvents(eduOfA)).map((r) => `${r.type}:${r.period}`),
      ).toEqual([
        'CapabilityStageEntered:2026-01',
        'CapabilityMissCounted:2026-02',
        'CapabilityStageResolved:2026-03',
        'CapabilityStageEntered:2026-04',
        'CapabilityMissCounted:2026-05',
        'CapabilityStageEntered:2026-06',
      ]);
    });

    it('never writes a stage that is later withdrawn', () => {
      const { model } = given(
        missEdu('2026-04'),
        missEdu('2026-03'),
        missEdu('2026-02'),
        missEdu('2026-01'),
      );
      expect(model.counterEvents(eduOfA).map((e) => e.type)).not.toContain(
        'CapabilityStageWithdrawn',
      );
    });
  });

  describe('a manager change mid-run', () => {
    it("ends the old manager's run and starts the new manager's at Stage 1", () => {
      const { written } = given(
        missEdu('2026-01'),
        missEdu('2026-02'),
        f.handover(T, 'mgr-a', 'mgr-b', '2026-03-01'),
      ).when(missEdu('2026-03'));
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({
          type: 'CapabilityStageResolved',
          manager: 'mgr-a',
          stage: 1,
          period: '2026-03',
          reason: 'manager-changed',
        }),
        expect.objectContaining({
          type: 'CapabilityStageEntered',
          manager: 'mgr-b',
          stage: 1,
          period: '2026-03',
          misses: 1,
        }),
      ]);
      expect((written[0] as CapabilityStageResolved).data.nextManagerId).toBe('mgr-b');
    });

    it('attributes a month to the manager appointed on its last day', () => {
      given(missEdu('2026-01'), f.handover(T, 'mgr-a', 'mgr-b', '2026-02-15'))
        .when(missEdu('2026-02'))
        .then([
          { type: 'CapabilityStageResolved', manager: 'mgr-a', reason: 'manager-changed' },
          { type: 'CapabilityStageEntered', manager: 'mgr-b', period: '2026-02', stage: 1 },
        ]);
    });

    it('attributes a month without a manager on its last day to nobody', () => {
      given(missEdu('2026-01'), f.appointmentEnded(T, 'mgr-a', '2026-02-10'))
        .when(missEdu('2026-02'))
        .then([{ type: 'CapabilityStageResolved', manager: 'mgr-a', reason: 'no-manager' }]);
    });

    it('recounts when an appointment is corrected afterwards', () => {
      given(missEdu('2026-01'), missEdu('2026-02'), missEdu('2026-03'))
        .when(f.handover(T, 'mgr-a', 'mgr-b', '2026-03-01'))
        .then([
          { type: 'CapabilityStageWithdrawn', manager: 'mgr-a', stage: 2, period: '2026-03' },
          { type: 'CapabilityStageResolved', manager: 'mgr-a', reason: 'manager-changed' },
          { type: 'CapabilityStageEntered', manager: 'mgr-b', stage: 1, period: '2026-03' },
        ]);
    });
  });

  describe('one manager over two homes', () => {
    it('counts each home on its own', () => {
      const { model } = given(
        f.home(T, 'home-03'),
        f.appointed(T, 'mgr-a', '2026-01-01', { serviceId: 'home-03' }),
        missEdu('2026-01'),
        missEdu('2026-01', 70, 'home-03'),
        missEdu('2026-02'),
      );
      const written = record(model, missEdu('2026-02', 70, 'home-03'));
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({
          type: 'CapabilityMissCounted',
          home: 'home-03',
          stage: 1,
          misses: 2,
        }),
      ]);
      expect(activeRecords(model.counterEvents(eduOfA)).pop()).toMatchObject({
        stage: 1,
        misses: 2,
      });
    });
  });

  describe('an amendment', () => {
    it('withdraws Stage 3 and Stage 2 that should not have happened, citing it', () => {
      const { written } = given(...fourMisses).when(
        f.amended(T, '2026-03', { EDU: 92 }, { reason: 'Two exclusions were wrongly counted' }),
      );
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityStageWithdrawn', stage: 3, period: '2026-04' }),
        expect.objectContaining({ type: 'CapabilityStageWithdrawn', stage: 2, period: '2026-03' }),
        expect.objectContaining({
          type: 'CapabilityStageResolved',
          stage: 1,
          period: '2026-03',
          reason: 'met',
        }),
        expect.objectContaining({
          type: 'CapabilityStageEntered',
          stage: 1,
          period: '2026-04',
          runStart: '2026-04',
        }),
      ]);
      const withdrawn = written[0] as CapabilityStageWithdrawn;
      expect(withdrawn.data.cause).toMatchObject({
        type: 'MonthlyReturnAmended',
        streamId: 'acme:monthly-return:home-02:2026-03',
      });
      expect(withdrawn.data.explanation).toContain(
        'The 2026-03 return of home-02 was amended by user:rm-gwen (amendment 1).',
      );
      // The reason can name people: kept apart from the trail, never copied into it.
      expect(JSON.stringify(withdrawn)).not.toContain('Two exclusions were wrongly counted');
      expect(withdrawn.data.explanation).toContain('2026-03 met');
      expect(withdrawn.data.counter).toMatchObject({ stage: 1, consecutiveMisses: 1 });
    });

    it('withdraws a resolution when a met month is amended to a miss', () => {
      given(missEdu('2026-01'), metEdu('2026-02'), missEdu('2026-03'))
        .when(f.amended(T, '2026-02', { EDU: 60 }))
        .then([
          { type: 'CapabilityStageWithdrawn', stage: 1, period: '2026-03', runStart: '2026-03' },
          { type: 'CapabilityRecordWithdrawn', stage: 1, period: '2026-02' },
          { type: 'CapabilityMissCounted', stage: 1, period: '2026-02', misses: 2 },
          { type: 'CapabilityStageEntered', stage: 2, period: '2026-03', runStart: '2026-01' },
        ]);
    });

    it('enters the stage again when a later amendment restores the miss', () => {
      given(...fourMisses, f.amended(T, '2026-04', { EDU: 95 }))
        .when(f.amended(T, '2026-04', { EDU: 71 }, { amendmentNumber: 2 }))
        .then([
          { type: 'CapabilityRecordWithdrawn', period: '2026-04' },
          { type: 'CapabilityStageEntered', stage: 3, period: '2026-04' },
        ]);
    });

    it('writes nothing when the result stays the same', () => {
      given(...fourMisses)
        .when(f.amended(T, '2026-02', { EDU: 72 }))
        .thenNothingHappened();
    });
  });

  describe('the Stage 3 review', () => {
    it('closes the case when standards are met: the counter resets, citing the review', () => {
      const { model } = given(...fourMisses);
      const written = model.command(eduOfA, review());
      expect(written.map(summarise)).toEqual([
        expect.objectContaining({
          type: 'CapabilityStageResolved',
          stage: 3,
          reason: 'review-closed',
        }),
      ]);
      const resolved = written[0] as CapabilityStageResolved;
      expect(resolved.data.review).toEqual({
        reviewId: 'review-1',
        outcome: 'standards-met',
        heldOn: '2026-05-28',
      });
      expect(resolved.data.cause.type).toBe('CapabilityReviewRecorded');
      expect(resolved.data.counter).toMatchObject({ stage: 0, consecutiveMisses: 0 });
      // May ended after the review: a miss then starts again at Stage 1.
      expect(record(model, missEdu('2026-05')).map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityStageEntered', stage: 1, runStart: '2026-05' }),
      ]);
    });

    it.each(['alternative-employment-offered', 'dismissed'])('closes the case on %s', (outcome) => {
      const { model } = given(...fourMisses);
      expect(model.command(eduOfA, review({ outcome })).map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityStageResolved', reason: 'review-closed' }),
      ]);
    });

    it('keeps Stage 3 with mitigating circumstances and sets the next review', () => {
      const { model } = given(...fourMisses);
      expect(
        model.command(
          eduOfA,
          review({ outcome: 'mitigating-circumstances', furtherReviewMonths: 3 }),
        ),
      ).toEqual([]);
      const reviewed = model.counterEvents(eduOfA).pop()!;
      expect(reviewed).toMatchObject({
        type: 'CapabilityReviewRecorded',
        data: {
          outcome: 'mitigating-circumstances',
          nextReviewDue: '2026-08-28',
          counter: {
            stage: 3,
            reviewDue: false,
            lastReviewOn: '2026-05-28',
            nextReviewDue: '2026-08-28',
          },
        },
      });
      const [counted] = record(model, missEdu('2026-05'));
      expect(counted).toMatchObject({
        type: 'CapabilityMissCounted',
        data: { stage: 3, consecutiveMisses: 5, counter: { nextReviewDue: '2026-08-28' } },
      });
    });

    it('closes the case only once every month that ended before the review is counted', () => {
      const { model } = given(...fourMisses);
      // Held on 10 June: May had ended, but its return has not arrived.
      expect(
        model.command(
          eduOfA,
          review({ heldOn: '2026-06-10', now: new Date('2026-06-11T09:00:00Z') }),
        ),
      ).toEqual([]);
      expect(record(model, missEdu('2026-05')).map(summarise)).toEqual([
        expect.objectContaining({ type: 'CapabilityMissCounted', stage: 3, period: '2026-05' }),
        expect.objectContaining({ type: 'CapabilityStageResolved', reason: 'review-closed' }),
      ]);
    });

    it('is refused when there is no Stage 3', () => {
      const { model } = given(missEdu('2026-01'), missEdu('2026-02'), missEdu('2026-03'));
      expect(() => model.command(eduOfA, review())).toThrow(ConflictError);
    });

    it('is refused once a review has closed the case', () => {
      const { model } = given(...fourMisses);
      model.command(eduOfA, review());
      expect(() => model.command(eduOfA, review({ reviewId: 'review-2' }))).toThrow(
        /closed by the review/,
      );
    });

    it('names every field that is wrong', () => {
      const { model } = given(...fourMisses);
      let thrown: unknown;
      try {
        model.command(
          eduOfA,
          review({
            heldOn: '2026-04-20',
            companionOffered: undefined,
            outcome: 'mitigating-circumstances',
            heldByRole: 'home-manager',
            reasons: ' ',
          }),
        );
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidCommandError);
      expect((thrown as InvalidCommandError).problems.map((p) => p.field).sort()).toEqual([
        'companionOffered',
        'furtherReviewMonths',
        'heldByRole',
        'heldOn',
        'reasons',
      ]);
    });
  });

  describe('an appeal', () => {
    const reviewed = () => {
      const { model } = given(...fourMisses);
      model.command(eduOfA, review({ outcome: 'dismissed' }));
      return model;
    };

    it('is recorded against a formal stage when heard by someone not involved', () => {
      const model = reviewed();
      model.command(eduOfA, appeal());
      expect(model.counterEvents(eduOfA).pop()).toMatchObject({
        type: 'CapabilityAppealRecorded',
        data: {
          against: { kind: 'stage', entryId: 'home-02.EDU.2026-01.s3', stage: 3 },
          heardBy: 'director-ola',
          runStart: '2026-01',
        },
      });
    });

    it('is recorded against a review outcome', () => {
      const model = reviewed();
      model.command(eduOfA, appeal({ against: { reviewId: 'review-1' } }));
      expect(model.counterEvents(eduOfA).pop()).toMatchObject({
        data: { against: { kind: 'review', reviewId: 'review-1', outcome: 'dismissed' } },
      });
    });

    it.each([
      ['the person who held the review', 'hr-sam', /held the review of 2026-05-28/],
      ['the person who submitted a counted return', 'user:rm-gwen', /submitted the 2026-01 return/],
      ['the manager whose case it is', 'mgr-a', /manager whose case it is/],
    ])('is refused when heard by %s', (_who, heardBy, how) => {
      const model = reviewed();
      let thrown: unknown;
      try {
        model.command(eduOfA, appeal({ heardBy }));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConflictError);
      expect((thrown as ConflictError).message).toMatch(how);
      expect((thrown as ConflictError).details.errors).toEqual([
        expect.objectContaining({ field: 'heardBy' }),
      ]);
    });

    it('is refused when heard by someone involved outside the stream (a supervisor)', () => {
      const model = reviewed();
      expect(() =>
        model.command(
          eduOfA,
          appeal({
            heardBy: 'rm-tom',
            involvedElsewhere: [
              { personId: 'rm-tom', how: 'discussed it in supervision on 2026-02-03' },
            ],
          }),
        ),
      ).toThrow(/supervision on 2026-02-03/);
    });

    it('is refused against Stage 1, which is informal', () => {
      const model = reviewed();
      expect(() =>
        model.command(eduOfA, appeal({ against: { entryId: 'home-02.EDU.2026-01.s1' } })),
      ).toThrow(InvalidCommandError);
    });
  });
});
