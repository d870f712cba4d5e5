import { SigningKeyRing } from '@kpi/audit-bundle';
import { addDays, londonDateOf, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { auditExportProcessing, type AuditExportProcessing } from '@kpi/features/audit-exports';
import { regulatorGrantsProjection } from '@kpi/features/regulator-grants';
import { ensureProjectionReady, projectionStatus, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, returnSubmitted, runBundleVerifier, waitFor } from '@kpi/testing';
import { returnAmended, serviceRegistered, stageEntered, toAppend } from '@kpi/testing/fixtures';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * Evidence bundles: an organisation exports its own trail, a regulator a grantor's under a
 * grant. The export job runs here as the worker runs it (its BullMQ processor, on this test's
 * Redis prefix and database); the bundle downloaded passes the standalone verifier with the key
 * the API publishes, and fails it, naming the event, once a byte of an event is changed.
 */
let api: ApiUnderTest;
let store: PostgresEventStore;
let grants: ProjectionRunner;
let exports: AuditExportProcessing;
let directory: string;

const DAY = 24 * 3_600_000;
/** The API's clock runs two days ahead: the days on which the fixtures are recorded have ended. */
const AHEAD = 2 * DAY;
const realToday = () => londonDateOf(new Date());
const apiToday = () => londonDateOf(new Date(Date.now() + AHEAD));
const expiresAt = () => new Date(Date.now() + 10 * DAY).toISOString();

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'audit-exports-e2e-'));
  api = await startApiUnderTest('audit_exports_e2e', {
    env: { EXPORT_DIR: join(directory, 'exports') },
  });
  store = new PostgresEventStore(api.pool, eventTypeRegistry());
  await ensureProjectionReady(api.pool, store, regulatorGrantsProjection);
  grants = new ProjectionRunner(api.pool, store, regulatorGrantsProjection, {
    idlePollMs: 10,
    standbyPollMs: 10,
    retryDelayMs: 10,
  });
  grants.start();
  exports = auditExportProcessing({
    redisUrl: api.config.REDIS_URL,
    prefix: api.config.BULLMQ_PREFIX,
    pool: api.pool,
    signer: SigningKeyRing.fromConfig(api.config.AUDIT_SIGNING_KEYS).current,
    exportDirectory: api.config.EXPORT_DIR,
  });
  exports.startProcessor();
  api.setNow(new Date(Date.now() + AHEAD));
});
afterAll(async () => {
  await exports?.close();
  await grants?.stop();
  await api?.close();
  await rm(directory, { recursive: true, force: true });
});

const as = (tenantId: string, roles: Role[], userId = 'user:e2e') =>
  api.tokenFor({ tenantId, roles, userId });
const admin = (tenantId: string) => as(tenantId, ['admin'], 'user:admin-ann');
const auditor = (tenantId: string) => as(tenantId, ['provider-admin'], 'user:auditor-al');
const inspector = (tenantId: string) => as(tenantId, ['regulator'], 'user:inspector-ivy');

const get = (token: string, path: string) =>
  api.http().get(path).set('Authorization', `Bearer ${token}`);
const post = (token: string, path: string, body: object = {}) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
const download = (token: string, path: string) =>
  get(token, path)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });

/**
 * A provider with two homes: each registered, with a return (ty-gwyn's amended), a complaint;
 * a capability stage at ty-gwyn; a region. Fresh tenants for each test.
 */
