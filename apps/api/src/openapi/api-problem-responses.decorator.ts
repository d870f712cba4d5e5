import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { INTERNAL_ERROR_DETAIL } from '../problems/problem-mapping';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  type ProblemDetails,
} from '../problems/problem-details';
import { ProblemDetailsDto } from './problem-details.dto';

const requestId = '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11';
const instance = '/audit/streams/acme:monthly-return:home-17:2025-04/events';

const EXAMPLES: Record<number, { description: string; example: ProblemDetails }> = {
  400: {
    description: 'A path or query parameter is invalid or unknown; `errors` names each one.',
    example: {
      type: PROBLEM_TYPES.invalidRequest,
      title: 'Invalid request',
      status: 400,
      detail: 'The request has 1 invalid field: toVersion',
      instance,
      errors: [{ field: 'toVersion', reason: 'must be a whole number from 1' }],
      requestId,
    },
  },
  401: {
    description: 'No bearer token, or one that is invalid or expired.',
    example: {
      type: PROBLEM_TYPES.unauthenticated,
      title: 'Authentication required',
      status: 401,
      detail: 'The token expired at 2025-05-01T09:00:00.000Z',
      instance,
      requestId,
    },
  },
  403: {
    description: 'The caller has none of the roles this endpoint needs.',
    example: {
      type: PROBLEM_TYPES.forbidden,
      title: 'Forbidden',
      status: 403,
      detail: 'This needs one of the roles: provider-admin, regulator, hr',
      instance,
      requestId,
    },
  },
  404: {
    description:
      "The stream does not exist, or belongs to another tenant (the answer is the same, so another tenant's data cannot be detected).",
    example: {
      type: PROBLEM_TYPES.notFound,
      title: 'Not found',
      status: 404,
      detail: 'No stream "acme:monthly-return:home-17:2025-04" was found',
      instance,
      requestId,
    },
  },
  409: {
    description: 'The stream changed since it was read (expected version mismatch).',
    example: {
      type: PROBLEM_TYPES.concurrencyConflict,
      title: 'The stream has changed',
      status: 409,
      detail:
        'Stream "acme:monthly-return:home-17:2025-04" is at version 4, but version 3 was expected. Read the stream again, then retry against its current version.',
      instance: '/monthly-returns/home-17/2025-04/amendments',
      streamId: 'acme:monthly-return:home-17:2025-04',
      expectedVersion: 3,
      actualVersion: 4,
      requestId,
    },
  },
  500: {
    description:
      'An unexpected error; nothing about it is revealed, it is logged under the requestId.',
    example: {
      type: PROBLEM_TYPES.internalError,
      title: 'Internal server error',
      status: 500,
      detail: INTERNAL_ERROR_DETAIL,
      instance,
      requestId,
    },
  },
  503: {
    description:
      'A service the request needs (PostgreSQL, Redis) cannot be reached just now; nothing was done. Retry after the seconds of `Retry-After`.',
    example: {
      type: PROBLEM_TYPES.serviceUnavailable,
      title: 'Service unavailable',
      status: 503,
      detail: 'The database cannot be reached just now; nothing was done. Try again shortly.',
      instance,
      requestId,
    },
  },
};

export type DocumentedProblemStatus = 400 | 401 | 403 | 404 | 409 | 500;

/** Every endpoint may answer 503 while a service it needs is away. */
const ALWAYS_DOCUMENTED = [503] as const;

/** Documents the `application/problem+json` responses an endpoint can give, with examples. */
export function ApiProblemResponses(...statuses: DocumentedProblemStatus[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...[...statuses, ...ALWAYS_DOCUMENTED].map((status) =>
      ApiResponse({
        status,
        description: EXAMPLES[status]!.description,
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDetailsDto) },
            example: EXAMPLES[status]!.example,
          },
        },
      }),
    ),
  );
}
