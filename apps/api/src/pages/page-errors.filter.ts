import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { assignRequestId } from '../request-context/request-id';
import { toProblemResponse } from '../problems/problem-mapping';
import { PageRenderer } from './page-renderer';
import { signInPathFor } from './sign-in/return-path';

/** What each refusal tells a person: what happened and what to do next. */
const WHAT_TO_DO: Record<number, { title: string; advice: string }> = {
  400: {
    title: 'There is a problem with the link or form',
    advice: 'Check the address, or go back and try again.',
  },
  403: {
    title: 'You cannot open this page',
    advice:
      'Your account does not allow it, or the form had expired. Go back, reload the page and try again; if you need access, ask your organisation’s KPI ledger administrator.',
  },
  404: {
    title: 'Page not found',
    advice:
      'If you typed the address, check it is correct. If you followed a link, the home, region or return may not be one of your organisation’s.',
  },
  409: {
    title: 'That has already been done',
    advice: 'Someone may have submitted it already. Open the KPI grid to see what is there now.',
  },
};

const SOMETHING_WENT_WRONG = {
  title: 'Sorry, there is a problem with the service',
  advice: 'Try again later. If it keeps happening, quote the reference below.',
};

/**
 * Answers a page's errors with a page (the API answers problem+json): 404, 403 and the rest
 * say what happened and what to do, with the problem's own detail and the request id; a 401
 * (no session, or an ended one) sends the browser to the sign-in page instead.
 */
@Catch()
export class PageErrorsFilter implements ExceptionFilter {
  constructor(private readonly pages: PageRenderer) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, unexpected } = toProblemResponse(exception, {
      instance: request.url,
      requestId: assignRequestId(request.raw, reply.raw),
      hadBearerToken: false,
    });
    if (unexpected) {
      reply.raw.err = exception instanceof Error ? exception : new Error(String(exception));
    }
    if (problem.status === 401) {
      // No session (or an ended one): the sign-in page, then back to the page they wanted.
      const wanted = request.method === 'GET' ? request.url : undefined;
      return void (await reply.redirect(signInPathFor(wanted), 303));
    }
    const page = WHAT_TO_DO[problem.status] ?? SOMETHING_WENT_WRONG;
    const errors = (problem.errors ?? []) as { field: string; reason: string }[];
    await this.pages.render(
      request,
      reply,
      'error.njk',
      {
        ...page,
        status: problem.status,
        detail: problem.detail,
        errors,
        requestId: problem.requestId,
      },
      problem.status,
    );
  }
}
