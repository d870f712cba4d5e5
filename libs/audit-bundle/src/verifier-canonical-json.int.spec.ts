import { canonicalJson, sha256Hex } from '@kpi/event-store';
import { canonicalJsonByVerifier } from '@kpi/testing';
import canonicalize from 'canonicalize';
import fc from 'fast-check';

/**
 * tools/verify-audit-bundle.mjs has a canonicaliser of its own (it may import nothing of the
 * project). It must write what the event store hashed, or a regulator's check would fail on
 * honest events. Each run sends a batch of values to one verifier process.
 */
describe("the standalone verifier's canonical JSON", () => {
  it("equals the event store's (and the canonicalize package's) for any JSON value", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 100 }),
        async (values) => {
          // The verifier reads values from JSON text, as it reads events.ndjson.
          const asRead = values.map((value) => JSON.parse(JSON.stringify(value)) as unknown);
          const byVerifier = await canonicalJsonByVerifier(asRead);
          expect(byVerifier).toEqual(asRead.map((value) => canonicalJson(value)));
          expect(byVerifier).toEqual(asRead.map((value) => canonicalize(value)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('sorts keys by UTF-16 code units and writes numbers as ECMAScript does', async () => {
    const value = { '\u{1F600}': 1, '\uFFFD': 2, b: [1e21, 0.1, -0, 1e-7], a: 'ŷ\u0007"' };
    expect(await canonicalJsonByVerifier([value])).toEqual([
      '{"a":"ŷ\\u0007\\"","b":[1e+21,0.1,0,1e-7],"\u{1F600}":1,"\uFFFD":2}',
    ]);
  });

  it("hashes the event store's published content vector to its published hash", async () => {
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
    const [text] = await canonicalJsonByVerifier([content]);
    expect(sha256Hex(text!)).toBe(
      '87b234d6cbb6bef81ff5de4d8921024468c537eae5773e3cee6edaf6c0975263',
    );
  });
});
