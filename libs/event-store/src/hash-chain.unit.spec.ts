import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, chainHash, contentHash } from './hash-chain';

// A fixed vector computed independently (Python hashlib over the canonical text written out by
// hand). If this test fails, chains written before the change can no longer be verified.
const content = {
  eventId: '6f1c1f5e-9c53-4d0e-8f43-2f7f1d8b9a10',
  streamId: 'return:acme:home-1:2026-09',
  type: 'MonthlyReturnSubmitted',
  schemaVersion: 1,
  data: { score: 87.5, home: 'Tŷ Gwyn' },
  metadata: {
    tenantId: 'acme',
    actor: 'user:7',
    correlationId: 'corr-3',
    causationId: null,
    commandId: 'cmd-9',
  },
  effectiveAt: null,
};

describe('the hash chain formulas', () => {
  it('write canonical JSON with sorted keys and no spaces (RFC 8785)', () => {
    expect(canonicalJson({ b: [1, { d: 1e21, c: 0.1 }], a: 'ŷ' })).toBe(
      '{"a":"ŷ","b":[1,{"c":0.1,"d":1e+21}]}',
    );
  });

  it('hash the content of an event to the published test vector', () => {
    expect(contentHash(content)).toBe(
      '87b234d6cbb6bef81ff5de4d8921024468c537eae5773e3cee6edaf6c0975263',
    );
  });

  it('do not depend on the order of keys in the data', () => {
    expect(contentHash({ ...content, data: { home: 'Tŷ Gwyn', score: 87.5 } })).toBe(
      contentHash(content),
    );
  });

  it('change when one character of the data changes', () => {
    expect(contentHash({ ...content, data: { ...content.data, home: 'Tŷ Gwyo' } })).not.toBe(
      contentHash(content),
    );
  });

  it('link an event to its predecessor, version and recorded time', () => {
    const link = {
      previousHash: '',
      streamId: content.streamId,
      streamVersion: 1,
      recordedAtMicros: '1790000000123000',
      contentHash: contentHash(content),
    };
    expect(chainHash(link)).toBe(
      '8b5c53aecc1bd6bd9bdc28523aa1dbc709132fd202b73162a8a77d4a30806195',
    );
    expect(chainHash({ ...link, recordedAtMicros: '1790000000124000' })).not.toBe(chainHash(link));
    expect(chainHash({ ...link, previousHash: 'a'.repeat(64) })).not.toBe(chainHash(link));
  });
});

describe('canonicalJson', () => {
  it('writes exactly what the canonicalize package (RFC 8785) writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes valid JSON that reads back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
