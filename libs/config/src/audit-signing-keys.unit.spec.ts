import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { DEVELOPMENT_SIGNING_KEY_ID, DEVELOPMENT_SIGNING_KEYS } from './audit-signing-keys';
import { ConfigError, loadConfig } from './config';

const JWT_SECRET = 'x'.repeat(32);
/** Production needs a personal-data key too; these specs are about the signing keys. */
const PERSONAL_DATA_KEY = Buffer.alloc(32, 5).toString('base64');

function ed25519Pems(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ JWT_SECRET, PERSONAL_DATA_KEY, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('AUDIT_SIGNING_KEYS', () => {
  it('reads a list whose first key signs and whose others only verify (rotation by key id)', () => {
    const current = ed25519Pems();
    const retired = ed25519Pems();
    const keys = [
      { keyId: '2026-07', privateKeyPem: current.privateKeyPem },
      { keyId: '2025-01', publicKeyPem: retired.publicKeyPem },
    ];
    const config = loadConfig({
      JWT_SECRET,
      PERSONAL_DATA_KEY,
      NODE_ENV: 'production',
      AUDIT_SIGNING_KEYS: JSON.stringify(keys),
    });
    expect(config.AUDIT_SIGNING_KEYS).toEqual(keys);
  });

  it('signs with the development key on a development or test machine when unset', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const config = loadConfig({ JWT_SECRET, NODE_ENV });
      expect(config.AUDIT_SIGNING_KEYS).toEqual(DEVELOPMENT_SIGNING_KEYS);
      expect(config.AUDIT_SIGNING_KEYS[0]!.keyId).toBe(DEVELOPMENT_SIGNING_KEY_ID);
    }
  });

  it('derives the development key the same way on every machine', () => {
    const publicJwk = createPublicKey(DEVELOPMENT_SIGNING_KEYS[0]!.privateKeyPem!).export({
      format: 'jwk',
    });
    expect(publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'Jn3lj6Thvt-ocM2Z5rRO7fhWQTSouE7lK4KTvFAuzG8',
    });
  });

  it('is required in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^AUDIT_SIGNING_KEYS is required in production/),
    ]);
  });

  it('refuses the development key in production, whatever it is called', () => {
    const renamed = [{ ...DEVELOPMENT_SIGNING_KEYS[0]!, keyId: 'looks-real' }];
    expect(
      problemsOf({ NODE_ENV: 'production', AUDIT_SIGNING_KEYS: JSON.stringify(renamed) }),
    ).toEqual([expect.stringMatching(/must not hold the development key in production/)]);
  });

  const { privateKeyPem, publicKeyPem } = ed25519Pems();
  const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  it.each([
    ['not JSON', '{', 'it is not JSON'],
    ['an empty list', '[]', 'got no list'],
    ['a key without id', JSON.stringify([{ privateKeyPem }]), 'key 1 needs a keyId'],
    [
      'a key with both PEMs',
      JSON.stringify([{ keyId: 'a', privateKeyPem, publicKeyPem }]),
      'key "a" needs exactly one of privateKeyPem and publicKeyPem',
    ],
    [
      'a retired key first',
      JSON.stringify([{ keyId: 'old', publicKeyPem }]),
      'must start with a private key: the first key "old" signs',
    ],
    [
      'a key id twice',
      JSON.stringify([
        { keyId: 'a', privateKeyPem },
        { keyId: 'a', publicKeyPem },
      ]),
      'has the key id "a" twice',
    ],
    [
      'a PEM that is not a key',
      JSON.stringify([{ keyId: 'a', privateKeyPem: 'nope' }]),
      'key "a" is not a readable private key PEM',
    ],
    [
      'an RSA key',
      JSON.stringify([{ keyId: 'a', privateKeyPem: rsaPem }]),
      'key "a" is rsa, not Ed25519',
    ],
    [
      'an unknown field',
      JSON.stringify([{ keyId: 'a', privateKeyPem, password: 'x' }]),
      'key 1 has unknown fields: password',
    ],
  ])('refuses %s, naming the variable and the reason', (_case, value, reason) => {
    expect(problemsOf({ AUDIT_SIGNING_KEYS: value })).toEqual([
      expect.stringMatching(/^AUDIT_SIGNING_KEYS /),
    ]);
    expect(problemsOf({ AUDIT_SIGNING_KEYS: value })[0]).toContain(reason);
  });
});
