/** Where the emails point: the pages' address (PUBLIC_BASE_URL), when known. */
export interface EmailLinks {
  /** `https://kpi.example.org`; undefined: links are given as paths. */
  baseUrl?: string | undefined;
}

/** What an email shows of one notification. */
export interface NotificationContent {
  subject: string;
  facts: Record<string, string>;
  link: string | null;
}

const absolute = (links: EmailLinks, path: string) => `${links.baseUrl ?? ''}${path}`;

function block({ subject, facts, link }: NotificationContent, links: EmailLinks): string {
  return [
    subject,
    '',
    ...Object.entries(facts).map(([label, value]) => `${label}: ${value}`),
    ...(link ? ['', `Open: ${absolute(links, link)}`] : []),
  ].join('\n');
}

/** One notification, emailed at once. Plain text: no personal details, nothing to render. */
export function notificationEmail(
  notification: NotificationContent,
  links: EmailLinks,
): { subject: string; text: string } {
  return {
    subject: notification.subject,
    text: [
      block(notification, links),
      '',
      '--',
      `Your notifications, and how you receive them (at once or in a daily digest): ${absolute(links, '/app/notifications')}`,
    ].join('\n'),
  };
}

/** A person's daily digest: every notification left for it, oldest first. */
export function digestEmail(
  notifications: readonly NotificationContent[],
  day: string,
  links: EmailLinks,
): { subject: string; text: string } {
  const count = notifications.length;
  return {
    subject: `KPI ledger: ${count} notification${count === 1 ? '' : 's'} (${day})`,
    text: [
      `Your daily digest of ${day}: ${count} notification${count === 1 ? '' : 's'}.`,
      ...notifications.flatMap((n, i) => ['', `${i + 1}. ${block(n, links)}`]),
      '',
      '--',
      `Your notifications, and how you receive them (at once or in a daily digest): ${absolute(links, '/app/notifications')}`,
    ].join('\n'),
  };
}
