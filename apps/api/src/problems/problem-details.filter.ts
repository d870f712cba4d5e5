import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdOf } from '../request-context/request-id';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { toProblemResponse } from './problem-mapping';

/** Answers every error with an `application/problem+json` body (see problem-mapping.ts). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage & { originalUrl?: string }>();
    const response = http.getResponse<ServerResponse>();
    const { problem, headers, unexpected } = toProblemResponse(exception, {
      instance: pathOf(request.originalUrl ?? request.url ?? '/'),
      requestId: requestIdOf(request) ?? randomUUID(),
      hadBearerToken: /^Bearer\s/i.test(request.headers.authorization ?? ''),
    });

    if (unexpected) {
      // pino-http logs a failed request once, as it completes, with `res.err` as its error:
      // unset, that is a made-up "failed with status code 500"; set, the line has the real
      // cause and its stack, under the request id.
      response.err = exception instanceof Error ? exception : new Error(String(exception));
    }
    if (response.headersSent) {
      // Part of a response already went out: all that can be done is to cut it short.
      response.destroy();
      return;
    }
    response.statusCode = problem.status;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.end(JSON.stringify(problem));
  }
}

/** The path alone: the query string may hold whatever the caller typed. */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
