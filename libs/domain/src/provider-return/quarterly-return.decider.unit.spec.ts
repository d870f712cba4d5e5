import { deciderSpecification } from '@kpi/testing';
import type { QuarterlyReturnFigures } from '../call-off/provider-kpis';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type {
  AmendProviderQuarterlyReturn,
  SubmitProviderQuarterlyReturn,
} from './provider-return.commands';
import type {
  ProviderQuarterlyReturnAmended,
  ProviderQuarterlyReturnSubmitted,
} from './provider-return.events';
import { parseQuarterKey, quarterKeyOf, quarterlyReturnDecider } from './quarterly-return.decider';

const spec = deciderSpecification(quarterlyReturnDecider);
const now = new Date('2026-06-15T10:00:00Z'); // June 2026: the last month of 2026-27 Q1
const onFramework = {
  frameworkId: 'care-at-home-2026',
  providerId: 'bryn-care',
  contractStartDate: '2026-04-01',
};

const FIGURES: QuarterlyReturnFigures = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
  'diploma-level-1': { numerator: 12, denominator: 40 },
  'diploma-level-2': { numerator: 9, denominator: 40 },
};
const withFigure = (code: string, figure: unknown): Record<string, unknown> => ({
  ...FIGURES,
  [code]: figure,
});

const submit = (
  data: Partial<SubmitProviderQuarterlyReturn['data']> = {},
): SubmitProviderQuarterlyReturn => ({
  type: 'SubmitProviderQuarterlyReturn',
  data: {
    ...onFramework,
    quarter: '2026-27 Q1',
    figures: FIGURES,
    submittedBy: 'user-ola',
    now,
    ...data,
  },
});
const submitted: ProviderQuarterlyReturnSubmitted = {
  type: 'ProviderQuarterlyReturnSubmitted',
  data: {
    frameworkId: 'care-at-home-2026',
    providerId: 'bryn-care',
    quarter: '2026-27 Q1',
    figures: FIGURES,
    submittedBy: 'user-ola',
    submittedAt: now.toISOString(),
  },
};
const CORRECTED = { ...FIGURES, 'staff-turnover': { numerator: 3, denominator: 39.5 } };
const amend = (
  data: Partial<AmendProviderQuarterlyReturn['data']> = {},
): AmendProviderQuarterlyReturn => ({
  type: 'AmendProviderQuarterlyReturn',
  data: {
    ...onFramework,
    quarter: '2026-27 Q1',
    figures: CORRECTED,
    reason: 'A leaver on 30 June was recorded in July',
    amendedBy: 'user-ola',
    now,
    ...data,
  },
});

