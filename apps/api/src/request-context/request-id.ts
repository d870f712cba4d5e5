import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller may send as a request id: short, and safe to put in logs and headers. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const requestIdKey = Symbol('requestId');
type RequestWithId = IncomingMessage & { [requestIdKey]?: string };

export function isAcceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && ACCEPTABLE_REQUEST_ID.test(value);
}

/**
 * The request's id: the caller's `x-request-id` when it is acceptable, otherwise a new UUID.
 * Decided once per request, whoever asks first: Fastify (its `genReqId`, as a request arrives,
 * which pino-http then takes as the id of its log lines), the request context, the problem filter.
 */
export function requestIdFor(request: IncomingMessage): string {
  const withId = request as RequestWithId;
  const existing = withId[requestIdKey];
  if (existing !== undefined) return existing;
  const given = request.headers[REQUEST_ID_HEADER];
  const requestId = isAcceptableRequestId(given) ? given : randomUUID();
  withId[requestIdKey] = requestId;
  return requestId;
}

/** {@link requestIdFor}, also echoed in the response header (unless the headers are gone). */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const requestId = requestIdFor(request);
  if (!response.headersSent && !response.hasHeader(REQUEST_ID_HEADER)) {
    response.setHeader(REQUEST_ID_HEADER, requestId);
  }
  return requestId;
}