async function organisation() {
  const suffix = randomUUID().slice(0, 8);
  const tenant = `acme-${suffix}`;
  const append = (streamId: string, events: { type: string; data: unknown }[]) =>
    store.append(
      `${tenant}:${streamId}`,
      events.map((event) => toAppend(tenant, event)),
      'no-stream',
    );
  const submitted = returnSubmitted({
    serviceId: 'ty-gwyn',
    period: '2026-09' as never,
    values: { ...allMet, EDU: 70 },
    submittedBy: 'user:rm-gwen',
    submittedAt: '2026-10-12T09:00:00.000Z',
  });
  const amended = returnAmended(
    [submitted],
    { ...allMet, EDU: 92 },
    {
      amendedBy: 'user:rm-huw',
      amendedAt: '2026-10-25T14:00:00.000Z',
    },
  );
  const stage = stageEntered({ period: '2026-09', misses: 1 });
  for (const serviceId of ['ty-gwyn', 'plas-newydd']) {
    await append(`service:${serviceId}`, [serviceRegistered({ serviceId })]);
    await append(`complaint:c-${serviceId}`, [
      { type: 'ComplaintLogged', data: { complaintId: `c-${serviceId}`, serviceId } },
    ]);
  }
  await append('monthly-return:ty-gwyn:2026-09', [submitted, amended]);
  await append('monthly-return:plas-newydd:2026-09', [
    returnSubmitted({ serviceId: 'plas-newydd', period: '2026-09' as never }),
  ]);
  await append('capability:mgr-a:ty-gwyn:EDU', [
    { ...stage, data: { ...stage.data, serviceId: 'ty-gwyn' } },
  ]);
  await append('region:north', [{ type: 'RegionRegistered', data: { regionId: 'north' } }]);
  return { tenant, regulator: `ofsted-${suffix}` };
}

/** A grant of the last year up to (real) today, made and in the read model. */
async function grant(tenant: string, regulator: string, body: Record<string, unknown> = {}) {
  const response = await post(admin(tenant), '/regulator-grants', {
    regulatorTenantId: regulator,
    period: { from: addDays(realToday(), -364), to: realToday() },
    expiresAt: expiresAt(),
    reference: 'Ofsted inspection SC123456/2026-05',
    ...body,
  });
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  await waitFor(
    async () =>
      (await projectionStatus(api.pool, store, [regulatorGrantsProjection])).every(
        (s) => s.eventsBehind === 0,
      ),
    { description: 'the grants read model to catch up', intervalMs: 10 },
  );
  return response.body.grantId as string;
}

interface FinishedExport {
  status: string;
  bundle: { sizeBytes: number; sha256: string; streamsMerkleRoot: string };
  [field: string]: unknown;
}

/** Polls the export (at `path`) until its job has finished; fails if it failed. */
async function finished(token: string, path: string): Promise<FinishedExport> {
  const body = await waitFor(
    async () => {
      const response = await get(token, path);
      expect(response.status).toBe(200);
      return ['done', 'failed'].includes(response.body.status) ? response.body : null;
    },
    { description: `${path} to finish`, intervalMs: 50 },
  );
  expect(body).toMatchObject({ status: 'done', failure: null });
  return body;
}

async function accessLogOf(tenant: string): Promise<Record<string, unknown>[]> {
  const response = await get(admin(tenant), '/access-log?kind=export');
  expect(response.status).toBe(200);
  return response.body.entries;
}

