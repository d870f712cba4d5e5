import type { Role } from '@kpi/domain';
import type { Response } from 'supertest';
import {
  frameworkPath,
  startCareFrameworkApi,
  uniqueId,
  type CareFrameworkApi,
} from '../api/support/care-framework-fixtures';

/**
 * The commissioner's page of providers' notifications (docs/decisions/0041): counts per
 * provider, each notification with the late ones flagged, acknowledging by a form (CSRF), and
 * the packages being handed back. Another council's framework is not found.
 */
const NOW = new Date('2026-04-08T10:00:00Z');
let env: CareFrameworkApi;
const council = uniqueId('southwark');
const [bright, kindly] = [uniqueId('bright'), uniqueId('kindly')];
const PAGE = `/app${frameworkPath(council)}/notices`;
const Q1 = '2026-27 Q1';

const as = (tenantId: string, role: Role = 'provider-admin') => env.as(tenantId, role);
const post = (token: string, path: string, body: object = {}) =>
  env.api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
const getPage = (token: string, query: Record<string, string> = { quarter: Q1 }, path = PAGE) =>
  env.api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

/** The text of each table row marked `data-<attribute>`, keyed by that attribute's value. */
function rowsBy(html: string, attribute: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of html.matchAll(
    new RegExp(`<tr[^>]*data-${attribute}="([^"]+)"[^>]*>([\\s\\S]*?)</tr>`, 'g'),
  )) {
    rows.set(
      match[1]!,
      match[2]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return rows;
}

let notificationId: string;
beforeAll(async () => {
  env = await startCareFrameworkApi('provider_notices_pages_e2e', NOW);
  await env.registerOrganisations([
    [council, 'council'],
    [bright, 'provider'],
    [kindly, 'provider'],
  ]);
  await env.establishFramework(council, [bright, kindly]);
  const base = `/councils/${council}`;
  expect(
    (
      await post(as(council, 'commissioner'), `${frameworkPath(council)}/packages`, {
        packageId: 'pkg-1',
        hoursPerWeek: 10,
        outcomes: 'Personal care before school.',
        startDate: '2026-05-18',
        urgent: false,
      })
    ).status,
  ).toBe(201);
  expect((await post(as(bright), `${base}/care-packages/pkg-1/accept`)).status).toBe(200);
  const logged = await post(as(bright), `${base}/care-packages/pkg-1/notifications`, {
    kind: 'hospital-admission',
    occurredAt: '2026-04-02T18:00:00+01:00',
    details: 'Admitted after a fall.',
  });
  expect(logged.body).toMatchObject({ late: true });
  notificationId = (logged.body as { notificationId: string }).notificationId;
  expect(
    (
      await post(as(bright), `${base}/care-packages/pkg-1/hand-back-notice`, {
        reason: 'We cannot staff the evening calls.',
      })
    ).status,
  ).toBe(201);
  await env.projections.caughtUp();
});
afterAll(() => env?.stop());

const expectPage = (response: Response, status = 200) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8$/);
};

describe('the commissioner’s page of providers’ notifications', () => {
  it('counts per provider, flags a late notification, and lists the package being handed back', async () => {
    const page = await getPage(as(council, 'commissioner'));
    expectPage(page);
    expect(rowsBy(page.text, 'provider').get(bright)).toBe(`${bright} 0 1 0 0 0 1 1`);
    expect(rowsBy(page.text, 'notification').get(notificationId)).toBe(
      `2 Apr 2026, 18:00 Hospital admission ${bright}, pkg-1 8 Apr 2026, 11:00 Late (due by 8 Apr 2026, 00:00) Acknowledge`,
    );
    expect(rowsBy(page.text, 'hand-back').get('pkg-1')).toBe(
      `pkg-1 ${bright} 8 Apr 2026, 11:00 15 Apr 2026, 11:00`,
    );
    expect(page.text).toContain(
      `/councils/${council}/provider-notifications/counts.csv?quarter=2026-27+Q1`,
    );
  });

  it('acknowledges a notification by its form, with the page’s CSRF token only', async () => {
    const token = as(council, 'commissioner');
    const page = await getPage(token);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
    const action = `${PAGE}/${notificationId}/acknowledgement?quarter=${encodeURIComponent(Q1)}`;
    const form = (fields: Record<string, string>) =>
      env.api
        .http()
        .post(action)
        .set('Authorization', `Bearer ${token}`)
        .set('Cookie', cookies)
        .type('form')
        .send(new URLSearchParams(fields).toString());
    expect((await form({ _csrf: 'forged' })).status).toBe(403);
    const done = await form({ _csrf: csrf! });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${PAGE}?quarter=2026-27+Q1&acknowledged=${notificationId}`);
    const shown = await getPage(token, { quarter: Q1, acknowledged: notificationId });
    expect(shown.text).toContain('The notification is acknowledged');
    await env.projections.caughtUp();
    const after = await getPage(token);
    expect(rowsBy(after.text, 'provider').get(bright)).toBe(`${bright} 0 1 0 0 0 1 0`);
    expect(rowsBy(after.text, 'notification').get(notificationId)).toMatch(
      /Late \(due by 8 Apr 2026, 00:00\) 8 Apr 2026, 11:00$/,
    );
  });

  it('offers no acknowledging to a regulator, who may read it', async () => {
    const page = await getPage(as(council, 'regulator'));
    expectPage(page);
    expect(page.text).not.toContain('/acknowledgement');
  });

  it('is not found for another council', async () => {
    const other = uniqueId('lambeth');
    expectPage(await getPage(as(other, 'commissioner')), 404);
  });
});
