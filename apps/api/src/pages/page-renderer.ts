import type { Principal } from '@kpi/auth';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CountUnreadNotifications } from '@kpi/features/notifications';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { Queries } from '../http/buses';
import { issueCsrfToken } from './page-csrf';
import { navigationFor, type NavigationItem } from './page-navigation';

/** The service's name, in the header and every title. */
export const SERVICE_NAME = 'KPI ledger';

/** What every page's layout shows: who is signed in, for which organisation, and their menu. */
export interface LayoutData {
  serviceName: string;
  principal: Principal | null;
  /** The menu: the pages the person's roles open. */
  navigation: NavigationItem[];
  /** The form token for this browser (every form posts it back as `_csrf`). */
  csrfToken: string;
}

/**
 * Renders a page's Nunjucks template (apps/api/src/pages/templates) with the layout's data:
 * the caller as the authentication guard set them, their menu, and a CSRF token for its forms.
 */
@Injectable()
export class PageRenderer {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queries: Queries,
  ) {}

  async render(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    template: string,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const principal = request.principal ?? null;
    const layout: LayoutData = {
      serviceName: SERVICE_NAME,
      principal,
      navigation: navigationFor(principal, request.url, await this.unreadOf(principal)),
      csrfToken: issueCsrfToken(request, reply),
    };
    const html = await fastify.view(template, { ...layout, ...data });
    await reply.code(status).type('text/html; charset=utf-8').send(html);
  }

  /**
   * The person's unread notifications, for the menu: none for a page shown anonymously, and none
   * when they cannot be counted (an error page while the database is away still renders).
   */
  private async unreadOf(principal: Principal | null): Promise<number> {
    if (!principal) return 0;
    return this.queries
      .ask(principal, CountUnreadNotifications, { accountId: principal.userId })
      .catch(() => 0);
  }
}
