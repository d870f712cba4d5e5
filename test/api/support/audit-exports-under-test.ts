import { SigningKeyRing } from '@kpi/audit-bundle';
import { addDays, londonDateOf, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { auditExportProcessing, type AuditExportProcessing } from '@kpi/features/audit-exports';
import { regulatorGrantsProjection } from '@kpi/features/regulator-grants';
import { ensureProjectionReady, projectionStatus, ProjectionRunner } from '@kpi/projections';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet, returnSubmitted, waitFor } from '@kpi/testing';
import { returnAmended, serviceRegistered, stageEntered, toAppend } from '@kpi/testing/fixtures';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiUnderTest, type ApiUnderTest } from './api-under-test';

export const DAY = 24 * 3_600_000;
/** The API's clock runs two days ahead: the days on which the fixtures are recorded have ended. */
export const AHEAD = 2 * DAY;
export const realToday = () => londonDateOf(new Date());
export const apiToday = () => londonDateOf(new Date(Date.now() + AHEAD));
const expiresAt = () => new Date(Date.now() + 10 * DAY).toISOString();

export interface FinishedExport {
  status: string;
  bundle: { sizeBytes: number; sha256: string; streamsMerkleRoot: string };
  [field: string]: unknown;
}

/**
 * The API with the export job running in this process as the worker runs it (its BullMQ
 * processor, on the test's Redis prefix and database, writing to a directory of the test's
 * own), the grants read model kept up to date, and the API's clock two days ahead. Call it at
 * the top of a spec file: it registers its own beforeAll and afterAll.
 */
export function exportsUnderTest(label: string) {
  let api: ApiUnderTest;
  let store: PostgresEventStore;
  let grants: ProjectionRunner;
  let exports: AuditExportProcessing;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), `${label}-`));
    api = await startApiUnderTest(label, { env: { EXPORT_DIR: join(directory, 'exports') } });
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
  const get = (token: string, path: string) =>
    api.http().get(path).set('Authorization', `Bearer ${token}`);
  const post = (token: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);

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

  return {
    api: () => api,
    /** Where the test may write files (removed afterwards). */
    directory: () => directory,
    /** The export queue (pause it to see an export queued). */
    queue: () => exports.queue,
    as,
    admin,
    auditor: (tenantId: string) => as(tenantId, ['provider-admin'], 'user:auditor-al'),
    inspector: (tenantId: string) => as(tenantId, ['regulator'], 'user:inspector-ivy'),
    get,
    post,
    /** A GET whose body is kept as bytes (a bundle). */
    download: (token: string, path: string) =>
      get(token, path)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        }),
    organisation,
    grant,
    finished,
    accessLogOf,
  };
}

/** The files of a ustar archive, as text (what these bundles hold: plain files, short names). */
export function tarFiles(tar: Buffer): Map<string, string> {
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
export function csvRows(text: string): string[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).split('\r\n').slice(0, -1);
}
