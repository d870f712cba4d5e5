import { addDays } from '@kpi/domain';
import { runBundleVerifier } from '@kpi/testing';
import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PROBLEM_JSON } from './support/api-under-test';
import {
  AHEAD,
  apiToday,
  DAY,
  exportsUnderTest,
  realToday,
  tarFiles,
} from './support/audit-exports-under-test';

/**
 * A regulator's evidence bundles under a grant. The export job runs in this process as the
 * worker runs it; the bundle downloaded passes the standalone verifier with the key the API
 * publishes, and fails it, naming the event, once a byte of an event is changed. Everything
 * the grant does not open is 404 and in the grantor's access log.
 */
const t = exportsUnderTest('audit_exports_e2e');
const { as, inspector, get, post, download, organisation, grant, finished, accessLogOf } = t;

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

    const keys = await t.api().http().get('/.well-known/kpi-ledger-signing-keys');
    const keySet = join(t.directory(), `${exportId}-keys.json`);
    await writeFile(keySet, JSON.stringify(keys.body));
    const bundle = join(t.directory(), `${exportId}.tar.gz`);
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
    const changed = join(t.directory(), `${exportId}-changed.tar.gz`);
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
    t.api().setNow(new Date(Date.now() + 11 * DAY));
    try {
      expect(await attempts(inspector(regulator))).toEqual([404, 404, 404]);
    } finally {
      t.api().setNow(new Date(Date.now() + AHEAD));
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
