import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { allMet } from '@kpi/testing';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

/**
 * Sign-off in the pages (docs/decisions/0037), without JavaScript: the return page shows where
 * the return is and the buttons its reader may use; sending back needs a reason; the list of
 * returns in sign-off.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('sign_off_pages_e2e');
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
const RETURN = '/app/services/ty-gwyn/returns/2026-09';

async function send(token: string, method: 'post' | 'put', path: string, body: object) {
  const response = await api
    .http()
    [method](path)
    .set('Authorization', `Bearer ${token}`)
    .send(body);
  expect({ path, status: response.status }).toMatchObject({ status: method === 'put' ? 200 : 201 });
}

/** A provider with sign-off on, the home ty-gwyn and its September return submitted. */
async function providerWithReturn(): Promise<string> {
  const tenant = `sop-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await send(admin, 'post', '/regions', {
    regionId: 'north',
    name: 'North',
    regionalManagerId: 'rm-gwen',
  });
  await send(admin, 'post', '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await send(admin, 'post', '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  await send(admin, 'put', '/sign-off', { on: true });
  await send(as(tenant, 'regional-manager', 'user:rm-gwen'), 'post', '/services/ty-gwyn/returns', {
    period: '2026-09',
    values: allMet,
  });
  return tenant;
}

/** The page, its CSRF token and form key, and the cookie holding the token's secret. */
async function open(token: string, path: string) {
  const page = await api.http().get(path).set('Authorization', `Bearer ${token}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const formKey = /name="_formKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  return { page, csrf, formKey, cookies };
}
async function press(token: string, action: string, form: Record<string, string> = {}) {
  const { csrf, formKey, cookies } = await open(token, RETURN);
  return api
    .http()
    .post(`${RETURN}/${action}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Cookie', cookies)
    .type('form')
    .send({ _csrf: csrf, _formKey: formKey, ...form });
}

describe('sign-off pages', () => {
  it('send back with a reason, then verify and publish, each from the return page', async () => {
    const tenant = await providerWithReturn();
    const officer = as(tenant, 'performance-officer', 'user:po-sian');
    const admin = as(tenant, 'provider-admin');

    const first = await open(officer, RETURN);
    expect(first.page.status).toBe(200);
    expect(first.page.text).toContain('Waiting to be verified');
    expect(first.page.text).toContain('Verify the figures');
    expect(first.page.text).toContain('Send it back');
    expect(first.page.text).not.toContain('Publish the figures');
    const hm = await open(as(tenant, 'home-manager'), RETURN);
    expect(hm.page.status).toBe(200);
    expect(hm.page.text).not.toContain('Verify the figures');

    const noReason = await press(officer, 'sending-back', { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('There is a problem');
    expect(noReason.text).toContain('href="#reason"');

    const sentBack = await press(officer, 'sending-back', { reason: 'EDU does not add up' });
    expect(sentBack.status).toBe(303);
    expect(sentBack.headers.location).toBe(RETURN);
    const after = await open(officer, RETURN);
    expect(after.page.text).toContain('Sent back to be amended');
    expect(after.page.text).toContain('EDU does not add up');

    await send(
      as(tenant, 'regional-manager', 'user:rm-gwen'),
      'post',
      '/services/ty-gwyn/returns/2026-09/amendments',
      {
        values: { EDU: 95 },
        reason: 'Recounted',
      },
    );
    expect((await press(officer, 'verification')).status).toBe(303);
    await projections.caughtUp();
    const list = await open(admin, '/app/returns-to-verify');
    expect(list.page.status).toBe(200);
    expect(list.page.text).toMatch(/Verified, waiting to be published[\s\S]*Tŷ Gwyn/);
    expect((await press(admin, 'publication')).status).toBe(303);
    expect((await open(admin, RETURN)).page.text).toContain(
      'The figures published are those of amendment 1',
    );
  });

  it('writes commentary on an indicator’s quarter from its page, the texts required', async () => {
    const tenant = await providerWithReturn();
    const rm = as(tenant, 'regional-manager', 'user:rm-gwen');
    const path = `/app/commentary?${new URLSearchParams({
      serviceId: 'ty-gwyn',
      indicatorCode: 'EDU',
      period: '2026-27 Q2',
    }).toString()}`;
    const submit = async (form: Record<string, string>) => {
      const { csrf, formKey, cookies } = await open(rm, path);
      return api
        .http()
        .post(path)
        .set('Authorization', `Bearer ${rm}`)
        .set('Cookie', cookies)
        .type('form')
        .send({ _csrf: csrf, _formKey: formKey, ...form });
    };
    const blank = await submit({ whatHappened: ' ', whatIsBeingDone: 'Tutoring' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('href="#whatHappened"');
    const saved = await submit({ whatHappened: 'Two exclusions', whatIsBeingDone: 'Tutoring' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/app/reports/quarterly?quarter=2026-27+Q2');
    const page = await open(rm, path);
    expect(page.page.text).toContain('What happened: Two exclusions');
    // The return's page shows it beside the figure, the quarter's where the month has none.
    await projections.caughtUp();
    const onReturn = await open(rm, RETURN);
    expect(onReturn.page.text).toMatch(
      /data-commentary="EDU">\s*\(2026-27 Q2\) What happened: Two exclusions/,
    );
    expect((await open(as(tenant, 'commissioner'), path)).page.status).toBe(403);
    // Published, September's figures show in the report, each with a link to comment on it.
    for (const [role, step] of [
      ['performance-officer', 'verification'],
      ['provider-admin', 'publication'],
    ] as const) {
      const response = await api
        .http()
        .post(`/services/ty-gwyn/returns/2026-09/${step}`)
        .set('Authorization', `Bearer ${as(tenant, role)}`);
      expect(response.status).toBe(200);
    }
    await projections.caughtUp();
    const report = await open(
      as(tenant, 'provider-admin'),
      '/app/reports/quarterly?quarter=2026-27%20Q2',
    );
    expect(report.page.text).toContain(
      '/app/commentary?serviceId=ty-gwyn&amp;indicatorCode=EDU&amp;period=2026-27%20Q2',
    );
    expect(report.page.text).toContain('What happened: Two exclusions');
  });

  it('refuses a form without its CSRF token, and the list to a regional manager', async () => {
    const tenant = await providerWithReturn();
    const officer = as(tenant, 'performance-officer');
    const forged = await api
      .http()
      .post(`${RETURN}/verification`)
      .set('Authorization', `Bearer ${officer}`)
      .type('form')
      .send({});
    expect(forged.status).toBe(403);
    const list = await open(as(tenant, 'regional-manager'), '/app/returns-to-verify');
    expect(list.page.status).toBe(403);
  });
});
