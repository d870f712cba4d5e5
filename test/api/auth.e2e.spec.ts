import { mintToken } from '@kpi/auth';
import { AUDIT_READERS, ROLES } from '@kpi/domain';
import jwt from 'jsonwebtoken';
import {
  JWT_SECRET,
  PROBLEM_JSON,
  startApiUnderTest,
  uniqueStreamId,
  type ApiUnderTest,
} from './support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('api_auth');
});
afterAll(() => api.close());

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'user-1',
  tenant: 'tenant-a',
  roles: ['provider-admin'],
  ...overrides,
});
const signed = (payload: object, secret = JWT_SECRET, options: jwt.SignOptions = {}) =>
  jwt.sign(payload, secret, {
    algorithm: 'HS256',
    issuer: 'kpi-ledger',
    audience: 'kpi-ledger',
    expiresIn: 600,
    ...options,
  });

describe('authentication', () => {
  it('lets a caller with a valid token in, as the principal the token names', async () => {
    const token = api.tokenFor({ tenantId: 'tenant-a', roles: ['hr', 'regulator'], userId: 'u-7' });
    const response = await api.http().get('/me').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      userId: 'u-7',
      tenantId: 'tenant-a',
      roles: ['hr', 'regulator'],
    });
  });

  it('refuses a request without a token with 401 and a bearer challenge', async () => {
    const response = await api.http().get('/me');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="kpi-ledger"');
    expect(response.body).toEqual({
      type: 'urn:kpi-ledger:problem:unauthenticated',
      title: 'Authentication required',
      status: 401,
      detail: 'Send a bearer token: "Authorization: Bearer <JWT>"',
      instance: '/me',
      requestId: response.headers['x-request-id'],
    });
  });

  it.each([
    [
      'another scheme than Bearer',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      /bearer token/,
    ],
    [
      'a token signed with another secret',
      `Bearer ${signed(claims(), 'x'.repeat(40))}`,
      /invalid signature/,
    ],
    [
      'a token signed with HS512',
      `Bearer ${signed(claims(), JWT_SECRET, { algorithm: 'HS512' })}`,
      /invalid algorithm/,
    ],
    [
      'a token of another issuer',
      `Bearer ${signed(claims(), JWT_SECRET, { issuer: 'elsewhere' })}`,
      /issuer invalid/,
    ],
    [
      'a token without a tenant claim',
      `Bearer ${signed(claims({ tenant: undefined }))}`,
      /tenant claim is missing/,
    ],
    [
      'a token with an unknown role',
      `Bearer ${signed(claims({ roles: ['root'] }))}`,
      /unknown roles: "root"/,
    ],
    ['a token that is not a JWT', 'Bearer not.a.jwt', /not valid/],
  ])('refuses %s with 401', async (_case, authorization, detail) => {
    const response = await api.http().get('/me').set('Authorization', authorization);
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.type).toBe('urn:kpi-ledger:problem:unauthenticated');
    expect(response.body.detail).toMatch(detail);
  });

  it('refuses an expired token with 401 saying it expired', async () => {
    const token = mintToken({
      secret: JWT_SECRET,
      issuer: 'kpi-ledger',
      audience: 'kpi-ledger',
      subject: 'user-1',
      tenantId: 'tenant-a',
      roles: ['provider-admin'],
      expiresInSeconds: 60,
      now: new Date(Date.now() - 2 * 60 * 60 * 1000),
    });
    const response = await api.http().get('/me').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="kpi-ledger", error="invalid_token"',
    );
    expect(response.body.detail).toMatch(/^The token expired at \d{4}-/);
  });

  it('lets anyone read /health without a token', async () => {
    const response = await api.http().get('/health');
    expect(response.status).toBe(200);
  });
});

describe('roles', () => {
  const notAuditReaders = ROLES.filter((role) => !AUDIT_READERS.includes(role));

  it.each(notAuditReaders)('refuses the audit trail to the %s role with 403', async (role) => {
    const streamId = uniqueStreamId('roles');
    await api.appendFixtures(streamId, 'tenant-a', 1);
    const response = await api
      .http()
      .get(`/audit/streams/${encodeURIComponent(streamId)}/events`)
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: 'tenant-a', roles: [role] })}`);
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:forbidden',
      status: 403,
      detail: 'This needs one of the roles: provider-admin, regulator, hr',
    });
  });

  it.each([...AUDIT_READERS])('lets the %s role read the audit trail', async (role) => {
    const streamId = uniqueStreamId('roles');
    await api.appendFixtures(streamId, 'tenant-a', 1);
    const response = await api
      .http()
      .get(`/audit/streams/${encodeURIComponent(streamId)}/events`)
      .set('Authorization', `Bearer ${api.tokenFor({ tenantId: 'tenant-a', roles: [role] })}`);
    expect(response.status).toBe(200);
  });

  it('lets a caller in when any one of their roles is allowed', async () => {
    const streamId = uniqueStreamId('roles');
    await api.appendFixtures(streamId, 'tenant-a', 1);
    const token = api.tokenFor({ tenantId: 'tenant-a', roles: ['home-manager', 'hr'] });
    const response = await api
      .http()
      .get(`/audit/streams/${encodeURIComponent(streamId)}/events`)
      .set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
  });
});
