import type { AuditSigningKeyConfig } from '@kpi/config';
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Ed25519PublicJwk } from './bundle-format';

/** What signs a manifest: the current key. */
export interface BundleSigner {
  keyId: string;
  publicJwk: Ed25519PublicJwk;
  /** The Ed25519 signature (64 bytes) of the message. */
  sign(message: Uint8Array): Buffer;
}

/** A published key: RFC 7517 key set entry for an Ed25519 signing key (RFC 8037). */
export interface PublishedSigningKey extends Ed25519PublicJwk {
  use: 'sig';
  alg: 'EdDSA';
}

export interface JsonWebKeySet {
  keys: PublishedSigningKey[];
}

/**
 * The configured signing keys (`AUDIT_SIGNING_KEYS`): the first signs, every one is published,
 * so a bundle signed before a rotation still verifies against the published set.
 */
export class SigningKeyRing {
  readonly current: BundleSigner;
  private readonly published: PublishedSigningKey[];
  private readonly publicKeys: Map<string, KeyObject>;

  private constructor(keys: { keyId: string; publicKey: KeyObject; privateKey?: KeyObject }[]) {
    const first = keys[0];
    if (first?.privateKey === undefined) {
      throw new Error('The first audit signing key must be a private key: it signs');
    }
    const privateKey = first.privateKey;
    this.publicKeys = new Map(keys.map((key) => [key.keyId, key.publicKey]));
    this.published = keys.map((key) => ({
      ...publicJwkOf(key.keyId, key.publicKey),
      use: 'sig',
      alg: 'EdDSA',
    }));
    this.current = {
      keyId: first.keyId,
      publicJwk: publicJwkOf(first.keyId, first.publicKey),
      sign: (message) => sign(null, message, privateKey),
    };
  }

  static fromConfig(keys: readonly AuditSigningKeyConfig[]): SigningKeyRing {
    return new SigningKeyRing(
      keys.map((key) => {
        if (key.privateKeyPem !== undefined) {
          const privateKey = createPrivateKey(key.privateKeyPem);
          return { keyId: key.keyId, privateKey, publicKey: createPublicKey(privateKey) };
        }
        return { keyId: key.keyId, publicKey: createPublicKey(key.publicKeyPem!) };
      }),
    );
  }

  /** Whether `signature` is the Ed25519 signature of `message` by the key `keyId` (false when unknown). */
  verifies(keyId: string, message: Uint8Array, signature: Uint8Array): boolean {
    const publicKey = this.publicKeys.get(keyId);
    return publicKey !== undefined && verify(null, message, publicKey, signature);
  }

  /** Every key, current first, as a JSON Web Key Set. */
  jwks(): JsonWebKeySet {
    return { keys: this.published.map((key) => ({ ...key })) };
  }
}

function publicJwkOf(keyId: string, publicKey: KeyObject): Ed25519PublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error(`Audit signing key "${keyId}" is not an Ed25519 key`);
  }
  return { kid: keyId, kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}
