import { BUNDLE_FORMAT, manifestBytes, manifestOf, type ManifestBase } from './bundle-format';
import { eventLine, streamLine } from './bundle-events';

const base: ManifestBase = {
  createdAt: '2026-07-01T09:00:00.000Z',
  grantId: 'grant-4',
  requestedBy: 'user:inspector-7',
  period: { to: '2026-07-01T00:00:00.000Z', from: '2026-04-01T00:00:00.000Z' },
  scope: { serviceIds: ['home-1'], tenantId: 'provider-acme' },
};
const rest = {
  signingKey: { kid: 'k', kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } as const,
  counts: { events: 2, streams: 1, files: 3 },
  streamsMerkleRoot: 'a'.repeat(64),
  files: [{ path: 'streams.ndjson', sha256: 'b'.repeat(64), size: 10 }],
};

describe('the manifest', () => {
  it('has its fields in one order, whatever order the exporter gave them in', () => {
    const manifest = manifestOf(base, rest);
    expect(Object.keys(manifest)).toEqual([
      'format',
      'scope',
      'period',
      'requestedBy',
      'grantId',
      'createdAt',
      'signingKey',
      'counts',
      'streamsMerkleRoot',
      'files',
    ]);
    expect(manifest.format).toBe(BUNDLE_FORMAT);
    expect(Object.keys(manifest.scope)).toEqual(['tenantId', 'serviceIds']);
    expect(Object.keys(manifest.period)).toEqual(['from', 'to']);
  });

  it('is written as indented UTF-8 JSON ending with a newline: the bytes that are signed', () => {
    const bytes = manifestBytes(manifestOf(base, rest));
    expect(bytes.toString('utf8')).toMatch(/^\{\n {2}"format": "kpi-ledger-evidence-bundle\/1",\n/);
    expect(bytes.toString('utf8').endsWith('}\n')).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(manifestOf(base, rest));
  });
});

describe('the lines of events.ndjson and streams.ndjson', () => {
  it('carry exactly the stored fields, in one order, on one line', () => {
    const line = eventLine({
      hash: 'h',
      previousHash: '',
      contentHash: 'c',
      recordedAtMicros: '1782896400000000',
      recordedAt: '2026-07-01T09:00:00.000Z',
      effectiveAt: null,
      metadata: {
        tenantId: 't',
        actor: 'user:1',
        correlationId: null,
        causationId: null,
        commandId: null,
      },
      data: { text: 'two\nlines' },
      schemaVersion: 1,
      type: 'ReturnRecorded',
      streamVersion: 1,
      streamId: 's',
      eventId: 'e',
      globalPosition: 7,
      ...{ transactionId: 99 },
    });
    expect(line).not.toContain('\n');
    expect(Object.keys(JSON.parse(line) as object)).toEqual([
      'globalPosition',
      'eventId',
      'streamId',
      'streamVersion',
      'type',
      'schemaVersion',
      'data',
      'metadata',
      'effectiveAt',
      'recordedAt',
      'recordedAtMicros',
      'contentHash',
      'previousHash',
      'hash',
    ]);
    expect(
      streamLine({
        lastHash: 'l',
        lastVersion: 2,
        firstHash: 'f',
        firstVersion: 1,
        previousHash: '',
        streamId: 's',
      }),
    ).toBe(
      '{"streamId":"s","previousHash":"","firstVersion":1,"firstHash":"f","lastVersion":2,"lastHash":"l"}',
    );
  });
});
