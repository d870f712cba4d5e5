import { displayUrl, isServiceUnavailable, reasonOf, ServiceUnreachableError } from './services';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('ServiceUnreachableError', () => {
  it('is one line naming the variable, the address and why', () => {
    expect(
      new ServiceUnreachableError('REDIS_URL', 'redis://127.0.0.1:6390', 'connection refused')
        .message,
    ).toBe('REDIS_URL=redis://127.0.0.1:6390: connection refused');
  });
});

describe('displayUrl', () => {
  it('hides the password, keeps the rest', () => {
    expect(displayUrl('postgres://kpi:s3cret@db.internal:5432/kpi_ledger')).toBe(
      'postgres://kpi:***@db.internal:5432/kpi_ledger',
    );
    expect(displayUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('reasonOf', () => {
  it.each([
    [withCode('connect ECONNREFUSED 127.0.0.1:6390', 'ECONNREFUSED'), 'connection refused'],
    [withCode('getaddrinfo ENOTFOUND db', 'ENOTFOUND'), 'host not found'],
    [withCode('connect ETIMEDOUT', 'ETIMEDOUT'), 'no answer within 5 s'],
    [new Error('Connection terminated due to connection timeout'), 'no answer within 5 s'],
    [
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]),
      'connection refused',
    ],
    [
      withCode('database "kpi_ledger" does not exist', '3D000'),
      'database "kpi_ledger" does not exist (npm run cli -- create-database creates it)',
    ],
    [
      withCode('password authentication failed for user "kpi"', '28P01'),
      'password authentication failed for user "kpi"',
    ],
  ])('%s → %s', (error, reason) => {
    expect(reasonOf(error)).toBe(reason);
  });
});

describe('isServiceUnavailable', () => {
  it('is true for connection failures and false for what a retry would not mend', () => {
    expect(isServiceUnavailable(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toBe(true);
    expect(isServiceUnavailable(withCode('terminating connection', '57P01'))).toBe(true);
    expect(isServiceUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isServiceUnavailable(withCode('syntax error', '42601'))).toBe(false);
    expect(isServiceUnavailable(withCode('password authentication failed', '28P01'))).toBe(false);
    expect(isServiceUnavailable('ECONNREFUSED')).toBe(false);
  });
});
