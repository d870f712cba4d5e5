import { deciderSpecification } from '@kpi/testing';
import { foldEvents } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import {
  averageHoursPerCareWorker,
  capacityReturnDecider,
  MAX_CAPACITY_COUNT,
  MAX_CAPACITY_HOURS,
} from './capacity-return.decider';
import type {
  AmendProviderCapacityReturn,
  SubmitProviderCapacityReturn,
} from './provider-return.commands';
import type {
  ProviderCapacityReturnAmended,
  ProviderCapacityReturnSubmitted,
} from './provider-return.events';

const spec = deciderSpecification(capacityReturnDecider);
const now = new Date('2026-06-15T10:00:00Z'); // London: 11:00 BST, June 2026
const onFramework = {
  frameworkId: 'care-at-home-2026',
  providerId: 'bryn-care',
  contractStartDate: '2026-04-01',
};

const submit = (
  data: Partial<SubmitProviderCapacityReturn['data']> = {},
): SubmitProviderCapacityReturn => ({
  type: 'SubmitProviderCapacityReturn',
  data: {
    ...onFramework,
    period: '2026-05',
    careWorkers: 40,
    packages: 55,
    totalHours: 812.5,
    estimatedHoursAvailableNextMonth: 120,
    submittedBy: 'user-ola',
    now,
    ...data,
  },
});
const submitted: ProviderCapacityReturnSubmitted = {
  type: 'ProviderCapacityReturnSubmitted',
  data: {
    ...{ frameworkId: 'care-at-home-2026', providerId: 'bryn-care' },
    period: '2026-05',
    careWorkers: 40,
    packages: 55,
    totalHours: 812.5,
    averageHoursPerCareWorker: 20.3,
    estimatedHoursAvailableNextMonth: 120,
    submittedBy: 'user-ola',
    submittedAt: now.toISOString(),
  },
};
const amend = (
  data: Partial<AmendProviderCapacityReturn['data']> = {},
): AmendProviderCapacityReturn => ({
  type: 'AmendProviderCapacityReturn',
  data: {
    ...onFramework,
    period: '2026-05',
    careWorkers: 42,
    packages: 55,
    totalHours: 812.5,
    estimatedHoursAvailableNextMonth: 150,
    reason: 'Two care workers who started on 28 May were left out',
    amendedBy: 'user-ola',
    now,
    ...data,
  },
});
const amended: ProviderCapacityReturnAmended = {
  type: 'ProviderCapacityReturnAmended',
  data: {
    frameworkId: 'care-at-home-2026',
    providerId: 'bryn-care',
    period: '2026-05',
    careWorkers: 42,
    packages: 55,
    totalHours: 812.5,
    averageHoursPerCareWorker: 19.3,
    estimatedHoursAvailableNextMonth: 150,
    reason: 'Two care workers who started on 28 May were left out',
    amendedBy: 'user-ola',
    amendedAt: now.toISOString(),
  },
};

