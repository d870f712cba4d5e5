import { allMet, childrensHomesV1, deciderSpecification, returnSubmitted } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import type { AmendMonthlyReturn, SubmitMonthlyReturn } from './monthly-return.commands';
import { monthlyReturnDecider } from './monthly-return.decider';
import type { MonthlyReturnAmended } from './monthly-return.events';

const spec = deciderSpecification(monthlyReturnDecider);

const submit = (data: Partial<SubmitMonthlyReturn['data']> = {}): SubmitMonthlyReturn => ({
  type: 'SubmitMonthlyReturn',
  data: {
    serviceId: 'home-17',
    period: '2026-09' as Period,
    values: allMet,
    framework: childrensHomesV1,
    submittedBy: 'user:rm-1',
    now: new Date('2026-10-12T09:00:00Z'),
    ...data,
  },
});

const amend = (data: Partial<AmendMonthlyReturn['data']> = {}): AmendMonthlyReturn => ({
  type: 'AmendMonthlyReturn',
  data: {
    serviceId: 'home-17',
    period: '2026-09' as Period,
    values: { EDU: 70 },
    reason: 'Two children were recorded as in education while excluded',
    framework: childrensHomesV1,
    amendedBy: 'user:rm-1',
    now: new Date('2026-10-25T14:00:00Z'),
    ...data,
  },
});