describe("a regulator's export under a grant", () => {
  it('is written by the job, downloaded, and passes the verifier with the published key; a changed byte fails it, naming the event', async () => {
    const { tenant, regulator } = await organisation();
    const grantId = await grant(tenant, regulator);

    const requested = await post(inspector(regulator), `/granted/${grantId}/exports`);
    expect(requested.status).toBe(202);
    const { exportId } = requested.body;
    expect(requested.headers.location).toBe(`/granted/${grantId}/exports/${exportId}`);
    expect(requested.body).toMatchObject({
      exportId: expect.stringMatching(/^export-[0-9a-f]{16}$/),
      tenantId: tenant,
      grantId,
      serviceIds: null,
      period: { from: addDays(realToday(), -364), to: realToday() },
      requestedBy: 'user:inspector-ivy',
      replayed: false,
    });
    const done = await finished(inspector(regulator), requested.headers.location!);
    expect(done).toMatchObject({
      progress: { eventsDone: 10, eventsTotal: 10 },
      bundle: {
        fileName: `${exportId}.tar.gz`,
        events: 10,
        streams: 9,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        streamsMerkleRoot: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });

    const response = await download(
      inspector(regulator),
      `/granted/${grantId}/exports/${exportId}/bundle`,
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/gzip');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${exportId}.tar.gz"`,
    );
    const bytes = response.body as Buffer;
    expect(bytes.length).toBe(done.bundle.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.bundle.sha256);
    const manifest = JSON.parse(tarFiles(gunzipSync(bytes)).get('manifest.json')!);
    expect(manifest).toMatchObject({
      scope: { tenantId: tenant, serviceIds: null },
      grantId,
      requestedBy: 'user:inspector-ivy',
      streamsMerkleRoot: done.bundle.streamsMerkleRoot,
    });

    const keys = await api.http().get('/.well-known/kpi-ledger-signing-keys');
    const keySet = join(directory, `${exportId}-keys.json`);
    await writeFile(keySet, JSON.stringify(keys.body));
    const bundle = join(directory, `${exportId}.tar.gz`);
    await writeFile(bundle, bytes);
    const run = await runBundleVerifier([bundle, '--public-key', keySet]);
    expect(run.stdout).toContain(`${bundle}: every check holds.`);
    expect(run.stdout).toContain('10 events: content hashes and chain links recomputed');
    expect(run.exitCode).toBe(0);

    const tar = gunzipSync(bytes);
    const complaint = tarFiles(tar)
      .get('events.ndjson')!
      .split('\n')
      .map((line) => (line ? JSON.parse(line) : null))
      .find((event) => event?.type === 'ComplaintLogged' && event.data.serviceId === 'plas-newydd');
    const at = tar.indexOf('"complaintId":"c-plas-newydd"');
    tar[at + '"complaintId":"c-plas-newydd'.length - 1] = 'e'.charCodeAt(0);
    const changed = join(directory, `${exportId}-changed.tar.gz`);
    await writeFile(changed, gzipSync(tar));
    const failed = await runBundleVerifier([changed, '--public-key', keySet]);
    expect(failed.stdout).toContain(
      `FAILED — event ${complaint.eventId} (stream ${tenant}:complaint:c-plas-newydd, version 1): its content does not match its content hash`,
    );
    expect(failed.exitCode).toBe(1);

    expect(await accessLogOf(tenant)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'export',
          subjectId: exportId,
          detail: 'request',
          grantId,
          readerTenantId: regulator,
          outcome: 'read',
        }),
        expect.objectContaining({
          kind: 'export',
          subjectId: exportId,
          detail: 'bundle',
          grantId,
          readerTenantId: regulator,
          outcome: 'read',
        }),
      ]),
    );
  });

  it("of a service-scoped grant holds no other service's streams, and no more than the grant opens", async () => {
    const { tenant, regulator } = await organisation();
    const grantId = await grant(tenant, regulator, { serviceIds: ['ty-gwyn'] });
    const requested = await post(inspector(regulator), `/granted/${grantId}/exports`);
    expect(requested.status).toBe(202);
    expect(requested.body.serviceIds).toEqual(['ty-gwyn']);
    await finished(inspector(regulator), requested.headers.location!);

    const bytes = (await download(inspector(regulator), `${requested.headers.location}/bundle`))
      .body as Buffer;
    const files = tarFiles(gunzipSync(bytes));
    const streams = files
      .get('streams.ndjson')!
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line).streamId);
    expect(streams).toEqual([
      `${tenant}:capability:mgr-a:ty-gwyn:EDU`,
      `${tenant}:complaint:c-ty-gwyn`,
      `${tenant}:monthly-return:ty-gwyn:2026-09`,
      `${tenant}:service:ty-gwyn`,
    ]);
    expect(files.get('events.ndjson')).not.toContain('plas-newydd');
    expect(JSON.parse(files.get('manifest.json')!).scope.serviceIds).toEqual(['ty-gwyn']);

    const refusal = async (body: object) => {
      const response = await post(inspector(regulator), `/granted/${grantId}/exports`, body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      return response.body.errors;
    };
    expect(await refusal({ serviceIds: ['plas-newydd'] })).toEqual([
      {
        field: 'serviceIds',
        reason: 'must be among the services the grant opens (ty-gwyn); not plas-newydd',
      },
    ]);
    expect(await refusal({ from: addDays(realToday(), -365) })).toEqual([
      expect.objectContaining({ field: 'from' }),
    ]);
    expect(await refusal({ to: addDays(realToday(), 1) })).toEqual([
      expect.objectContaining({ field: 'to' }),
    ]);
  });

  it("takes, left out, the grant's period up to its last day that has ended", async () => {
    const { tenant, regulator } = await organisation();
    const grantId = await grant(tenant, regulator, {
      period: { from: addDays(realToday(), -10), to: addDays(apiToday(), 30) },
    });
    const requested = await post(inspector(regulator), `/granted/${grantId}/exports`);
    expect(requested.status).toBe(202);
    expect(requested.body.period).toEqual({
      from: addDays(realToday(), -10),
      to: addDays(apiToday(), -1),
    });
    const upcoming = await grant(tenant, regulator, {
      period: { from: apiToday(), to: addDays(apiToday(), 30) },
    });
    const refused = await post(inspector(regulator), `/granted/${upcoming}/exports`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'to', reason: `none of the grant's period has ended yet (it starts ${apiToday()})` },
    ]);
  });

  it('is 404 for request, status and download without the grant, or once it has expired, and each attempt is logged', async () => {
    const { tenant, regulator } = await organisation();
    const grantId = await grant(tenant, regulator);
    const requested = await post(inspector(regulator), `/granted/${grantId}/exports`);
    const exportId = requested.body.exportId as string;
    await finished(inspector(regulator), requested.headers.location!);
    const paths = {
      request: `/granted/${grantId}/exports`,
      status: `/granted/${grantId}/exports/${exportId}`,
      bundle: `/granted/${grantId}/exports/${exportId}/bundle`,
    };
    const attempts = async (token: string) => [
      (await post(token, paths.request)).status,
      (await get(token, paths.status)).status,
      (await get(token, paths.bundle)).status,
    ];

    const cqc = `cqc-${randomUUID().slice(0, 8)}`;
    expect(await attempts(as(cqc, ['regulator'], 'user:snoop'))).toEqual([404, 404, 404]);
    const otherGrant = await grant(tenant, regulator);
    const elsewhere = await get(inspector(regulator), `/granted/${otherGrant}/exports/${exportId}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.detail).toBe(
      `No export "${exportId}" was found under grant ${otherGrant}`,
    );
    api.setNow(new Date(Date.now() + 11 * DAY));
    try {
      expect(await attempts(inspector(regulator))).toEqual([404, 404, 404]);
    } finally {
      api.setNow(new Date(Date.now() + AHEAD));
    }

    const refused = (await accessLogOf(tenant)).filter((entry) => entry.outcome === 'refused');
    const seen = refused.map((e) => [e.readerTenantId, e.grantId, e.subjectId, e.detail]);
    expect(seen).toEqual(
      expect.arrayContaining([
        [cqc, grantId, 'new-export', 'request'],
        [cqc, grantId, exportId, 'status'],
        [cqc, grantId, exportId, 'bundle'],
        [regulator, otherGrant, exportId, 'status'],
        [regulator, grantId, 'new-export', 'request'],
        [regulator, grantId, exportId, 'status'],
        [regulator, grantId, exportId, 'bundle'],
      ]),
    );
    expect(seen).toHaveLength(7);
  });
});

describe("an organisation's export of its own trail", () => {
  const period = () => ({ from: addDays(realToday(), -30), to: realToday() });

  it('is for the audit readers, with the CSV reports derived from its events', async () => {
    const { tenant } = await organisation();
    for (const role of ['provider-admin', 'regulator', 'hr'] as Role[]) {
      const response = await post(as(tenant, [role]), '/audit/exports', period());
      expect({ role, status: response.status }).toEqual({ role, status: 202 });
    }
    for (const role of ['admin', 'home-manager', 'regional-manager', 'commissioner'] as Role[]) {
      const response = await post(as(tenant, [role]), '/audit/exports', period());
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
    }

    const requested = await post(auditor(tenant), '/audit/exports', {
      ...period(),
      serviceIds: ['ty-gwyn'],
    });
    expect(requested.status).toBe(202);
    expect(requested.headers.location).toBe(`/audit/exports/${requested.body.exportId}`);
    const done = await finished(auditor(tenant), requested.headers.location!);
    expect(done).toMatchObject({ tenantId: tenant, grantId: null, serviceIds: ['ty-gwyn'] });
    const response = await download(auditor(tenant), `${requested.headers.location}/bundle`);
    expect(response.status).toBe(200);
    const files = tarFiles(gunzipSync(response.body as Buffer));
    const events = files
      .get('events.ndjson')!
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const [submission, amendment] = events.filter((e) => e.type.startsWith('MonthlyReturn'));
    const stage = events.find((e) => e.type === 'CapabilityStageEntered');

    const returns = csvRows(files.get('reports/kpi-returns.csv')!);
    expect(returns[0]).toBe(
      'service_id,month,indicator,value,outcome,changed_by,changed_at,event_id',
    );
    expect(returns).toHaveLength(10);
    expect(returns).toContain(
      `ty-gwyn,2026-09,EDU,92,met,user:rm-huw,2026-10-25T14:00:00.000Z,${amendment.eventId}`,
    );
    expect(returns).toContain(
      `ty-gwyn,2026-09,SUP,100,met,user:rm-gwen,2026-10-12T09:00:00.000Z,${submission.eventId}`,
    );
    expect(csvRows(files.get('reports/capability-timeline.csv')!)).toEqual([
      'recorded_at,event,manager_id,service_id,indicator,stage,month,event_id',
      `${stage.recordedAt},CapabilityStageEntered,mgr-a,ty-gwyn,EDU,1,2026-09,${stage.eventId}`,
    ]);

    const other = await organisation();
    expect((await get(auditor(other.tenant), requested.headers.location!)).status).toBe(404);
    expect((await get(auditor(other.tenant), `${requested.headers.location}/bundle`)).status).toBe(
      404,
    );
    expect(await accessLogOf(tenant)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subjectId: requested.body.exportId,
          detail: 'bundle',
          outcome: 'read',
          grantId: null,
        }),
      ]),
    );
  });

  it('answers 409 for the bundle until the export is done', async () => {
    const { tenant } = await organisation();
    await exports.queue.pause();
    let location: string;
    try {
      const requested = await post(auditor(tenant), '/audit/exports', period());
      location = requested.headers.location!;
      expect((await get(auditor(tenant), location)).body).toMatchObject({
        status: 'queued',
        progress: { eventsDone: 0, eventsTotal: null },
        bundle: null,
      });
      const early = await get(auditor(tenant), `${location}/bundle`);
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({
        detail: `Export ${requested.body.exportId} is queued: its bundle can be downloaded once it is done`,
        exportStatus: 'queued',
      });
    } finally {
      await exports.queue.resume();
    }
    await finished(auditor(tenant), location);
    expect((await get(auditor(tenant), `${location}/bundle`)).status).toBe(200);
  });

  it('is the same export when retried with its Idempotency-Key', async () => {
    const { tenant } = await organisation();
    const ask = () =>
      post(auditor(tenant), '/audit/exports', period()).set('Idempotency-Key', 'export-1');
    const first = await ask();
    const again = await ask();
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ exportId: first.body.exportId, replayed: true });
  });

  it('refuses bad input with 400 naming the field, storing nothing', async () => {
    const { tenant } = await organisation();
    const count = async () =>
      (await api.pool.query('SELECT count(*) FROM audit_exports')).rows[0].count;
    const before = await count();
    const refusal = async (body: Record<string, unknown>) => {
      const response = await post(auditor(tenant), '/audit/exports', { ...period(), ...body });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      return response.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await refusal({ from: undefined })).toEqual(['from']);
    expect(await refusal({ to: '2026-02-30' })).toEqual(['to']);
    expect(await refusal({ to: apiToday() })).toEqual(['to']);
    expect(await refusal({ to: addDays(apiToday(), 5) })).toEqual(['to']);
    expect(await refusal({ from: realToday(), to: addDays(realToday(), -1) })).toEqual(['to']);
    expect(await refusal({ serviceIds: [] })).toEqual(['serviceIds']);
    expect(await refusal({ serviceIds: ['Ty Gwyn'] })).toEqual(['serviceIds']);
    expect(await refusal({ scope: 'everything' })).toEqual(['scope']);
    const unknown = await post(auditor(tenant), '/audit/exports', {
      ...period(),
      serviceIds: ['ty-gwyn', 'home-99'],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('No service home-99');
    expect(await count()).toBe(before);
  });
});

/** The files of a ustar archive, as text (what these bundles hold: plain files, short names). */
function tarFiles(tar: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const name = tar.toString('utf8', at, at + 100).replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('latin1', at + 124, at + 135), 8);
    files.set(name, tar.toString('utf8', at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** A CSV report's lines, without its byte-order mark and final CRLF. */
function csvRows(text: string): string[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).split('\r\n').slice(0, -1);
}
