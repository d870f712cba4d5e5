import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { allMet } from '@kpi/testing';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

/**
 * Data-quality audits in the pages (docs/decisions/0037), without JavaScript: the auditor draws
 * a random sample of a month's returns, records a finding for each sampled return from the
 * audit's page, and sees the audits listed; bad input is named beside its field.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('data_quality_pages_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const as = (tenantId: string, role: Role, userId = `user:${role}-1`) =>
  api.tokenFor({ tenantId, roles: [role], userId });

async function created(token: string, path: string, body: object) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status }).toMatchObject({ status: 201 });
}

/** A provider with two homes and their September returns. */
async function providerWithReturns(): Promise<string> {
  const tenant = `dqp-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await created(admin, '/regions', { regionId: 'north', name: 'North', regionalManagerId: 'rm-1' });
  await created(admin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  for (const serviceId of ['home-01', 'home-02']) {
    await created(admin, '/services', {
      serviceId,
      name: serviceId,
      regionId: 'north',
      serviceType: 'childrens-home',
      frameworkId: 'childrens-homes',
      openedOn: '2024-04-01',
    });
    await created(as(tenant, 'regional-manager', 'user:rm-1'), `/services/${serviceId}/returns`, {
      period: '2026-09',
      values: allMet,
    });
  }
  await projections.caughtUp();
  return tenant;
}

/** The page, its CSRF token and form keys, and the cookie holding the token's secret. */
async function open(token: string, path: string) {
  const page = await api.http().get(path).set('Authorization', `Bearer ${token}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const formKey = /name="_formKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  return { page, csrf, formKey, cookies };
}
async function submit(token: string, from: string, action: string, form: Record<string, string>) {
  const { csrf, formKey, cookies } = await open(token, from);
  return api
    .http()
    .post(action)
    .set('Authorization', `Bearer ${token}`)
    .set('Cookie', cookies)
    .type('form')
    .send({ _csrf: csrf, _formKey: formKey, ...form });
}

describe('data-quality audit pages', () => {
  it('draws a sample, records a finding for a sampled return, and lists the audit', async () => {
    const tenant = await providerWithReturns();
    const auditor = as(tenant, 'performance-officer', 'user:po-sian');

    const list = await open(auditor, '/app/data-quality');
    expect(list.page.status).toBe(200);
    expect(list.page.text).toContain('No audits yet.');
    expect(list.page.text).toContain('href="/app/data-quality"');

    const bad = await submit(auditor, '/app/data-quality', '/app/data-quality', {
      period: 'September',
      size: '0',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#period"');
    expect(bad.text).toContain('href="#size"');
    const tooMany = await submit(auditor, '/app/data-quality', '/app/data-quality', {
      period: '2026-09',
      size: '3',
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('There is a problem');

    const drawn = await submit(auditor, '/app/data-quality', '/app/data-quality', {
      period: '2026-09',
      size: '1',
    });
    expect(drawn.status).toBe(303);
    const auditPath = drawn.headers.location as string;
    expect(auditPath).toMatch(/^\/app\/data-quality\/[a-z0-9-]+$/);
    const audit = await open(auditor, auditPath);
    expect(audit.page.status).toBe(200);
    const sampled = /data-sampled="(home-0[12])"/.exec(audit.page.text)![1]!;
    expect(audit.page.text).toContain(`href="/app/services/${sampled}/returns/2026-09"`);

    const noChecked = await submit(auditor, auditPath, `${auditPath}/findings`, {
      serviceId: sampled,
      finding: 'confirmed',
      checked: ' ',
    });
    expect(noChecked.status).toBe(400);
    expect(noChecked.text).toContain('href="#checked"');

    const found = await submit(auditor, auditPath, `${auditPath}/findings`, {
      serviceId: sampled,
      finding: 'confirmed',
      checked: 'Education records for September',
    });
    expect(found.status).toBe(303);
    const after = await open(auditor, auditPath);
    expect(after.page.text).toContain('Confirmed');
    expect(after.page.text).toContain('Education records for September');
    expect(after.page.text).not.toContain(`Record the finding for ${sampled}`);

    await projections.caughtUp();
    const listed = await open(auditor, '/app/data-quality');
    expect(listed.page.text).toContain(`data-audit="${auditPath.split('/').at(-1)}"`);
  });

  it('is for auditors only', async () => {
    const tenant = await providerWithReturns();
    for (const role of ['regional-manager', 'home-manager', 'hr'] as Role[]) {
      const page = await api
        .http()
        .get('/app/data-quality')
        .set('Authorization', `Bearer ${as(tenant, role)}`);
      expect({ role, status: page.status }).toEqual({ role, status: 403 });
    }
  });
});
