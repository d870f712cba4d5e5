import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import type { DrawAuditSample, RecordAuditFinding } from './data-quality-audit.commands';
import { dataQualityAuditDecider } from './data-quality-audit.decider';
import type {
  DataQualityFindingRecorded,
  DataQualitySampleDrawn,
} from './data-quality-audit.events';
import { seededSample } from './seeded-sample';

const spec = deciderSpecification(dataQualityAuditDecider);
const period = '2026-09' as Period;
const homes = ['home-05', 'home-01', 'home-03', 'home-02', 'home-04', 'home-06'];

const draw = (method: DrawAuditSample['data']['method']): DrawAuditSample => ({
  type: 'DrawAuditSample',
  data: {
    auditId: 'audit-1',
    period,
    method,
    population: homes,
    drawnBy: 'user:po-1',
    now: new Date('2026-10-25T09:00:00Z'),
  },
});
const drawn = (sample: string[]): DataQualitySampleDrawn => ({
  type: 'DataQualitySampleDrawn',
  data: {
    auditId: 'audit-1',
    period,
    method: 'chosen',
    seed: null,
    population: [...homes].sort(),
    sample,
    drawnBy: 'user:po-1',
    drawnAt: '2026-10-25T09:00:00.000Z',
  },
});
const find = (data: Partial<RecordAuditFinding['data']>): RecordAuditFinding => ({
  type: 'RecordAuditFinding',
  data: {
    auditId: 'audit-1',
    findingId: 'f-home-02',
    serviceId: 'home-02',
    finding: 'confirmed',
    amendmentEventId: null,
    amendments: [],
    checked: ' Attendance register, September ',
    query: null,
    recordedBy: 'user:po-1',
    now: new Date('2026-10-26T09:00:00Z'),
    ...data,
  },
});
const found = (
  finding: DataQualityFindingRecorded['data']['finding'],
): DataQualityFindingRecorded => ({
  type: 'DataQualityFindingRecorded',
  data: {
    auditId: 'audit-1',
    findingId: 'f-home-02',
    serviceId: 'home-02',
    period,
    finding,
    amendmentEventId: null,
    amendmentNumber: null,
    checked: 'Attendance register, September',
    query: finding === 'queried' ? 'Where is the register for week 2?' : null,
    recordedBy: 'user:po-1',
    recordedAt: '2026-10-26T09:00:00.000Z',
  },
});

describe('a data-quality audit', () => {
  describe('when a random sample is drawn', () => {
    it('keeps the seed and the population, so the draw can be made again', () => {
      spec
        .given([])
        .when(draw({ kind: 'random', size: 3, seed: 'c0ffee' }))
        .thenEvents(([event]) => {
          const { data } = event as DataQualitySampleDrawn;
          expect(data).toMatchObject({ method: 'random', seed: 'c0ffee' });
          expect(data.population).toEqual([...homes].sort());
          expect(data.sample).toHaveLength(3);
          expect(new Set(data.sample).size).toBe(3);
          // Reproducible from what the event holds, whatever order the population came in.
          expect(seededSample(data.population, 3, data.seed!)).toEqual(data.sample);
          expect(seededSample([...homes].reverse(), 3, 'c0ffee')).toEqual(data.sample);
        });
    });

    it('draws other samples with other seeds', () => {
      const samples = new Set(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => seededSample(homes, 3, seed).join()),
      );
      expect(samples.size).toBeGreaterThan(1);
    });

    it('refuses a size of none or more than the returns there are', () => {
      spec
        .given([])
        .when(draw({ kind: 'random', size: 0, seed: 's' }))
        .thenThrows(InvalidCommandError, /random.size/);
      spec
        .given([])
        .when(draw({ kind: 'random', size: 7, seed: 's' }))
        .thenThrows(InvalidCommandError, /1 to 6/);
    });
  });

  describe('when a sample is chosen', () => {
    it('takes the services named, once each', () => {
      spec
        .given([])
        .when(draw({ kind: 'chosen', serviceIds: ['home-02', 'home-04', 'home-02'] }))
        .then([drawn(['home-02', 'home-04'])]);
    });

    it('refuses a service without a return for the month', () => {
      spec
        .given([])
        .when(draw({ kind: 'chosen', serviceIds: ['home-02', 'home-99'] }))
        .thenThrows(InvalidCommandError, /home-99 has no return for 2026-09/);
    });
  });

  it('refuses a month without returns, and drawing twice', () => {
    spec
      .given([])
      .when({
        ...draw({ kind: 'chosen', serviceIds: ['home-02'] }),
        data: { ...draw({ kind: 'chosen', serviceIds: ['home-02'] }).data, population: [] },
      })
      .thenThrows(InvalidCommandError, /no return for 2026-09/);
    spec
      .given([drawn(['home-02'])])
      .when(draw({ kind: 'chosen', serviceIds: ['home-02'] }))
      .thenThrows(ConflictError);
  });

  describe('when a finding is recorded', () => {
    it('records a return confirmed, with what was checked', () => {
      spec
        .given([drawn(['home-02'])])
        .when(find({}))
        .then([found('confirmed')]);
    });

    it('records a return corrected, citing the amendment by its event', () => {
      const amendments = [{ eventId: 'evt-amend-1', amendmentNumber: 1 }];
      spec
        .given([drawn(['home-02'])])
        .when(find({ finding: 'corrected', amendmentEventId: 'evt-amend-1', amendments }))
        .thenEvents(([event]) =>
          expect((event as DataQualityFindingRecorded).data).toMatchObject({
            finding: 'corrected',
            amendmentEventId: 'evt-amend-1',
            amendmentNumber: 1,
          }),
        );
      spec
        .given([drawn(['home-02'])])
        .when(find({ finding: 'corrected', amendmentEventId: 'evt-other', amendments }))
        .thenThrows(InvalidCommandError, /amendmentEventId/);
      spec
        .given([drawn(['home-02'])])
        .when(find({ finding: 'corrected', amendments }))
        .thenThrows(InvalidCommandError, /is required/);
    });

    it('records a return queried with the query, and requires one', () => {
      spec
        .given([drawn(['home-02'])])
        .when(find({ finding: 'queried', query: ' Where is the register for week 2? ' }))
        .then([found('queried')]);
      spec
        .given([drawn(['home-02'])])
        .when(find({ finding: 'queried', query: '  ' }))
        .thenThrows(InvalidCommandError, /query/);
    });

    it('lets a queried return be confirmed once answered, under the same finding id', () => {
      spec
        .given([drawn(['home-02']), found('queried')])
        .when(find({}))
        .thenEvents(([event]) =>
          expect((event as DataQualityFindingRecorded).data).toMatchObject({
            findingId: 'f-home-02',
            finding: 'confirmed',
          }),
        );
      spec
        .given([drawn(['home-02']), found('queried')])
        .when(find({ finding: 'queried', query: 'Again?' }))
        .thenThrows(ConflictError);
    });

    it('refuses a second finding for a confirmed return', () => {
      spec
        .given([drawn(['home-02']), found('confirmed')])
        .when(find({}))
        .thenThrows(ConflictError);
    });

    it('refuses a return outside the sample, and an audit that does not exist', () => {
      spec
        .given([drawn(['home-04'])])
        .when(find({}))
        .thenThrows(InvalidCommandError, /not in audit audit-1's sample/);
      spec.given([]).when(find({})).thenThrows(NotFoundError);
    });
  });
});
