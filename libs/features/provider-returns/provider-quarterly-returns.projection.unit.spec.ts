import type {
  ProviderQuarterlyReturnAmended,
  ProviderQuarterlyReturnEvent,
  ProviderQuarterlyReturnSubmitted,
  QuarterlyReturnFigures,
} from '@kpi/domain';
import {
  evolveProviderQuarterlyReturn,
  providerQuarterlyReturnKeyOf,
  type ProviderQuarterlyReturnRow,
} from './provider-quarterly-returns.projection';
import { recorded } from '@kpi/testing/fixtures';
import type { Recorded } from '@kpi/projections';

const FIGURES: QuarterlyReturnFigures = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
  'diploma-level-1': { numerator: 12, denominator: 40 },
  'diploma-level-2': { numerator: 9, denominator: 40 },
};
const CORRECTED = { ...FIGURES, 'staff-turnover': { numerator: 3, denominator: 39.5 } };

const submitted: ProviderQuarterlyReturnSubmitted = {
  type: 'ProviderQuarterlyReturnSubmitted',
  data: {
    frameworkId: 'care-at-home-2026',
    providerId: 'bryn-care',
    quarter: '2026-27 Q1',
    figures: FIGURES,
    submittedBy: 'user-ola',
    submittedAt: '2026-06-29T09:00:00.000Z',
  },
};
const amended: ProviderQuarterlyReturnAmended = {
  type: 'ProviderQuarterlyReturnAmended',
  data: {
    frameworkId: 'care-at-home-2026',
    providerId: 'bryn-care',
    quarter: '2026-27 Q1',
    figures: CORRECTED,
    reason: 'A leaver on 30 June was recorded in July',
    amendedBy: 'user-kim',
    amendedAt: '2026-07-02T10:00:00.000Z',
  },
};

const inCouncil = (event: ProviderQuarterlyReturnEvent, eventId: string) =>
  recorded(event, { tenantId: 'southwark', eventId });
const fold = (events: Recorded<ProviderQuarterlyReturnEvent>[]) =>
  events.reduce<ProviderQuarterlyReturnRow | null>(evolveProviderQuarterlyReturn, null);

describe('the provider quarterly returns read model', () => {
  describe('when a provider makes its quarterly return', () => {
    it("keeps the figures as QuarterlyReturnFigures, in the council's tenant", () => {
      expect(fold([inCouncil(submitted, 'event-1')])).toEqual({
        tenantId: 'southwark',
        frameworkId: 'care-at-home-2026',
        providerId: 'bryn-care',
        quarter: '2026-27 Q1',
        figures: FIGURES,
        submittedAt: '2026-06-29T09:00:00.000Z',
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

  describe('when it is amended', () => {
    it('holds the corrected figures, counts the amendment and keeps who, when and why', () => {
      expect(fold([inCouncil(submitted, 'event-1'), inCouncil(amended, 'event-2')])).toMatchObject({
        figures: CORRECTED,
        submittedBy: 'user-ola',
        amendments: 1,
        lastAmendedAt: '2026-07-02T10:00:00.000Z',
        lastAmendedBy: 'user-kim',
        lastAmendmentReason: 'A leaver on 30 June was recorded in July',
        returnEventId: 'event-1',
        lastEventId: 'event-2',
      });
    });
  });

  describe('when the same event is delivered twice', () => {
    it('changes nothing', () => {
      const submission = inCouncil(submitted, 'event-1');
      const amendment = inCouncil(amended, 'event-2');
      const once = fold([submission, amendment]);
      expect(evolveProviderQuarterlyReturn(once, amendment)).toEqual(once);
      expect(evolveProviderQuarterlyReturn(once, submission)).toEqual(once);
    });
  });

  describe('when an amendment names a return never submitted', () => {
    it('makes no row', () => {
      expect(fold([inCouncil(amended, 'event-1')])).toBeNull();
    });
  });

  it('keys a row by council, framework, provider and quarter', () => {
    expect(JSON.parse(providerQuarterlyReturnKeyOf(inCouncil(submitted, 'event-1')))).toEqual([
      'southwark',
      'care-at-home-2026',
      'bryn-care',
      '2026-27 Q1',
    ]);
  });
});
