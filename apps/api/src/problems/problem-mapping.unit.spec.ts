import { ExpiredTokenError } from '@kpi/auth';
import { ForbiddenError } from '@kpi/domain';
import { EventIdConflictError } from '@kpi/event-store';
import { ServiceUnavailableException } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { invalidRequestFromValidationErrors } from './invalid-request.exception';
import {
  INTERNAL_ERROR_DETAIL,
  SERVICE_UNAVAILABLE_DETAIL,
  toProblemResponse,
} from './problem-mapping';

const context = { instance: '/things', requestId: 'req-1', hadBearerToken: false };

describe('toProblemResponse', () => {
  it('passes on a malformed-JSON error of the body parser as a 400 with its message', () => {
    const bodyParserError = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
      status: 400,
      expose: true,
      type: 'entity.parse.failed',
    });
    const { problem, unexpected } = toProblemResponse(bodyParserError, context);
    expect(problem).toMatchObject({ status: 400, type: 'about:blank', title: 'Bad Request' });
    expect(problem.detail).toBe('Unexpected token } in JSON');
    expect(unexpected).toBe(false);
  });

  it('does not trust an error that only claims a client status without exposing its message', () => {
    const driverError = Object.assign(new Error('password authentication failed'), { status: 400 });
    const { problem, unexpected } = toProblemResponse(driverError, context);
    expect(problem).toMatchObject({ status: 500, detail: INTERNAL_ERROR_DETAIL });
    expect(unexpected).toBe(true);
  });

  it('answers a reused event id with 409', () => {
    const error = new EventIdConflictError('0b9e…', 'is already stored with different content');
    expect(toProblemResponse(error, context).problem).toMatchObject({
      status: 409,
      type: 'urn:kpi-ledger:problem:event-id-conflict',
    });
  });

  it("answers the domain's ForbiddenError with 403 and its message", () => {
    const error = new ForbiddenError('The league table is for the council');
    expect(toProblemResponse(error, context)).toMatchObject({
      problem: { status: 403, title: 'Forbidden', detail: 'The league table is for the council' },
      unexpected: false,
    });
  });

  it('hides the message of a 5xx raised on purpose, too', () => {
    const { problem, unexpected } = toProblemResponse(
      new ServiceUnavailableException('replica db-3.internal is lagging'),
      context,
    );
    expect(problem).toMatchObject({ status: 503, detail: INTERNAL_ERROR_DETAIL });
    expect(unexpected).toBe(true);
  });

  describe('the database or Redis away', () => {
    const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
    it.each([
      ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
      [
        'the server shutting down (57P01)',
        withCode('terminating connection due to administrator command', '57P01'),
      ],
      ['the server starting up (57P03)', withCode('the database system is starting up', '57P03')],
      ['a connection exception (08006)', withCode('connection failure', '08006')],
      ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
      ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
      ['no free connection in time', new Error('timeout exceeded when trying to connect')],
      [
        'ioredis giving up a command',
        Object.assign(
          new Error(
            'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.',
          ),
          { name: 'MaxRetriesPerRequestError' },
        ),
      ],
      [
        'localhost refusing on IPv4 and IPv6',
        new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]),
      ],
      [
        'a wrapped driver error',
        new Error('append failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
      ],
    ])('answers %s with 503 problem+json and Retry-After', (_, error) => {
      const { problem, headers, unexpected } = toProblemResponse(error, context);
      expect(problem).toMatchObject({
        status: 503,
        type: 'urn:kpi-ledger:problem:service-unavailable',
        title: 'Service unavailable',
        detail: SERVICE_UNAVAILABLE_DETAIL,
      });
      expect(headers).toEqual({ 'Retry-After': '5' });
      expect(unexpected).toBe(true); // logged with its cause under the request id
    });

    it.each([
      ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
      ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
      ['a plain error', new Error('undefined is not a function')],
    ])('still answers %s with 500', (_, error) => {
      expect(toProblemResponse(error, context).problem).toMatchObject({
        status: 500,
        detail: INTERNAL_ERROR_DETAIL,
      });
    });
  });

  it('challenges a rejected token with error="invalid_token"', () => {
    const { headers } = toProblemResponse(new ExpiredTokenError(new Date(0)), {
      ...context,
      hadBearerToken: true,
    });
    expect(headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="kpi-ledger", error="invalid_token"',
    });
  });
});

describe('validation errors', () => {
  it('name nested fields by their dotted path, each reason once', () => {
    const value = Object.assign(new ValidationError(), {
      property: 'value',
      constraints: {
        isInt: 'value must be an integer number',
        min: 'value must not be less than 0',
      },
    });
    const item = Object.assign(new ValidationError(), { property: '0', children: [value] });
    const items = Object.assign(new ValidationError(), { property: 'items', children: [item] });
    const period = Object.assign(new ValidationError(), {
      property: 'period',
      constraints: { matches: 'must be a month: YYYY-MM', isString: 'must be a month: YYYY-MM' },
    });

    const exception = invalidRequestFromValidationErrors([items, period]);

    expect(exception.errors).toEqual([
      { field: 'items.0.value', reason: 'must be an integer number' },
      { field: 'items.0.value', reason: 'must not be less than 0' },
      { field: 'period', reason: 'must be a month: YYYY-MM' },
    ]);
    expect(exception.message).toBe('The request has 2 invalid fields: items.0.value, period');
  });
});
