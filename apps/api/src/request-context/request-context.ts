import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assignRequestId } from './request-id';

/** What is known about the request being handled, wherever the code is. */
export interface RequestContextValues {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextValues>();

/**
 * The request being handled, carried through every `await` without passing it around
 * (AsyncLocalStorage). Outside a request there is none.
 */
export const RequestContext = {
  run<T>(values: RequestContextValues, work: () => T): T {
    return storage.run(values, work);
  },
  current(): RequestContextValues | undefined {
    return storage.getStore();
  },
};

/**
 * The correlation id for events written while handling the current request: its request id,
 * so an event can be traced back to the HTTP call (and its log lines) that caused it.
 * `null` outside a request, as `EventMetadata.correlationId` allows.
 */
export function currentCorrelationId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/**
 * Connect-style middleware (Fastify runs it through @fastify/middie): runs the rest of the
 * request inside its context.
 */
export function requestContextMiddleware(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  RequestContext.run({ requestId: assignRequestId(request, response) }, next);
}