describe("a provider's quarterly return", () => {
  describe('when it is submitted', () => {
    it("records every KPI's numerator and denominator", () => {
      spec.given([]).when(submit()).then([submitted]);
    });

    it('may be sent from the first day of the quarter’s last month (London), not before', () => {
      spec
        .given([])
        .when(submit({ now: new Date('2026-05-31T23:00:00Z') })) // 00:00 BST on 1 June
        .thenEvents(([event]) => expect(event?.type).toBe('ProviderQuarterlyReturnSubmitted'));
      spec
        .given([])
        .when(submit({ now: new Date('2026-05-31T22:59:00Z') })) // 23:59 BST on 31 May
        .thenThrows(
          InvalidCommandError,
          'quarter: 2026-27 Q1 can be returned from 2026-06, its last month, onwards (this month is 2026-05)',
        );
    });

    it('may be sent for a quarter long ended, and refuses one not yet in its last month', () => {
      spec
        .given([])
        .when(submit({ quarter: '2026-27 Q1', now: new Date('2027-02-01T12:00:00Z') }))
        .thenEvents(([event]) => expect(event?.data).toMatchObject({ quarter: '2026-27 Q1' }));
      spec
        .given([])
        .when(submit({ quarter: '2026-27 Q2' }))
        .thenThrows(InvalidCommandError, 'quarter: 2026-27 Q2 can be returned from 2026-09');
    });

    it("refuses a quarter that ended before the framework's contract started", () => {
      spec
        .given([])
        .when(submit({ quarter: '2025-26 Q4' }))
        .thenThrows(
          InvalidCommandError,
          "quarter: ended before the framework's contract started (2026-04-01)",
        );
      spec
        .given([])
        .when(submit({ quarter: '2025-26 Q4', contractStartDate: '2026-03-15' }))
        .thenEvents(([event]) => expect(event?.data).toMatchObject({ quarter: '2025-26 Q4' }));
    });

    it.each(['2026 Q1', '2026-27 Q5', '2026-28 Q1', '2026-27-q1', undefined])(
      'refuses the quarter %p, naming it',
      (quarter) => {
        spec
          .given([])
          .when(submit({ quarter }))
          .thenThrows(InvalidCommandError, /^quarter: must be a UK financial-year quarter/);
      },
    );

    it('lets leavers exceed the average headcount, which may end in .5 (staff turnover)', () => {
      spec
        .given([])
        .when(submit({ figures: withFigure('staff-turnover', { numerator: 3, denominator: 2.5 }) }))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            figures: { 'staff-turnover': { numerator: 3, denominator: 2.5 } },
          }),
        );
    });

    it.each([
      [
        withFigure('annual-appraisal', undefined),
        'figures.annual-appraisal: is missing: give { numerator, denominator } (numerator: care staff appraised',
      ],
      [
        { ...FIGURES, 'agency-hours': { numerator: 1, denominator: 2 } },
        'figures.agency-hours: is not a KPI of the quarterly return: one of complaints-answered-in-time',
      ],
      [
        withFigure('acceptance-within-4-hours', { numerator: 1, denominator: 2 }),
        'figures.acceptance-within-4-hours: is not a KPI of the quarterly return',
      ],
      [
        withFigure('quarterly-supervision', { numerator: 37, denominator: 36 }),
        'figures.quarterly-supervision.numerator: must not be more than the denominator (36)',
      ],
      [
        withFigure('diploma-level-1', { numerator: -1, denominator: 40 }),
        'figures.diploma-level-1.numerator: must be a whole number, 0 or more',
      ],
      [
        withFigure('diploma-level-1', { numerator: 1.5, denominator: 40 }),
        'figures.diploma-level-1.numerator: must be a whole number',
      ],
      [
        withFigure('diploma-level-2', { numerator: 9, denominator: 40.5 }),
        'figures.diploma-level-2.denominator: must be a whole number, 0 or more',
      ],
      [
        withFigure('staff-turnover', { numerator: 2, denominator: 39.25 }),
        'figures.staff-turnover.denominator: must be a number, 0 or more, in steps of 0.5',
      ],
      [
        withFigure('staff-turnover', { numerator: 0.5, denominator: 39.5 }),
        'figures.staff-turnover.numerator: must be a whole number',
      ],
      [
        withFigure('complaints-answered-in-time', { numerator: '3', denominator: 4 }),
        'figures.complaints-answered-in-time.numerator: must be a whole number, 0 or more (complaints answered within 15 working days); got "3"',
      ],
      [
        withFigure('complaints-answered-in-time', { numerator: 3 }),
        'figures.complaints-answered-in-time.denominator: must be a whole number, 0 or more (complaints whose response fell due in the quarter); got nothing',
      ],
      [
        withFigure('complaints-answered-in-time', { numerator: 3, denominator: 4, value: 75 }),
        'figures.complaints-answered-in-time.value: is not a known field here',
      ],
      [
        withFigure('annual-appraisal', 100),
        'figures.annual-appraisal: must be { numerator, denominator }',
      ],
      [[], 'figures: must be an object of KPI code'],
      ['all fine', 'figures: must be an object of KPI code'],
    ])('refuses figures %j, naming the field', (figures, message) => {
      spec.given([]).when(submit({ figures })).thenThrows(InvalidCommandError, message);
    });

    it('names every wrong field at once', () => {
      const figures: Record<string, unknown> = { ...FIGURES, unknown: {} };
      delete figures['diploma-level-2'];
      spec
        .given([])
        .when(submit({ quarter: '2026-27 Q3', figures }))
        .thenThrows(
          InvalidCommandError,
          /^quarter: .*; figures\.unknown: .*; figures\.diploma-level-2: is missing/,
        );
    });

    it('refuses a second return for the same quarter (409): amend it instead', () => {
      spec
        .given([submitted])
        .when(submit())
        .thenThrows(
          ConflictError,
          'bryn-care has already made its quarterly return for 2026-27 Q1 on care-at-home-2026',
        );
    });
  });

  describe('when it is amended', () => {
    it('records the figures of every KPI anew, with the reason and who amended it', () => {
      const amended: ProviderQuarterlyReturnAmended = {
        type: 'ProviderQuarterlyReturnAmended',
        data: {
          frameworkId: 'care-at-home-2026',
          providerId: 'bryn-care',
          quarter: '2026-27 Q1',
          figures: CORRECTED,
          reason: 'A leaver on 30 June was recorded in July',
          amendedBy: 'user-ola',
          amendedAt: now.toISOString(),
        },
      };
      spec.given([submitted]).when(amend()).then([amended]);
    });

    it('refuses to amend a return never submitted (404)', () => {
      spec
        .given([])
        .when(amend())
        .thenThrows(NotFoundError, 'bryn-care has no quarterly return for 2026-27 Q1');
    });

    it('needs the figures of every KPI, not only those that change', () => {
      spec
        .given([submitted])
        .when(amend({ figures: { 'staff-turnover': { numerator: 3, denominator: 39.5 } } }))
        .thenThrows(InvalidCommandError, /figures\.complaints-answered-in-time: is missing/);
    });

    it.each([undefined, '', ' '])('refuses an amendment without a reason (%p)', (reason) => {
      spec
        .given([submitted])
        .when(amend({ reason }))
        .thenThrows(InvalidCommandError, /^reason: is required/);
    });

    it('refuses an amendment that changes no figure (409)', () => {
      spec
        .given([submitted])
        .when(amend({ figures: FIGURES }))
        .thenThrows(ConflictError, 'already holds these figures');
    });
  });
});

describe('a quarter key', () => {
  it('is the quarter in lower case without the space, and reads back', () => {
    expect(quarterKeyOf('2026-27 Q1')).toBe('2026-27-q1');
    expect(parseQuarterKey('2026-27-q4')).toMatchObject({
      quarter: '2026-27 Q4',
      firstDay: '2027-01-01',
      lastDay: '2027-03-31',
    });
  });

  it.each(['2026-27 Q1', '2026-27-Q1', '2026-28-q1', '2026-27-q5', 7])(
    'refuses %p, naming the field',
    (key) => {
      expect(() => parseQuarterKey(key)).toThrow(
        /^quarterKey: must be a UK financial-year quarter written like 2026-27-q1/,
      );
    },
  );
});
