import jwt from 'jsonwebtoken';
import { ExpiredTokenError, InvalidClaimsError, InvalidTokenError } from './errors';
import { mintToken, verifyToken, type MintTokenOptions } from './token';

const audience = { secret: 's'.repeat(32), issuer: 'kpi-ledger', audience: 'kpi-ledger' };
const now = new Date('2025-06-01T12:00:00Z');

function mint(overrides: Partial<MintTokenOptions> = {}): string {
  return mintToken({
    ...audience,
    subject: 'user-1',
    tenantId: 'tenant-a',
    roles: ['provider-admin'],
    expiresInSeconds: 3600,
    now,
    ...overrides,
  });
}

/** Signs arbitrary claims, to build tokens mintToken would never produce. */
function signRaw(
  claims: Record<string, unknown>,
  options: jwt.SignOptions = {},
  { expiring = true } = {},
): string {
  return jwt.sign(
    { sub: 'user-1', tenant: 'tenant-a', roles: ['regulator'], ...claims },
    audience.secret,
    {
      algorithm: 'HS256',
      issuer: audience.issuer,
      audience: audience.audience,
      ...(expiring ? { expiresIn: 600 } : {}),
      ...options,
    },
  );
}

describe('the platform tenant (the bank-holiday calendar) is nobody’s', () => {
  it('is neither minted nor accepted', () => {
    expect(() => mint({ tenantId: 'platform' })).toThrow(InvalidClaimsError);
    expect(() => verifyToken(signRaw({ tenant: 'platform' }), { ...audience })).toThrow(
      /tenant claim may not be "platform"/,
    );
  });
});

describe('a token minted for a user of a tenant', () => {
  it('verifies to the principal it was minted for', () => {
    const principal = verifyToken(mint({ roles: ['hr', 'regulator', 'hr'] }), { ...audience, now });
    expect(principal).toEqual({
      userId: 'user-1',
      tenantId: 'tenant-a',
      roles: ['hr', 'regulator'],
    });
  });

  it('carries the manager id a home manager is known by, when given', () => {
    const token = mint({ roles: ['home-manager'], managerId: 'mgr-home-02' });
    expect(jwt.decode(token)).toMatchObject({ manager: 'mgr-home-02' });
    expect(verifyToken(token, { ...audience, now })).toEqual({
      userId: 'user-1',
      tenantId: 'tenant-a',
      roles: ['home-manager'],
      managerId: 'mgr-home-02',
    });
    expect(() => verifyToken(signRaw({ manager: 42 }), { ...audience })).toThrow(
      /manager claim must be text/,
    );
  });

  it('carries the standard claims plus tenant and roles, signed with HS256', () => {
    const decoded = jwt.decode(mint(), { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    expect(decoded.payload).toEqual({
      sub: 'user-1',
      iss: 'kpi-ledger',
      aud: 'kpi-ledger',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 3600,
      tenant: 'tenant-a',
      roles: ['provider-admin'],
    });
  });

  it('is refused once it has expired', () => {
    const later = new Date(now.getTime() + 3601_000);
    expect(() => verifyToken(mint(), { ...audience, now: later })).toThrow(ExpiredTokenError);
  });
});

describe('a token the API must not trust', () => {
  it.each([
    [
      'signed with another secret',
      () => mint({ secret: 'x'.repeat(32), now: new Date() }),
      /invalid signature/,
    ],
    [
      'from another issuer',
      () => mint({ issuer: 'someone-else', now: new Date() }),
      /issuer invalid/,
    ],
    [
      'for another audience',
      () => mint({ audience: 'another-api', now: new Date() }),
      /audience invalid/,
    ],
    ['signed with HS512', () => signRaw({}, { algorithm: 'HS512' }), /invalid algorithm/],
    [
      'not signed at all (alg none)',
      () => signRaw({}, { algorithm: 'none' }),
      /jwt signature is required|invalid algorithm/,
    ],
    ['not a JWT', () => 'not-a-token', /jwt malformed/],
    ['without a tenant claim', () => signRaw({ tenant: undefined }), /tenant claim is missing/],
    ['with an empty tenant', () => signRaw({ tenant: ' ' }), /tenant claim must be text/],
    ['with a numeric tenant', () => signRaw({ tenant: 42 }), /tenant claim must be text/],
    ['without a subject', () => signRaw({ sub: undefined }), /sub claim is missing/],
    ['without roles', () => signRaw({ roles: undefined }), /roles claim is missing/],
    [
      'with roles that are not a list',
      () => signRaw({ roles: 'hr' }),
      /roles claim must be a list/,
    ],
    [
      'with an unknown role',
      () => signRaw({ roles: ['hr', 'superuser'] }),
      /unknown roles: "superuser"/,
    ],
    ['that never expires', () => signRaw({}, {}, { expiring: false }), /no exp claim/],
  ])('is refused when %s', (_case, token, message) => {
    let error: unknown;
    try {
      verifyToken(token(), audience);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('minting', () => {
  it.each([
    [{ tenantId: '' }, /tenantId claim must be text/],
    [{ subject: '' }, /subject claim must be text/],
    [{ roles: ['owner' as never] }, /unknown roles: "owner"/],
    [{ expiresInSeconds: 0 }, /expiresInSeconds must be a whole number from 1/],
  ])('refuses claims verifyToken would refuse: %j', (override, message) => {
    expect(() => mint(override)).toThrow(InvalidClaimsError);
    expect(() => mint(override)).toThrow(message);
  });
});
