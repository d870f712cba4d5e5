import { addDays, type Role } from '@kpi/domain';
import { gunzipSync } from 'node:zlib';
import { PROBLEM_JSON } from './support/api-under-test';
import {
  apiToday,
  csvRows,
  exportsUnderTest,
  realToday,
  tarFiles,
} from './support/audit-exports-under-test';

/**
 * An organisation's evidence bundles of its own trail: for the audit readers, with the CSV
 * reports derived from the bundle's own events; 409 until done; bad input named.
 */
const t = exportsUnderTest('audit_exports_own_e2e');
const { as, auditor, get, post, download, organisation, finished, accessLogOf } = t;

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
    await t.queue().pause();
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
      await t.queue().resume();
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
      (await t.api().pool.query('SELECT count(*) FROM audit_exports')).rows[0].count;
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
