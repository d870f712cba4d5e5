import { canonicalJsonByVerifier } from '@kpi/testing';
import { createHash } from 'node:crypto';
import {
  fixtureEvent,
  startApiUnderTest,
  uniqueStreamId,
  type ApiUnderTest,
} from './support/api-under-test';

/**
 * docs/audit-trail.md, "Recomputing the hashes yourself", followed step by step on what
 * `GET /audit/streams/{streamId}/events` returns — with the standalone verifier's canonical
 * JSON (tools/verify-audit-bundle.mjs), not the code that computed the hashes.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('api_audit_recipe');
});
afterAll(() => api.close());

const TENANT = 'provider-acme';
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface ApiEvent {
  eventId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  effectiveAt: string | null;
  recordedAt: string;
  recordedAtMicros: string;
  contentHash: string;
  previousHash: string;
  hash: string;
}

describe('the recipe of docs/audit-trail.md on the audit API', () => {
  it('recomputes every stored hash, for an event with no effective time and a back-dated one', async () => {
    const streamId = uniqueStreamId('recipe');
    await api.store.append(streamId, [fixtureEvent(TENANT, { n: 1 })], 'no-stream');
    await api.store.append(
      streamId,
      [
        {
          ...fixtureEvent(TENANT, { score: 87.5, home: 'Tŷ Gwyn', ratio: 1e-7, big: 1e21 }),
          effectiveAt: new Date('2026-03-31T23:00:00.000Z'),
        },
      ],
      1,
    );
    await api.store.append(streamId, [fixtureEvent(TENANT, { note: 'line\nbreak "quoted"' })], 2);
    const token = api.tokenFor({ tenantId: TENANT, roles: ['regulator'] });
    const response = await api
      .http()
      .get(`/audit/streams/${encodeURIComponent(streamId)}/events`)
      .set('Authorization', `Bearer ${token}`);
    const events = response.body.events as ApiEvent[];
    expect(events.map((e) => e.effectiveAt)).toEqual([null, '2026-03-31T23:00:00.000Z', null]);

    // Step 1: the content, with the stored schema version and effectiveAt (null stays null).
    const contents = events.map((event) => ({
      eventId: event.eventId,
      streamId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: {
        tenantId: event.metadata.tenantId,
        actor: event.metadata.actor,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        commandId: event.metadata.commandId,
      },
      effectiveAt: event.effectiveAt,
    }));
    const canonical = await canonicalJsonByVerifier(contents);

    let previous = '';
    events.forEach((event, i) => {
      // Step 2: the content hash.
      const contentHash = sha256Hex(canonical[i]!);
      expect(contentHash).toBe(event.contentHash);
      // Step 3: the chain link, over the recorded time in whole microseconds.
      expect(event.recordedAtMicros).toBe(`${Date.parse(event.recordedAt)}000`);
      expect(event.previousHash).toBe(previous);
      const hash = sha256Hex(
        `${previous}|${streamId}|${event.streamVersion}|${event.recordedAtMicros}|${contentHash}`,
      );
      expect(hash).toBe(event.hash);
      previous = hash;
    });
  });

  it('needs effectiveAt as stored: the recorded time in its place gives another hash', async () => {
    const streamId = uniqueStreamId('recipe');
    await api.store.append(streamId, [fixtureEvent(TENANT, { n: 1 })], 'no-stream');
    const token = api.tokenFor({ tenantId: TENANT, roles: ['regulator'] });
    const [event] = (
      await api
        .http()
        .get(`/audit/streams/${encodeURIComponent(streamId)}/events`)
        .set('Authorization', `Bearer ${token}`)
    ).body.events as ApiEvent[];

    const content = {
      eventId: event!.eventId,
      streamId,
      type: event!.type,
      schemaVersion: event!.schemaVersion,
      data: event!.data,
      metadata: event!.metadata,
    };
    const [asStored, withRecordedTime] = await canonicalJsonByVerifier([
      { ...content, effectiveAt: null },
      { ...content, effectiveAt: event!.recordedAt },
    ]);
    expect(sha256Hex(asStored!)).toBe(event!.contentHash);
    expect(sha256Hex(withRecordedTime!)).not.toBe(event!.contentHash);
  });
});