describe("a provider's monthly capacity return", () => {
  describe('when it is submitted', () => {
    it('records the figures, with the average hours per care worker worked out', () => {
      spec.given([]).when(submit()).then([submitted]);
    });

    it('has no average when the provider employs no care workers', () => {
      spec
        .given([])
        .when(submit({ careWorkers: 0, packages: 0, totalHours: 0 }))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({ careWorkers: 0, averageHoursPerCareWorker: null }),
        );
    });

    it('takes the current month (the figures are "current"), and any earlier month of the contract', () => {
      for (const period of ['2026-06', '2026-04'])
        spec
          .given([])
          .when(submit({ period }))
          .thenEvents(([event]) => expect(event?.data).toMatchObject({ period }));
    });

    it('counts the month in London: 00:30 BST on 1 July is already July', () => {
      spec
        .given([])
        .when(submit({ period: '2026-07', now: new Date('2026-06-30T23:30:00Z') }))
        .thenEvents(([event]) => expect(event?.type).toBe('ProviderCapacityReturnSubmitted'));
    });

    it('refuses an average sent by the client, even a right one: it is worked out', () => {
      spec
        .given([])
        .when(submit({ averageHoursPerCareWorker: 20.3 }))
        .thenThrows(InvalidCommandError, /^averageHoursPerCareWorker: is worked out/);
      spec
        .given([])
        .when(submit({ averageHoursPerCareWorker: null }))
        .thenThrows(InvalidCommandError, /^averageHoursPerCareWorker: /);
    });

    it.each([
      [{ period: '2026-07' }, 'period: is in the future (this month is 2026-06)'],
      [{ period: '2026-6' }, 'period: must be a month written YYYY-MM'],
      [{ period: undefined }, 'period: must be a month written YYYY-MM (01–12); got nothing'],
      [{ period: '2026-03' }, "period: is before the framework's contract started (2026-04-01)"],
      [{ careWorkers: -1 }, 'careWorkers: must be a whole number, 0 or more; got -1'],
      [{ careWorkers: 2.5 }, 'careWorkers: must be a whole number'],
      [{ careWorkers: '40' }, 'careWorkers: must be a whole number, 0 or more; got "40"'],
      [{ packages: null }, 'packages: must be a whole number, 0 or more; got null'],
      [{ packages: undefined }, 'packages: must be a whole number, 0 or more; got nothing'],
      [{ totalHours: -0.5 }, 'totalHours: must be a number of hours, 0 or more'],
      [
        { totalHours: 812.125 },
        'totalHours: must be a number of hours, 0 or more, with at most 2 decimal places',
      ],
      [{ totalHours: '812' }, 'totalHours: must be a number of hours'],
      [
        { estimatedHoursAvailableNextMonth: undefined },
        'estimatedHoursAvailableNextMonth: must be a number of hours',
      ],
      // JSON's 1e400 parses as Infinity.
      [{ totalHours: Infinity }, 'totalHours: must be a number of hours, 0 or more'],
    ])('refuses %j, naming the field', (data, message) => {
      spec.given([]).when(submit(data)).thenThrows(InvalidCommandError, message);
    });

    describe('with a figure larger than any provider has', () => {
      // A count past the table's integer columns was once stored, and stalled the read model.
      it.each([
        [{ careWorkers: 3_000_000_000 }, 'careWorkers: must be at most 1,000,000; got 3000000000'],
        [{ packages: MAX_CAPACITY_COUNT + 1 }, 'packages: must be at most 1,000,000; got 1000001'],
        [{ totalHours: 1e300 }, 'totalHours: must be at most 168,000,000; got 1e+300'],
        [
          { estimatedHoursAvailableNextMonth: MAX_CAPACITY_HOURS + 0.01 },
          'estimatedHoursAvailableNextMonth: must be at most 168,000,000',
        ],
      ])('refuses %j, naming the field', (data, message) => {
        spec.given([]).when(submit(data)).thenThrows(InvalidCommandError, message);
      });

      it('takes the most a return may count', () => {
        const most = {
          careWorkers: MAX_CAPACITY_COUNT,
          packages: MAX_CAPACITY_COUNT,
          totalHours: MAX_CAPACITY_HOURS,
          estimatedHoursAvailableNextMonth: MAX_CAPACITY_HOURS,
        };
        spec
          .given([])
          .when(submit(most))
          .thenEvents(([event]) =>
            expect(event?.data).toMatchObject({ ...most, averageHoursPerCareWorker: 168 }),
          );
      });

      it('is refused in an amendment too', () => {
        spec
          .given([submitted])
          .when(amend({ careWorkers: 2 ** 31 }))
          .thenThrows(InvalidCommandError, /^careWorkers: must be at most 1,000,000/);
      });
    });

    it('takes hours with two decimal places, however binary floating point holds them', () => {
      for (const totalHours of [0.29, 1.15, 812.57, 37.5, 0])
        spec
          .given([])
          .when(submit({ totalHours }))
          .thenEvents(([event]) => expect(event?.data).toMatchObject({ totalHours }));
    });

    it('names every wrong field at once', () => {
      spec
        .given([])
        .when(submit({ period: '2027-01', careWorkers: -1, totalHours: 'lots' }))
        .thenThrows(InvalidCommandError, /^period: .*; careWorkers: .*; totalHours: /);
    });

    it('refuses a second return for the same month (409): amend it instead', () => {
      spec
        .given([submitted])
        .when(submit({ careWorkers: 41 }))
        .thenThrows(
          ConflictError,
          `bryn-care has already returned its capacity for 2026-05 on care-at-home-2026 (submitted ${now.toISOString()}); amend it instead`,
        );
    });
  });

  describe('when it is amended', () => {
    it('records every figure anew, the average worked out again, with the reason and who amended it', () => {
      spec.given([submitted]).when(amend()).then([amended]);
    });

    it('counts the amendments, keeping when and by whom it was first submitted', () => {
      const second = { ...amended, data: { ...amended.data, careWorkers: 43 } };
      expect(foldEvents(capacityReturnDecider, [submitted, amended, second])).toMatchObject({
        status: 'submitted',
        submittedAt: now.toISOString(),
        submittedBy: 'user-ola',
        amendments: 2,
        figures: { careWorkers: 43 },
      });
    });

    it('refuses to amend a return never submitted (404)', () => {
      spec
        .given([])
        .when(amend())
        .thenThrows(NotFoundError, 'bryn-care has no capacity return for 2026-05');
    });

    it.each([undefined, null, '', '   ', 7, 'x'.repeat(2001)])(
      'refuses an amendment without a reason (%p)',
      (reason) => {
        spec
          .given([submitted])
          .when(amend({ reason }))
          .thenThrows(InvalidCommandError, /^reason: is required: why the figures change/);
      },
    );

    it('checks the new figures as a submission does, and refuses a client average', () => {
      spec
        .given([submitted])
        .when(amend({ packages: -3, averageHoursPerCareWorker: 19.3 }))
        .thenThrows(InvalidCommandError, /^averageHoursPerCareWorker: .*; packages: /);
    });

    it('refuses an amendment that changes no figure (409)', () => {
      spec
        .given([submitted])
        .when(amend({ careWorkers: 40, estimatedHoursAvailableNextMonth: 120 }))
        .thenThrows(ConflictError, 'already holds these figures');
    });
  });
});

describe('the average hours per care worker', () => {
  it.each([
    [812.5, 40, 20.3],
    [100, 3, 33.3],
    [0.15, 1, 0.2], // a half rounds up
    [8.45, 1, 8.5], // 8.45 × 10 is 84.4999… in floating point: worked in hundredths, it is 84.5
    [0, 5, 0],
    [12, 0, null],
  ])('is %p hours ÷ %p workers = %p', (hours, workers, average) => {
    expect(averageHoursPerCareWorker(hours, workers)).toBe(average);
  });
});
