import type { Principal } from '@kpi/auth';
import {
  ACCOUNT_ADMINS,
  ACTION_READERS,
  RISK_READERS,
  CAPABILITY_READERS,
  KPI_READERS,
  LEAGUE_TABLE_READERS,
  RETURN_PUBLISHERS,
  DATA_QUALITY_AUDITORS,
  type Role,
} from '@kpi/domain';

/** One link of the layout's menu (GOV.UK service navigation). */
export interface NavigationItem {
  href: string;
  text: string;
  /** The page shown is in this link's part of the site. */
  active: boolean;
  /** The page shown is this link's own. */
  current: boolean;
}

interface MenuEntry {
  href: string;
  text: string;
  /** Who may open it: the role list its controller checks; null for everyone signed in. */
  roles: readonly Role[] | null;
  /** The paths whose pages belong to it (the link's own path when not given). */
  sections?: readonly string[];
}

/** The signed-in person's notifications (docs/decisions/0036): its link counts the unread. */
export const NOTIFICATIONS_PAGE = '/app/notifications';

/** Every page the menu may offer. */
export const MENU: readonly MenuEntry[] = [
  { href: '/app', text: 'Who am I', roles: null, sections: [] },
  {
    href: '/app/kpi-grid',
    text: 'KPI grid',
    roles: KPI_READERS,
    sections: ['/app/kpi-grid', '/app/services'],
  },
  { href: '/app/returns-due', text: 'Returns due', roles: KPI_READERS },
  {
    href: '/app/reports/quarterly',
    text: 'Reports',
    roles: KPI_READERS,
    sections: ['/app/reports'],
  },
  { href: '/app/returns-to-verify', text: 'Sign-off', roles: RETURN_PUBLISHERS },
  { href: '/app/data-quality', text: 'Data quality', roles: DATA_QUALITY_AUDITORS },
  { href: '/app/capability', text: 'Capability', roles: CAPABILITY_READERS },
  {
    href: '/app/call-off',
    text: 'Care at home',
    roles: LEAGUE_TABLE_READERS,
    sections: ['/app/call-off', '/app/councils'],
  },
  { href: '/app/people', text: 'People', roles: ACCOUNT_ADMINS },
  { href: '/app/actions', text: 'My actions', roles: ACTION_READERS },
  { href: '/app/risks', text: 'Risks', roles: RISK_READERS },
  { href: NOTIFICATIONS_PAGE, text: 'Notifications', roles: null },
];

/**
 * The menu of a signed-in person: only the pages their roles open, the one `path` is in
 * marked. Nobody signed in: no menu.
 */
export function navigationFor(
  principal: Principal | null,
  path: string,
  /** The person's unread notifications, shown on the menu's link to them. */
  unread = 0,
): NavigationItem[] {
  if (!principal) return [];
  const pathname = path.split('?')[0]!;
  const within = (section: string) => pathname === section || pathname.startsWith(`${section}/`);
  return MENU.filter(
    ({ roles }) => roles === null || principal.roles.some((role) => roles.includes(role)),
  ).map(({ href, text, sections = [href] }) => ({
    href,
    text: href === NOTIFICATIONS_PAGE && unread > 0 ? `${text} (${unread} unread)` : text,
    active: pathname === href || sections.some(within),
    current: pathname === href,
  }));
}
