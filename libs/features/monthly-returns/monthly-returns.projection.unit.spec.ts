import type { MonthlyReturnEvent } from '@kpi/domain';
import { allMet, returnSubmitted } from '@kpi/testing';
import {
  evolveMonthlyReturn,
  monthlyReturnKeyOf,
  monthlyReturnsProjection,
  type MonthlyReturnRow,
} from './monthly-returns.projection';
import { recorded, returnAmended } from '@kpi/testing/fixtures';

const given = (events: MonthlyReturnEvent[]): MonthlyReturnRow | null =>
  events.reduce<MonthlyReturnRow | null>(
    (row, event, i) => evolveMonthlyReturn(row, recorded(event, { eventId: `event-${i + 1}` })),
    null,
  );

describe('the monthly returns read model', () => {
  describe('when a return is submitted on time', () => {
    it('records when and by whom it arrived, its due date and its bonus compliance', () => {
      expect(given([returnSubmitted()])).toEqual({
        tenantId: 'acme',
        serviceId: 'home-17',
        period: '2026-09',
        frameworkId: 'childrens-homes',
        frameworkVersion: 1,
        submittedAt: '2026-10-12T09:00:00.000Z',
        submittedBy: 'user:rm-1',
        dueDate: '2026-10-20',
        late: false,
        amendments: 0,
        lastAmendedAt: null,
        lastAmendedBy: null,
        bonusMet: 9,
        bonusRequired: 8,
        bonusOf: 9,
        bonusCompliant: true,
        returnEventId: 'event-1',
        lastEventId: 'event-1',
      });
    });
  });

  describe('when a return is submitted (with or without sign-off)', () => {
    it('sets its row whole: what the row held before does not change it (so a catch-up need not read it)', () => {
      const before = given([returnSubmitted(), returnAmended([returnSubmitted()], { EDU: 70 })])!;
      for (const submitted of [returnSubmitted(), returnSubmitted({ signOffRequired: true })]) {
        const event = recorded(submitted, { eventId: 'event-9' });
        expect(monthlyReturnsProjection.setsRowsWhole!(event)).toBe(true);
        expect(evolveMonthlyReturn(before, event)).toEqual(evolveMonthlyReturn(null, event));
      }
    });
  });

  describe('when a return is submitted after its due date', () => {
    it('is marked late', () => {
      expect(
        given([returnSubmitted({ submittedAt: '2026-10-21T09:00:00.000Z', late: true })]),
      ).toMatchObject({ late: true, dueDate: '2026-10-20' });
    });
  });

  describe('when the framework has no bonus scheme', () => {
    it('leaves the bonus columns empty', () => {
      expect(given([returnSubmitted({ bonus: null })])).toMatchObject({
        bonusMet: null,
        bonusRequired: null,
        bonusOf: null,
        bonusCompliant: null,
      });
    });
  });

  describe('when an amendment misses a second KPI', () => {
    const submitted = returnSubmitted({ values: { ...allMet, EDU: 80 } });
    const amended = returnAmended([submitted], { TRN: 80 }, { reason: 'Training matrix re-run' });
    const row = given([submitted, amended])!;

    it('shows the return no longer bonus-compliant (7 of 9 met)', () => {
      expect(row).toMatchObject({
        bonusMet: 7,
        bonusRequired: 8,
        bonusOf: 9,
        bonusCompliant: false,
      });
    });

    it('counts the amendment and says when and by whom, never why (it can name people)', () => {
      expect(row).toMatchObject({
        amendments: 1,
        lastAmendedAt: '2026-10-25T14:00:00.000Z',
        lastAmendedBy: 'user:rm-1',
      });
      expect(JSON.stringify(row)).not.toContain('Training matrix re-run');
    });

    it('keeps the submission: when it arrived, late or not, and its event', () => {
      expect(row).toMatchObject({
        submittedAt: '2026-10-12T09:00:00.000Z',
        late: false,
        returnEventId: 'event-1',
        lastEventId: 'event-2',
      });
    });
  });

  describe('when a return is amended twice', () => {
    it('shows the second amendment', () => {
      const submitted = returnSubmitted();
      const first = returnAmended([submitted], { EDU: 70 }, { reason: 'first' });
      const second = returnAmended(
        [submitted, first],
        { EDU: 95 },
        {
          reason: 'second',
          amendedBy: 'user:rm-2',
          amendedAt: '2026-11-02T10:00:00.000Z',
        },
      );
      expect(given([submitted, first, second])).toMatchObject({
        amendments: 2,
        lastAmendedBy: 'user:rm-2',
        lastAmendedAt: '2026-11-02T10:00:00.000Z',
        bonusCompliant: true,
      });
    });
  });

  describe('when the same amendment is applied twice', () => {
    it('counts it once', () => {
      const submitted = returnSubmitted();
      const amended = recorded(returnAmended([submitted], { EDU: 70 }));
      const once = evolveMonthlyReturn(given([submitted]), amended);
      expect(evolveMonthlyReturn(once, amended)).toEqual(once);
    });
  });

  describe('when an amendment arrives for a return it has not seen submitted', () => {
    it('makes no row', () => {
      expect(given([returnAmended([returnSubmitted()], { EDU: 70 })])).toBeNull();
    });
  });

  it('keys rows by tenant first, then service and month', () => {
    expect(monthlyReturnKeyOf(recorded(returnSubmitted(), { tenantId: 'acme' }))).toBe(
      '["acme","home-17","2026-09"]',
    );
  });
});
