import { AuthenticationError } from '@kpi/auth';
import { ConflictError, ForbiddenError, InvalidCommandError, NotFoundError } from '@kpi/domain';
import {
  ConcurrencyError,
  EventIdConflictError,
  InvalidEventError,
  InvalidReadOptionError,
  InvalidStreamIdError,
  TenantMismatchError,
} from '@kpi/event-store';
import { isServiceUnavailable } from '@kpi/runtime';
import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { InvalidRequestException } from './invalid-request.exception';
import { PROBLEM_TYPES, type ProblemDetails } from './problem-details';

/** What is known about the failed request. */
export interface ProblemContext {
  instance: string;
  requestId: string;
  /** Whether the request carried a bearer token (decides the WWW-Authenticate challenge). */
  hadBearerToken: boolean;
}

export interface ProblemResponse {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** True for any 5xx: errors nobody meant to raise. They are logged with their stack. */
  unexpected: boolean;
}

/** A problem without the parts every problem of the request shares. */
interface Classified {
  status: number;
  type: string;
  title: string;
  detail: string;
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export const INTERNAL_ERROR_DETAIL =
  'Something went wrong on our side. Quote the requestId if you report it.';

/** Seconds a client should wait before retrying while the database or Redis is away. */
export const RETRY_AFTER_SECONDS = 5;

export const SERVICE_UNAVAILABLE_DETAIL = `kpi-ledger cannot reach its database just now. Retry in ${RETRY_AFTER_SECONDS} seconds.`;

/**
 * Turns anything thrown while handling a request into the problem the caller sees.
 * Only errors raised on purpose say what went wrong; anything else becomes a 500 that says
 * nothing about the internals (driver errors name hosts, tables and SQL).
 */
export function toProblemResponse(exception: unknown, context: ProblemContext): ProblemResponse {
  const { status, type, title, detail, extensions = {}, headers = {} } = classify(exception);
  const unexpected = status >= 500;
  return {
    problem: {
      type,
      title,
      status,
      // A 5xx says nothing of the internals, but for the outage it was written to announce.
      detail:
        unexpected && type !== PROBLEM_TYPES.serviceUnavailable ? INTERNAL_ERROR_DETAIL : detail,
      instance: context.instance,
      ...extensions,
      requestId: context.requestId,
    },
    headers:
      status === 401 ? { 'WWW-Authenticate': bearerChallenge(context.hadBearerToken) } : headers,
    unexpected,
  };
}

function classify(exception: unknown): Classified {
  if (exception instanceof InvalidRequestException) {
    return invalidRequest(exception.message, { errors: exception.errors });
  }
  if (exception instanceof InvalidCommandError) {
    const fields = exception.problems.map((p) => p.field);
    return invalidRequest(
      `The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}`,
      { errors: exception.problems.map(({ field, reason }) => ({ field, reason })) },
    );
  }
  if (exception instanceof ForbiddenError) {
    return {
      status: 403,
      type: PROBLEM_TYPES.forbidden,
      title: 'Forbidden',
      detail: exception.message,
    };
  }
  if (exception instanceof NotFoundError) return notFound(exception.message);
  if (exception instanceof ConflictError) {
    return {
      status: 409,
      type: PROBLEM_TYPES.conflict,
      title: 'Conflicts with what has already happened',
      detail: exception.message,
      extensions: { ...exception.details },
    };
  }
  if (exception instanceof InvalidStreamIdError) {
    return invalidRequest('The stream id is not valid', {
      errors: [{ field: 'streamId', reason: exception.reason }],
    });
  }
  if (exception instanceof InvalidEventError) {
    return invalidRequest(exception.message, {
      errors: [{ field: exception.path, reason: exception.reason }],
    });
  }
  if (exception instanceof InvalidReadOptionError) {
    return invalidRequest(exception.message, {
      errors: [{ field: exception.option, reason: exception.reason }],
    });
  }
  if (exception instanceof AuthenticationError) {
    return unauthenticated(exception.message);
  }
  if (exception instanceof TenantMismatchError) {
    // Saying "another tenant's" would confirm that the stream exists: answer as for a missing one.
    return notFound(`No stream "${exception.streamId}" was found`);
  }
  if (exception instanceof ConcurrencyError) {
    return {
      status: 409,
      type: PROBLEM_TYPES.concurrencyConflict,
      title: 'The stream has changed',
      detail: `${exception.message}. Read the stream again, then retry against its current version.`,
      extensions: {
        streamId: exception.streamId,
        expectedVersion: exception.expectedVersion,
        actualVersion: exception.actualVersion,
      },
    };
  }
  if (exception instanceof EventIdConflictError) {
    return {
      status: 409,
      type: PROBLEM_TYPES.eventIdConflict,
      title: 'Event id already used',
      detail: exception.message,
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  const clientError = asExposedClientError(exception);
  if (clientError) return plainStatus(clientError.status, clientError.message);
  if (isServiceUnavailable(exception)) {
    // PostgreSQL (or Redis) refused, dropped or timed out: the request may succeed later.
    return {
      status: 503,
      type: PROBLEM_TYPES.serviceUnavailable,
      title: 'Service unavailable',
      detail: SERVICE_UNAVAILABLE_DETAIL,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  return {
    status: 500,
    type: PROBLEM_TYPES.internalError,
    title: 'Internal server error',
    detail: INTERNAL_ERROR_DETAIL,
  };
}

function fromHttpException(exception: HttpException): Classified {
  const status = exception.getStatus();
  const detail = httpExceptionDetail(exception);
  switch (status) {
    case 400:
      return invalidRequest(detail);
    case 401:
      return unauthenticated(detail);
    case 403:
      return { status, type: PROBLEM_TYPES.forbidden, title: 'Forbidden', detail };
    case 404:
      return notFound(detail);
    default:
      return status >= 500
        ? { status, type: PROBLEM_TYPES.internalError, title: 'Internal server error', detail }
        : plainStatus(status, detail);
  }
}

const invalidRequest = (detail: string, extensions?: Record<string, unknown>): Classified => ({
  status: 400,
  type: PROBLEM_TYPES.invalidRequest,
  title: 'Invalid request',
  detail,
  ...(extensions ? { extensions } : {}),
});

const unauthenticated = (detail: string): Classified => ({
  status: 401,
  type: PROBLEM_TYPES.unauthenticated,
  title: 'Authentication required',
  detail,
});

const notFound = (detail: string): Classified => ({
  status: 404,
  type: PROBLEM_TYPES.notFound,
  title: 'Not found',
  detail,
});

/** A status without a problem type of its own: `about:blank`, titled by the status phrase. */
const plainStatus = (status: number, detail: string): Classified => ({
  status,
  type: PROBLEM_TYPES.other,
  title: STATUS_CODES[status] ?? 'Error',
  detail,
});

/** RFC 6750 §3: tell the client how to authenticate, and whether the token it sent was bad. */
function bearerChallenge(hadBearerToken: boolean): string {
  return hadBearerToken
    ? 'Bearer realm="kpi-ledger", error="invalid_token"'
    : 'Bearer realm="kpi-ledger"';
}

/** Nest's exceptions carry a string, or `{ message: string | string[] }`. */
function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * An http-errors style error (Express body parser: malformed JSON, body too large) whose
 * message was written to be shown (`expose`).
 */
function asExposedClientError(exception: unknown): { status: number; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, expose, message } = exception as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true)
    return undefined;
  return {
    status,
    message: typeof message === 'string' ? message : (STATUS_CODES[status] ?? 'Error'),
  };
}
