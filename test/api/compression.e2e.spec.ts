import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
let tenant: string;
beforeAll(async () => {
  api = await startApiUnderTest('compression_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
  tenant = await providerWithHome();
  await projections.caughtUp();
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const token = () => api.tokenFor({ tenantId: tenant, roles: ['provider-admin'] });

async function postJson(path: string, body: object): Promise<void> {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token()}`).send(body);
  expect(response.status).toBe(201);
}

/** A provider with the children's-homes framework from 2025-01 and one home, open since 2024. */
async function providerWithHome(): Promise<string> {
  tenant = `compress-${randomUUID().slice(0, 8)}`;
  await postJson('/organisation', { name: 'Acme Care', kind: 'provider' });
  await postJson('/regions', { regionId: 'north', name: 'North', regionalManagerId: 'rm-gwen' });
  await postJson('/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await postJson('/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  return tenant;
}

/**
 * The answer's bytes exactly as they went out (supertest would unzip them): Fastify's inject,
 * which sends no Accept-Encoding unless given one.
 */
async function fetchRaw(path: string, headers: Record<string, string> = {}) {
  const fastify = (api.app as NestFastifyApplication).getHttpAdapter().getInstance();
  const response = await fastify.inject({
    method: 'GET',
    url: path,
    headers: { authorization: `Bearer ${token()}`, ...headers },
  });
  return { status: response.statusCode, headers: response.headers, raw: response.rawPayload };
}

/** The body as the browser reads it, whatever its Content-Encoding. */
function decoded(answer: Awaited<ReturnType<typeof fetchRaw>>): string {
  const encoding = answer.headers['content-encoding'];
  const bytes =
    encoding === 'br'
      ? brotliDecompressSync(answer.raw)
      : encoding === 'gzip'
        ? gunzipSync(answer.raw)
        : answer.raw;
  return bytes.toString('utf8');
}

const BOTH = { 'accept-encoding': 'gzip, deflate, br' };
const GZIP = { 'accept-encoding': 'gzip' };

describe('compressed answers', () => {
  it('sends a page brotli-compressed when asked, the same HTML as uncompressed', async () => {
    const plain = await fetchRaw('/app/kpi-grid');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.raw.toString('utf8')).toContain('<!DOCTYPE html>');

    const compressed = await fetchRaw('/app/kpi-grid', BOTH);
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(compressed.headers['content-type']).toMatch(/^text\/html; charset=utf-8$/);
    expect(compressed.raw.length).toBeLessThan(plain.raw.length / 3);
    // Two reads differ only by the sign-out form's CSRF token.
    const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
    expect(withoutToken(decoded(compressed))).toBe(withoutToken(plain.raw.toString('utf8')));
  });

  it('sends the GOV.UK stylesheet gzipped to a gzip-only client, plain to others', async () => {
    const css = '/assets/govuk-frontend.min.css';
    const plain = await fetchRaw(css);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await fetchRaw(css, GZIP);
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/^text\/css/);
    expect(gzipped.raw.length).toBeLessThan(plain.raw.length / 3);
    expect(gunzipSync(gzipped.raw).equals(plain.raw)).toBe(true);
  });

  it('keeps identity for a client that refuses compression', async () => {
    const answer = await fetchRaw('/assets/govuk-frontend.min.js', {
      'accept-encoding': 'identity',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
  });

  it('lets the browser cache the assets for a day and revalidate them by ETag', async () => {
    const css = '/assets/govuk-frontend.min.css';
    const first = await fetchRaw(css, BOTH);
    expect(first.headers['cache-control']).toBe('public, max-age=86400');
    const etag = first.headers.etag;
    expect(etag).toEqual(expect.any(String));
    const again = await fetchRaw(css, { ...BOTH, 'if-none-match': String(etag) });
    expect(again.status).toBe(304);
  });

  it('sends a CSV download gzipped that still parses as the same CSV', async () => {
    const path = '/kpi-grid.csv?from=2025-01&to=2026-06';
    const plain = await fetchRaw(path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await fetchRaw(path, GZIP);
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/^text\/csv; charset=utf-8$/);
    expect(gzipped.headers['content-disposition']).toMatch(/^attachment; filename="kpi-grid-/);
    const csv = decoded(gzipped);
    expect(csv).toBe(plain.raw.toString('utf8'));
    const rows = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(rows[0]).toMatch(/^[a-z_]+(,[a-z_]+)+$/);
    expect(rows.filter((row) => row.includes('ty-gwyn'))).toHaveLength(18);
  });

  it('leaves an Excel workbook (already a zip) as it is', async () => {
    const answer = await fetchRaw('/kpi-grid.xlsx?from=2025-01&to=2025-03', BOTH);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.raw.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('keeps problem+json readable, compressed or not', async () => {
    const answer = await fetchRaw('/kpi-grid?from=2025-01&to=2025-03&serviceId=nowhere', BOTH);
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(JSON.parse(decoded(answer))).toMatchObject({ status: 404 });
  });
});
