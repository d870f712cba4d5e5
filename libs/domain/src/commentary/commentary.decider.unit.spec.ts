import { deciderSpecification } from '@kpi/testing';
import { InvalidCommandError } from '../shared/domain-errors';
import type { WriteIndicatorCommentary } from './commentary.commands';
import { commentaryDecider } from './commentary.decider';
import type { IndicatorCommentaryWritten } from './commentary.events';

const spec = deciderSpecification(commentaryDecider);
const write = (data: Partial<WriteIndicatorCommentary['data']> = {}): WriteIndicatorCommentary => ({
  type: 'WriteIndicatorCommentary',
  data: {
    serviceId: 'home-02',
    indicatorCode: 'EDU',
    period: '2026-27 Q2',
    whatHappened: ' Two young people were excluded in August ',
    whatIsBeingDone: 'Tutoring arranged; meeting with the school on 3 October',
    writtenBy: 'user:rm-1',
    now: new Date('2026-10-05T09:00:00Z'),
    ...data,
  },
});
const written = (version: number): IndicatorCommentaryWritten => ({
  type: 'IndicatorCommentaryWritten',
  data: {
    serviceId: 'home-02',
    indicatorCode: 'EDU',
    period: '2026-27 Q2',
    version,
    whatHappened: 'Two young people were excluded in August',
    whatIsBeingDone: 'Tutoring arranged; meeting with the school on 3 October',
    writtenBy: 'user:rm-1',
    writtenAt: '2026-10-05T09:00:00.000Z',
  },
});

describe("commentary on an indicator's period", () => {
  it('is written as version 1, its texts trimmed (sealed by the use case)', () => {
    spec
      .given([])
      .when(write())
      .then([written(1)]);
  });

  it('is revised as a new version, the earlier ones kept in the stream', () => {
    spec
      .given([written(1), written(2)])
      .when(write())
      .then([written(3)]);
  });

  it('may be about the organisation as a whole', () => {
    spec
      .given([])
      .when(write({ serviceId: null }))
      .thenEvents(([event]) => expect(event!.data.serviceId).toBeNull());
  });

  it('needs both what happened and what is being done', () => {
    spec
      .given([])
      .when(write({ whatHappened: ' ', whatIsBeingDone: '' }))
      .thenThrows(InvalidCommandError, /whatHappened.*whatIsBeingDone/);
  });
});
