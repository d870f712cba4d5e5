import { navigationFor } from './page-navigation';

describe('navigationFor', () => {
  const hr = { userId: 'u', tenantId: 't', roles: ['hr' as const] };

  it('lists only the pages the roles open, in the menu’s order; none for nobody', () => {
    expect(navigationFor(hr, '/app').map(({ href }) => href)).toEqual([
      '/app',
      '/app/kpi-grid',
      '/app/returns-due',
      '/app/reports/quarterly',
      '/app/capability',
      '/app/actions',
      '/app/risks',
      '/app/notifications',
    ]);
    expect(navigationFor(null, '/app')).toEqual([]);
  });

  it('marks the link whose part of the site the page is in, and the page itself as current', () => {
    const marked = (path: string) =>
      navigationFor(hr, path)
        .filter(({ active }) => active)
        .map(({ href, current }) => ({ href, current }));
    expect(marked('/app')).toEqual([{ href: '/app', current: true }]);
    expect(marked('/app/kpi-grid?from=2026-01')).toEqual([
      { href: '/app/kpi-grid', current: true },
    ]);
    expect(marked('/app/services/ty-gwyn/trend')).toEqual([
      { href: '/app/kpi-grid', current: false },
    ]);
    expect(marked('/app/reports/business-plan')).toEqual([
      { href: '/app/reports/quarterly', current: false },
    ]);
    expect(marked('/app/capability/managers/mgr-1/timeline')).toEqual([
      { href: '/app/capability', current: false },
    ]);
    expect(marked('/app/kpi-gridlock')).toEqual([]);
  });
});

describe('the notifications link', () => {
  const hr = { userId: 'u', tenantId: 't', roles: ['hr' as const] };
  const textOf = (unread?: number) =>
    navigationFor(hr, '/app', unread).find(({ href }) => href === '/app/notifications')?.text;

  it('counts the unread, and says nothing more when there are none', () => {
    expect(textOf(3)).toBe('Notifications (3 unread)');
    expect(textOf(0)).toBe('Notifications');
    expect(textOf()).toBe('Notifications');
  });
});
