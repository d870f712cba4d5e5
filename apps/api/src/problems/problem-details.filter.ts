import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assignRequestId } from '../request-context/request-id';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { toProblemResponse } from './problem-mapping';

/** Answers every error with an `application/problem+json` body (see problem-mapping.ts). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest(), http.getResponse());
  }
}

/**
 * Answers the request with the problem for `exception`. Takes Fastify's request and reply, or,
 * for an error in a middleware, Node's own (Nest hands the filter whichever it has).
 */
export function sendProblem(
  exception: unknown,
  request: FastifyRequest | (IncomingMessage & { originalUrl?: string }),
  reply: FastifyReply | ServerResponse,
): void {
  const response = 'raw' in reply ? reply.raw : reply;
  const { problem, headers, unexpected } = toProblemResponse(exception, {
    instance: pathOf(request.originalUrl ?? request.url ?? '/'),
    requestId: assignRequestId('raw' in request ? request.raw : request, response),
    hadBearerToken: /^Bearer\s/i.test(request.headers.authorization ?? ''),
  });

  if (unexpected) {
    // pino-http logs a failed request once, as it completes, with `res.err` as its error:
    // unset, that is a made-up "failed with status code 500"; set, the line has the real
    // cause and its stack, under the request id.
    response.err = exception instanceof Error ? exception : new Error(String(exception));
  }
  if (response.headersSent || ('sent' in reply && reply.sent)) {
    // Part of a response already went out: all that can be done is to cut it short.
    response.destroy();
    return;
  }
  const body = JSON.stringify(problem);
  const contentType = `${PROBLEM_CONTENT_TYPE}; charset=utf-8`;
  if ('raw' in reply) {
    void reply.code(problem.status).headers(headers).type(contentType).send(body);
    return;
  }
  response.statusCode = problem.status;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('Content-Type', contentType);
  response.end(body);
}

/** The path alone: the query string may hold whatever the caller typed. */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
