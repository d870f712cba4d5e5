import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { MENU } from '../../apps/api/src/pages/page-navigation';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('navigation_pages_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const tenant = `menu-${randomUUID().slice(0, 8)}`;
const open = (roles: Role[], path: string) =>
  api
    .http()
    .get(path)
    .set('Authorization', `Bearer ${api.tokenFor({ tenantId: tenant, roles })}`);

/** The links of the layout's menu (the service name's link is not one). */
function menuOf(html: string): string[] {
  const list = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...list.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!);
}

describe('the layout’s menu', () => {
  it('shows an account admin only who am I, people and their notifications', async () => {
    const page = await open(['admin'], '/app');
    expect(menuOf(page.text)).toEqual(['/app', '/app/people', '/app/notifications']);
    expect(page.text).not.toContain('href="/app/kpi-grid"');
  });

  it('shows a regional manager the KPI pages, capability, actions and risks, not people nor care at home', async () => {
    expect(menuOf((await open(['regional-manager'], '/app')).text)).toEqual([
      '/app',
      '/app/kpi-grid',
      '/app/returns-due',
      '/app/reports/quarterly',
      '/app/capability',
      '/app/actions',
      '/app/risks',
      '/app/notifications',
    ]);
  });

  it.each(ROLES)('offers a %s every page they may open and none they may not', async (role) => {
    const menu = menuOf((await open([role], '/app')).text);
    expect(menu).toContain('/app');
    for (const { href } of MENU) {
      const status = (await open([role], href)).status;
      expect({ href, status }).toEqual({ href, status: menu.includes(href) ? 200 : 403 });
    }
  });

  it('shows the links of every role a person holds, and marks the page they are on', async () => {
    const page = await open(['admin', 'commissioner'], '/app/people');
    expect(menuOf(page.text)).toEqual([
      '/app',
      '/app/kpi-grid',
      '/app/returns-due',
      '/app/reports/quarterly',
      '/app/call-off',
      '/app/people',
      '/app/risks',
      '/app/notifications',
    ]);
    expect(page.text).toMatch(/href="\/app\/people"\s+aria-current="page"/);
  });

  it('is not shown to someone not signed in', async () => {
    const signIn = await api.http().get('/app/sign-in');
    expect(menuOf(signIn.text)).toEqual([]);
  });
});
