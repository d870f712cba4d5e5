import { allMet, childrensHomesV1, deciderSpecification, returnSubmitted } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import type { AmendMonthlyReturn, SubmitMonthlyReturn } from './monthly-return.commands';
import { monthlyReturnDecider } from './monthly-return.decider';
import type { MonthlyReturnAmended, MonthlyReturnSubmitted } from './monthly-return.events';
import type { FrameworkVersion } from '../kpi-framework/kpi-framework.decider';

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

describe('council indicators in a monthly return', () => {
  const respite: FrameworkVersion = {
    frameworkId: 'direct-services',
    name: 'Direct services',
    version: 1,
    effectiveFrom: '2026-04' as Period,
    bonusRule: null,
    indicators: [
      {
        code: 'BEDS_AVAILABLE',
        name: 'Respite bed nights available',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        periodicity: 'monthly',
        aggregation: 'sum',
      },
      {
        code: 'BEDS_DELIVERED',
        name: 'Respite bed nights delivered',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        periodicity: 'monthly',
        aggregation: 'sum',
      },
      {
        code: 'BEDS_UNOCCUPIED',
        name: 'Respite bed nights unoccupied',
        kind: 'derived',
        formula: { operation: 'difference', of: ['BEDS_AVAILABLE', 'BEDS_DELIVERED'] },
        unit: 'count',
        direction: 'lower-is-better',
        periodicity: 'monthly',
        aggregation: 'sum',
      },
      {
        code: 'OCCUPANCY',
        name: 'Occupancy (%)',
        kind: 'derived',
        formula: { operation: 'percentage', of: ['BEDS_DELIVERED', 'BEDS_AVAILABLE'] },
        unit: 'percentage',
        direction: 'higher-is-better',
        targetsByPeriod: { quarters: { Q1: 80, Q2: 85, Q3: 90, Q4: 95 } },
        periodicity: 'monthly',
        aggregation: 'average',
      },
      {
        code: 'PEOPLE',
        name: 'People supported by lead need',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        breakdown: { name: 'lead need', categories: ['MH', 'LD', 'PSD', 'OP'] },
        periodicity: 'monthly',
        aggregation: 'last',
      },
      {
        code: 'REFERRALS',
        name: 'Referrals received',
        kind: 'activity',
        unit: 'count',
        direction: 'within-range',
        expectedRange: { lower: 5, upper: 15 },
        periodicity: 'monthly',
        aggregation: 'sum',
      },
    ],
  };
  const typed = {
    BEDS_AVAILABLE: 120,
    BEDS_DELIVERED: 102,
    PEOPLE: { parts: { MH: 3, LD: 2, PSD: 1, OP: 0 } },
    REFERRALS: 9,
  };
  const submitCouncil = (values: object, period = '2026-09') =>
    submit({
      framework: respite,
      period: period as Period,
      values,
      now: new Date('2027-04-10T09:00:00Z'),
    });
  const submitted = (event: unknown) => (event as MonthlyReturnSubmitted).data;
  const refusal = (values: object) => {
    try {
      monthlyReturnDecider.decide(submitCouncil(values), { status: 'none' });
    } catch (error) {
      return (error as InvalidCommandError).problems;
    }
    throw new Error('expected a refusal');
  };

  it('computes a derived indicator that is not typed, and stores it with the values', () => {
    spec
      .given([])
      .when(submitCouncil(typed))
      .thenEvents(([event]) => {
        const data = submitted(event);
        expect(data.values.BEDS_UNOCCUPIED).toBe(18);
        expect(data.values.OCCUPANCY).toBe(85);
        expect(data.results.BEDS_UNOCCUPIED).toMatchObject({ outcome: 'not-judged', rag: 'grey' });
      });
  });

  it('refuses a typed value for a derived indicator, naming it', () => {
    expect(refusal({ ...typed, BEDS_UNOCCUPIED: 18 })).toEqual([
      {
        field: 'values.BEDS_UNOCCUPIED',
        reason: 'is derived (BEDS_AVAILABLE − BEDS_DELIVERED): it is computed, not given',
      },
    ]);
  });

  it('derives "not applicable" when what it is computed from is', () => {
    spec
      .given([])
      .when(
        submitCouncil({ ...typed, BEDS_AVAILABLE: { notApplicable: true, reason: 'Unit closed' } }),
      )
      .thenEvents(([event]) => {
        expect(submitted(event).values.BEDS_UNOCCUPIED).toEqual({
          notApplicable: true,
          reason: 'BEDS_AVAILABLE is not applicable',
        });
        expect(submitted(event).results.OCCUPANCY).toMatchObject({ outcome: 'not-applicable' });
      });
  });

  it('totals a breakdown from its parts', () => {
    spec
      .given([])
      .when(submitCouncil(typed))
      .thenEvents(([event]) => {
        expect(submitted(event).values.PEOPLE).toEqual({
          parts: { MH: 3, LD: 2, PSD: 1, OP: 0 },
          total: 6,
        });
        expect(submitted(event).results.PEOPLE).toMatchObject({ value: 6, outcome: 'not-judged' });
      });
  });

  it('accepts a total that is the sum of the parts, and refuses one that is not, naming it', () => {
    spec
      .given([])
      .when(submitCouncil({ ...typed, PEOPLE: { parts: typed.PEOPLE.parts, total: 6 } }))
      .thenEvents(([event]) => expect(submitted(event).values.PEOPLE).toMatchObject({ total: 6 }));
    expect(refusal({ ...typed, PEOPLE: { parts: typed.PEOPLE.parts, total: 7 } })).toEqual([
      {
        field: 'values.PEOPLE.total',
        reason: 'must be the sum of the parts (6), or left out; got 7',
      },
    ]);
  });

  it('refuses a breakdown without a category, or with one it does not have, naming the part', () => {
    expect(refusal({ ...typed, PEOPLE: { parts: { MH: 3, LD: 2, PSD: 1 } } })).toEqual([
      {
        field: 'values.PEOPLE.parts.OP',
        reason: 'is missing: give every category of lead need (0 for none)',
      },
    ]);
    expect(
      refusal({ ...typed, PEOPLE: { parts: { ...typed.PEOPLE.parts, XX: 1 } } })[0]!.field,
    ).toBe('values.PEOPLE.parts.XX');
    expect(refusal({ ...typed, PEOPLE: 6 })[0]!.field).toBe('values.PEOPLE');
  });

  it('flags an activity indicator outside its expected range (amber), never missed', () => {
    spec
      .given([])
      .when(submitCouncil({ ...typed, REFERRALS: 22 }))
      .thenEvents(([event]) => {
        expect(submitted(event).results.REFERRALS).toMatchObject({
          outcome: 'flagged',
          rag: 'amber',
          value: 22,
          expectedRange: { lower: 5, upper: 15 },
        });
      });
    spec
      .given([])
      .when(submitCouncil(typed))
      .thenEvents(([event]) =>
        expect(submitted(event).results.REFERRALS).toMatchObject({
          outcome: 'in-range',
          rag: 'green',
        }),
      );
  });

  it('accepts data-only indicators without a target and never judges them', () => {
    spec
      .given([])
      .when(submitCouncil({ ...typed, BEDS_AVAILABLE: 0, BEDS_DELIVERED: 0 }))
      .thenEvents(([event]) => {
        const data = submitted(event);
        expect(data.results.BEDS_AVAILABLE).toEqual({
          outcome: 'not-judged',
          rag: 'grey',
          value: 0,
          target: null,
          floor: null,
          tolerance: null,
          expectedRange: null,
        });
        // 100 × 0 / 0 is no percentage: not applicable, not a miss.
        expect(data.values.OCCUPANCY).toMatchObject({ notApplicable: true });
      });
  });

  it.each([
    ['2026-05', 80, 'met'],
    ['2026-09', 85, 'met'],
    ['2026-12', 90, 'missed'],
    ['2027-03', 95, 'missed'],
  ])('judges %s against its financial quarter’s target (%d)', (period, target, outcome) => {
    spec
      .given([])
      .when(submitCouncil(typed, period))
      .thenEvents(([event]) =>
        expect(submitted(event).results.OCCUPANCY).toMatchObject({ value: 85, target, outcome }),
      );
  });

  it('recomputes derived values when an amendment changes what they are computed from', () => {
    const [first] = monthlyReturnDecider.decide(submitCouncil(typed), { status: 'none' });
    const state = monthlyReturnDecider.evolve(monthlyReturnDecider.initialState(), first!);
    const [event] = monthlyReturnDecider.decide(
      amend({
        framework: respite,
        values: { BEDS_DELIVERED: 96 },
        now: new Date('2027-04-11T09:00:00Z'),
      }),
      state,
    );
    expect((event as MonthlyReturnAmended).data.changes).toEqual({
      BEDS_DELIVERED: 96,
      BEDS_UNOCCUPIED: 24,
      OCCUPANCY: 80,
    });
    expect((event as MonthlyReturnAmended).data.results.OCCUPANCY).toMatchObject({
      outcome: 'missed',
    });
  });
});
