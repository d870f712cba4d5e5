import type {
  ProviderCapacityReturnAmended,
  ProviderCapacityReturnEvent,
  ProviderCapacityReturnSubmitted,
} from '@kpi/domain';
import {
  evolveProviderCapacityReturn,
  providerCapacityReturnKeyOf,
  type ProviderCapacityReturnRow,
} from './provider-capacity-returns.projection';
import { recorded } from '@kpi/testing/fixtures';
import type { Recorded } from '@kpi/projections';

const submitted = (
  data: Partial<ProviderCapacityReturnSubmitted['data']> = {},
): ProviderCapacityReturnSubmitted => ({
  type: 'ProviderCapacityReturnSubmitted',
  data: {
    frameworkId: 'care-at-home-2026',
    providerId: 'bryn-care',
    period: '2026-05',
    careWorkers: 40,
    packages: 55,
    totalHours: 812.5,
    averageHoursPerCareWorker: 20.3,
    estimatedHoursAvailableNextMonth: 120,
    submittedBy: 'user-ola',
    submittedAt: '2026-06-03T09:00:00.000Z',
    ...data,
  },
});
const amended = (
  data: Partial<ProviderCapacityReturnAmended['data']> = {},
): ProviderCapacityReturnAmended => ({
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
    reason: 'Two starters were left out',
    amendedBy: 'user-ola',
    amendedAt: '2026-06-05T14:00:00.000Z',
    ...data,
  },
});

const inCouncil = (event: ProviderCapacityReturnEvent, eventId: string) =>
  recorded(event, { tenantId: 'southwark', eventId });
const fold = (events: Recorded<ProviderCapacityReturnEvent>[]) =>
  events.reduce<ProviderCapacityReturnRow | null>(evolveProviderCapacityReturn, null);

describe('the provider capacity returns read model', () => {
  describe('when a provider returns its capacity', () => {
    it("keeps the figures in the council's tenant, naming the provider", () => {
      expect(fold([inCouncil(submitted(), 'event-1')])).toEqual({
        tenantId: 'southwark',
        frameworkId: 'care-at-home-2026',
        providerId: 'bryn-care',
        period: '2026-05',
        careWorkers: 40,
        packages: 55,
        totalHours: 812.5,
        averageHoursPerCareWorker: 20.3,
        estimatedHoursAvailableNextMonth: 120,
        submittedAt: '2026-06-03T09:00:00.000Z',
        submittedBy: 'user-ola',
        amendments: 0,
        lastAmendedAt: null,
        lastAmendedBy: null,
        lastAmendmentReason: null,
        returnEventId: 'event-1',
        lastEventId: 'event-1',
      });
    });
  });

  describe('when it is amended, twice', () => {
    it('shows the latest figures, how many amendments and the last reason; the submission stays', () => {
      const row = fold([
        inCouncil(submitted(), 'event-1'),
        inCouncil(amended(), 'event-2'),
        inCouncil(
          amended({ careWorkers: 43, averageHoursPerCareWorker: 18.9, reason: 'One more' }),
          'event-3',
        ),
      ]);
      expect(row).toMatchObject({
        careWorkers: 43,
        averageHoursPerCareWorker: 18.9,
        estimatedHoursAvailableNextMonth: 150,
        submittedAt: '2026-06-03T09:00:00.000Z',
        amendments: 2,
        lastAmendedAt: '2026-06-05T14:00:00.000Z',
        lastAmendmentReason: 'One more',
        returnEventId: 'event-1',
        lastEventId: 'event-3',
      });
    });
  });

  describe('when the same event is delivered twice', () => {
    it('changes nothing', () => {
      const submission = inCouncil(submitted(), 'event-1');
      const amendment = inCouncil(amended(), 'event-2');
      const once = fold([submission, amendment]);
      expect(evolveProviderCapacityReturn(once, amendment)).toEqual(once);
      expect(evolveProviderCapacityReturn(once, submission)).toEqual(once);
    });
  });

  describe('when an amendment names a return never submitted', () => {
    it('makes no row', () => {
      expect(fold([inCouncil(amended(), 'event-1')])).toBeNull();
    });
  });

  it('keys a row by council, framework, provider and month', () => {
    const key = providerCapacityReturnKeyOf(inCouncil(submitted(), 'event-1'));
    expect(JSON.parse(key)).toEqual(['southwark', 'care-at-home-2026', 'bryn-care', '2026-05']);
    expect(providerCapacityReturnKeyOf(inCouncil(amended(), 'event-2'))).toBe(key);
    expect(
      providerCapacityReturnKeyOf(inCouncil(submitted({ providerId: 'oak-care' }), 'e')),
    ).not.toBe(key);
  });
});