describe('the monthly return decider', () => {
  describe('when a return is submitted', () => {
    it('judges every indicator and the bonus against the framework version in force', () => {
      spec.given([]).when(submit()).then([returnSubmitted()]);
    });

    it('records a missed KPI with its colour, and the bonus still met with 8 of 9', () => {
      spec
        .given([])
        .when(submit({ values: { ...allMet, EDU: 80 } }))
        .thenEvents(([event]) => {
          expect(event!.type).toBe('MonthlyReturnSubmitted');
          const data = (event as ReturnType<typeof returnSubmitted>).data;
          expect(data.results.EDU).toMatchObject({
            outcome: 'missed',
            rag: 'amber',
            value: 80,
            target: 90,
            floor: 75,
          });
          expect(data.bonus).toEqual({ met: 8, required: 8, of: 9, compliant: true });
        });
    });

    it('accepts "not applicable" with a reason, judged grey and not met', () => {
      spec
        .given([])
        .when(
          submit({
            values: {
              ...allMet,
              RTI: { notApplicable: true, reason: 'No missing episodes this month' },
            },
          }),
        )
        .thenEvents(([event]) => {
          const data = (event as ReturnType<typeof returnSubmitted>).data;
          expect(data.results.RTI).toMatchObject({ outcome: 'not-applicable', rag: 'grey' });
          expect(data.bonus).toMatchObject({ met: 8, compliant: true });
        });
    });

    it('marks it late after the 20th of the next month (London time), and accepts it', () => {
      spec
        .given([])
        .when(submit({ now: new Date('2026-10-21T08:00:00Z') }))
        .thenEvents(([event]) => {
          expect(event!.data).toMatchObject({ dueDate: '2026-10-20', late: true });
        });
    });

    it('refuses a second return for the month, naming the existing one', () => {
      spec
        .given([returnSubmitted()])
        .when(submit())
        .thenThrows(
          ConflictError,
          /home-17 already has a return for 2026-09, submitted 2026-10-12T09:00:00.000Z; amend it/,
        );
    });

    it('refuses a month that has not ended yet (London time)', () => {
      spec
        .given([])
        .when(submit({ period: '2026-10' as Period, now: new Date('2026-10-31T23:59:00Z') }))
        .thenThrows(InvalidCommandError, 'period: 2026-10 has not ended yet');
      spec
        .given([])
        .when(submit({ period: '2027-01' as Period }))
        .thenThrows(InvalidCommandError, 'period: 2027-01 has not ended yet');
    });

    it.each([
      [
        { values: { ...allMet, XYZ: 3 } },
        'values.XYZ: is not an indicator of childrens-homes version 1',
      ],
      [{ values: (({ EDU: _edu, ...rest }) => rest)(allMet) }, 'values.EDU: is missing'],
      [
        { values: { ...allMet, EDU: '92' } },
        'values.EDU: must be a number (percentage); got a string',
      ],
      [{ values: { ...allMet, RPI: -1 } }, 'values.RPI: must not be negative (count)'],
      [{ values: { ...allMet, RPI: 1.5 } }, 'values.RPI: must be a whole number (a count)'],
      [{ values: { ...allMet, SUP: 101 } }, 'values.SUP: must be from 0 to 100 (a percentage)'],
      [{ values: { ...allMet, R44: 'yes' } }, 'values.R44: must be true or false'],
      [
        { values: { ...allMet, RTI: { notApplicable: true } } },
        'values.RTI: not applicable needs a reason',
      ],
      [{ values: [1, 2] }, 'values: must be an object'],
    ])('refuses %j with a message naming the field', (data, message) => {
      spec
        .given([])
        .when(submit(data as Partial<SubmitMonthlyReturn['data']>))
        .thenThrows(InvalidCommandError, message);
    });

    it('asks for quarterly indicators only in quarter-end months, and judges the bonus over monthly ones', () => {
      const quarterly = {
        ...childrensHomesV1,
        indicators: [
          ...childrensHomesV1.indicators,
          {
            code: 'QTR',
            name: 'Quarterly audit done',
            unit: 'yes-no' as const,
            direction: 'higher-is-better' as const,
            target: 1,
            periodicity: 'quarterly' as const,
            aggregation: 'last' as const,
          },
        ],
      };
      spec
        .given([])
        .when(
          submit({
            framework: quarterly,
            period: '2026-08' as Period,
            now: new Date('2026-09-05T09:00:00Z'),
          }),
        )
        .thenEvents(([event]) => {
          expect(
            Object.keys((event as ReturnType<typeof returnSubmitted>).data.results),
          ).not.toContain('QTR');
          expect((event as ReturnType<typeof returnSubmitted>).data.bonus).toMatchObject({
            met: 9,
            of: 9,
            compliant: true,
          });
        });
      spec
        .given([])
        .when(submit({ framework: quarterly }))
        .thenThrows(InvalidCommandError, 'values.QTR: is missing');
      spec
        .given([])
        .when(
          submit({
            framework: quarterly,
            period: '2026-08' as Period,
            values: { ...allMet, QTR: true },
            now: new Date('2026-09-05T09:00:00Z'),
          }),
        )
        .thenThrows(InvalidCommandError, 'values.QTR: is reported quarterly, not in 2026-08');
    });

    it('does not take a value from an object prototype for a missing indicator', () => {
      const tricky = {
        ...childrensHomesV1,
        indicators: [{ ...childrensHomesV1.indicators[0]!, code: 'constructor' }],
        bonusRule: null,
      };
      spec
        .given([])
        .when(submit({ framework: tricky, values: {} }))
        .thenThrows(InvalidCommandError, 'values.constructor: is missing');
    });

    it('reports every problem of a return at once', () => {
      let error: InvalidCommandError | undefined;
      try {
        monthlyReturnDecider.decide(submit({ values: { ...allMet, SUP: 'x', TRN: -5, NEW: 1 } }), {
          status: 'none',
        });
      } catch (e) {
        error = e as InvalidCommandError;
      }
      expect(error?.problems.map((p) => p.field)).toEqual([
        'values.SUP',
        'values.TRN',
        'values.NEW',
      ]);
    });
  });

  describe('when a return is amended', () => {
    const amended = (data: Partial<MonthlyReturnAmended['data']>) =>
      expect.objectContaining({
        type: 'MonthlyReturnAmended',
        data: expect.objectContaining(data),
      });

    it('records the changed values, the reason and who, and judges the return again', () => {
      spec
        .given([returnSubmitted()])
        .when(amend())
        .thenEvents((events) => {
          expect(events).toEqual([
            amended({
              amendmentNumber: 1,
              changes: { EDU: 70 },
              values: { ...allMet, EDU: 70 },
              reason: 'Two children were recorded as in education while excluded',
              amendedBy: 'user:rm-1',
              amendedAt: '2026-10-25T14:00:00.000Z',
              frameworkVersion: 1,
            }),
          ]);
          const data = (events[0] as MonthlyReturnAmended).data;
          expect(data.results.EDU).toMatchObject({ outcome: 'missed', rag: 'red' });
          expect(data.bonus).toMatchObject({ met: 8, compliant: true });
        });
    });

    it('numbers amendments and keeps earlier changes', () => {
      const first = monthlyReturnDecider.decide(
        amend(),
        monthlyReturnDecider.evolve(monthlyReturnDecider.initialState(), returnSubmitted()),
      );
      spec
        .given([returnSubmitted(), ...first])
        .when(amend({ values: { SUP: 80 }, reason: 'Supervision log recounted' }))
        .thenEvents(([event]) => {
          expect((event as MonthlyReturnAmended).data).toMatchObject({
            amendmentNumber: 2,
            changes: { SUP: 80 },
            values: { EDU: 70, SUP: 80 },
          });
          expect((event as MonthlyReturnAmended).data.bonus).toMatchObject({
            met: 7,
            compliant: false,
          });
        });
    });

    it.each([
      [{ values: { EDU: 92 } }, 'values: the amendment changes no value'],
      [{ values: { EDU: 'x' } }, 'values.EDU: must be a number'],
    ])('refuses %j', (data, message) => {
      spec
        .given([returnSubmitted()])
        .when(amend(data as Partial<AmendMonthlyReturn['data']>))
        .thenThrows(InvalidCommandError, message);
    });

    it('refuses to amend a return that was never submitted', () => {
      spec
        .given([])
        .when(amend())
        .thenThrows(NotFoundError, 'home-17 has no return for 2026-09 to amend');
    });
  });
});
