import type {
  DataQualityFindingRecorded,
  DataQualitySampleDrawn,
  IndicatorCommentaryWritten,
} from '@kpi/domain';
import { recorded } from '@kpi/testing/fixtures';
import { commentaryKeyOf, evolveCommentary, type CommentaryRow } from './commentary.projection';
import { auditedReturnKeysOf, evolveAuditedReturn } from './data-quality-audit.projection';

const sealed = (ref: string) => ({ ref, subjectId: 's-1', ciphertextHash: 'ab' });

describe('the audited returns read model', () => {
  const drawn: DataQualitySampleDrawn = {
    type: 'DataQualitySampleDrawn',
    data: {
      auditId: 'audit-1',
      period: '2026-09' as DataQualitySampleDrawn['data']['period'],
      method: 'random',
      seed: 's',
      population: ['home-01', 'home-02', 'home-03'],
      sample: ['home-01', 'home-03'],
      drawnBy: 'user:po-1',
      drawnAt: '2026-10-25T09:00:00.000Z',
    },
  };
  const found: DataQualityFindingRecorded = {
    type: 'DataQualityFindingRecorded',
    data: {
      auditId: 'audit-1',
      findingId: 'f-1',
      serviceId: 'home-03',
      period: drawn.data.period,
      finding: 'queried',
      amendmentEventId: null,
      amendmentNumber: null,
      checked: sealed('c'),
      query: sealed('q'),
      recordedBy: 'user:po-1',
      recordedAt: '2026-10-26T09:00:00.000Z',
    },
  };

  it('keeps a row per sampled return, keyed tenant first, and its finding (no texts)', () => {
    const keys = auditedReturnKeysOf(recorded(drawn));
    expect(keys).toEqual(['["acme","audit-1","home-01"]', '["acme","audit-1","home-03"]']);
    const row = evolveAuditedReturn(null, recorded(drawn), keys[1]!);
    const after = evolveAuditedReturn(row, recorded(found), keys[1]!);
    expect(after).toEqual({
      tenantId: 'acme',
      auditId: 'audit-1',
      serviceId: 'home-03',
      period: '2026-09',
      method: 'random',
      drawnAt: '2026-10-25T09:00:00.000Z',
      findingId: 'f-1',
      finding: 'queried',
      amendmentEventId: null,
      recordedAt: '2026-10-26T09:00:00.000Z',
      recordedBy: 'user:po-1',
    });
    expect(JSON.stringify(after)).not.toContain('"q"');
    // The same finding delivered twice changes nothing.
    expect(evolveAuditedReturn(after, recorded(found), keys[1]!)).toEqual(after);
  });
});

describe('the commentary read model', () => {
  const written = (version: number): IndicatorCommentaryWritten => ({
    type: 'IndicatorCommentaryWritten',
    data: {
      serviceId: null,
      indicatorCode: 'EDU',
      period: '2026-27 Q2',
      version,
      whatHappened: sealed(`h${version}`),
      whatIsBeingDone: sealed(`d${version}`),
      writtenBy: 'user:po-1',
      writtenAt: '2026-10-05T09:00:00.000Z',
    },
  });

  it('keeps the latest version, the organisation as service ""', () => {
    expect(commentaryKeyOf(recorded(written(1)))).toBe('["acme","","EDU","2026-27 Q2"]');
    const rows = [written(1), written(2)].reduce<CommentaryRow | null>(
      (row, event) => evolveCommentary(row, recorded(event)),
      null,
    );
    expect(rows).toMatchObject({ serviceId: '', version: 2, whatHappened: sealed('h2') });
    // An earlier version delivered again (or twice) changes nothing.
    expect(evolveCommentary(rows, recorded(written(1)))).toEqual(rows);
    expect(evolveCommentary(rows, recorded(written(2)))).toEqual(rows);
  });
});
