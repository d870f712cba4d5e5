import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { SigningKeyRing } from './signing-keys';

function pems() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    x: publicKey.export({ format: 'jwk' }).x,
  };
}

describe('the signing key ring', () => {
  const current = pems();
  const retired = pems();
  const ring = SigningKeyRing.fromConfig([
    { keyId: '2026-07', privateKeyPem: current.privateKeyPem },
    { keyId: '2025-01', publicKeyPem: retired.publicKeyPem },
  ]);

  it('signs with the first key, an Ed25519 signature its public key verifies', () => {
    const message = Buffer.from('{"format":"kpi-ledger-evidence-bundle/1"}\n');
    const signature = ring.current.sign(message);
    expect(ring.current.keyId).toBe('2026-07');
    expect(signature).toHaveLength(64);
    expect(verify(null, message, createPublicKey(current.publicKeyPem), signature)).toBe(true);
    expect(
      verify(null, Buffer.from('other'), createPublicKey(current.publicKeyPem), signature),
    ).toBe(false);
  });

  it('verifies a signature by any key of the ring, by key id, and nothing else', () => {
    const message = Buffer.from('seal 7');
    const signature = ring.current.sign(message);
    expect(ring.verifies('2026-07', message, signature)).toBe(true);
    expect(ring.verifies('2026-07', Buffer.from('seal 8'), signature)).toBe(false);
    expect(ring.verifies('2025-01', message, signature)).toBe(false);
    expect(ring.verifies('no-such-key', message, signature)).toBe(false);
  });

  it('publishes every key, current first, as a JSON Web Key Set (RFC 8037)', () => {
    expect(ring.jwks()).toEqual({
      keys: [
        { kid: '2026-07', kty: 'OKP', crv: 'Ed25519', x: current.x, use: 'sig', alg: 'EdDSA' },
        { kid: '2025-01', kty: 'OKP', crv: 'Ed25519', x: retired.x, use: 'sig', alg: 'EdDSA' },
      ],
    });
    expect(ring.current.publicJwk).toEqual({
      kid: '2026-07',
      kty: 'OKP',
      crv: 'Ed25519',
      x: current.x,
    });
  });

  it('refuses a list that starts with a key that cannot sign', () => {
    expect(() =>
      SigningKeyRing.fromConfig([{ keyId: '2025-01', publicKeyPem: retired.publicKeyPem }]),
    ).toThrow('The first audit signing key must be a private key');
  });
});
