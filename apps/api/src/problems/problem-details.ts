/**
 * Every error response of the API is an RFC 9457 problem: `application/problem+json` with a
 * `type` naming the kind of problem, a `title` for people, and a `detail` for this occurrence.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Problem types, as URNs: stable identifiers that do not pretend to be web pages.
 * Each one is described in docs/api.md. Statuses without one of their own use `about:blank`,
 * whose title is the HTTP status phrase (RFC 9457 §4.2.1).
 */
export const PROBLEM_TYPES = {
  invalidRequest: 'urn:kpi-ledger:problem:invalid-request',
  unauthenticated: 'urn:kpi-ledger:problem:unauthenticated',
  forbidden: 'urn:kpi-ledger:problem:forbidden',
  notFound: 'urn:kpi-ledger:problem:not-found',
  concurrencyConflict: 'urn:kpi-ledger:problem:concurrency-conflict',
  eventIdConflict: 'urn:kpi-ledger:problem:event-id-conflict',
  /** The request conflicts with what has already happened (a second return for a month). */
  conflict: 'urn:kpi-ledger:problem:conflict',
  internalError: 'urn:kpi-ledger:problem:internal-error',
  /** PostgreSQL (or Redis) cannot be reached just now: retry after `Retry-After` seconds. */
  serviceUnavailable: 'urn:kpi-ledger:problem:service-unavailable',
  other: 'about:blank',
} as const;

/** One field of the request that is wrong, and why. */
export interface FieldError {
  /** Path of the field: `toVersion`, `indicators[0].expectedRange.lower`, `streamId`. */
  field: string;
  /** What is expected, phrased to follow the field name: "must be a whole number from 1". */
  reason: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The path of the request that failed. */
  instance: string;
  /** Quote it when reporting a problem: every log line of the request carries it. */
  requestId: string;
  /** Present on 400 responses: every field that is wrong. */
  errors?: FieldError[];
  /** Further members for some types (409: `streamId`, `expectedVersion`, `actualVersion`). */
  [extension: string]: unknown;
}
