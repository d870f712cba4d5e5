import { randomBytes } from 'node:crypto';
import {
  ciphertextHash,
  decryptText,
  encryptText,
  newWrappedDataKey,
  openSecret,
  parseMasterKey,
  PersonalDataIntegrityError,
  sealSecret,
  unwrapDataKey,
  type EncryptedText,
} from './vault-crypto';

const masterKey = randomBytes(32);
const subject = { tenantId: 'acme', subjectId: '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51' };
const at = { ...subject, ref: '0e9d3c1a-5b7f-4c2e-8a61-9d0b2f4e6a13' };
const dataKey = unwrapDataKey(masterKey, newWrappedDataKey(masterKey, subject), subject);

/** A copy with one bit of `part` flipped. */
const flipped = (encrypted: EncryptedText, part: keyof EncryptedText): EncryptedText => {
  const changed = Buffer.from(encrypted[part]);
  changed[0]! ^= 0x01;
  return { ...encrypted, [part]: changed };
};

describe('the vault’s cryptography', () => {
  it('opens what it sealed, and seals the same text differently each time (a random IV)', () => {
    const first = encryptText(dataKey, 'Ann Jones, 07700 900123', at);
    const second = encryptText(dataKey, 'Ann Jones, 07700 900123', at);
    expect(decryptText(dataKey, first, at)).toBe('Ann Jones, 07700 900123');
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
    expect(first.ciphertext.toString('utf8')).not.toContain('Ann');
  });

  it.each<keyof EncryptedText>(['ciphertext', 'authTag', 'iv'])(
    'refuses a text whose %s was changed by one bit',
    (part) => {
      const encrypted = encryptText(dataKey, 'Not told about the placement plan', at);
      expect(() => decryptText(dataKey, flipped(encrypted, part), at)).toThrow(
        PersonalDataIntegrityError,
      );
    },
  );

  it('refuses a truncated tag, and a text moved to another ref, subject or tenant', () => {
    const encrypted = encryptText(dataKey, 'Not told about the placement plan', at);
    const short = { ...encrypted, authTag: encrypted.authTag.subarray(0, 8) };
    expect(() => decryptText(dataKey, short, at)).toThrow(PersonalDataIntegrityError);
    for (const moved of [
      { ...at, ref: '7c4f2a90-1d3e-4b5a-9c8d-6e0f1a2b3c4d' },
      { ...at, subjectId: 'stf-0042' },
      { ...at, tenantId: 'other' },
    ]) {
      expect(() => decryptText(dataKey, encrypted, moved)).toThrow(PersonalDataIntegrityError);
    }
  });

  it('refuses a wrapped key under another master key, copied to another subject, or changed', () => {
    const wrapped = newWrappedDataKey(masterKey, subject);
    expect(() => unwrapDataKey(randomBytes(32), wrapped, subject)).toThrow(
      PersonalDataIntegrityError,
    );
    expect(() => unwrapDataKey(masterKey, wrapped, { ...subject, subjectId: 'stf-0042' })).toThrow(
      PersonalDataIntegrityError,
    );
    const changed = Buffer.from(wrapped);
    changed[changed.length - 1]! ^= 0x80;
    expect(() => unwrapDataKey(masterKey, changed, subject)).toThrow(PersonalDataIntegrityError);
    expect(() => unwrapDataKey(masterKey, wrapped.subarray(1), subject)).toThrow(
      PersonalDataIntegrityError,
    );
  });

  it('hashes IV, ciphertext and tag: any changed bit changes the hash', () => {
    const encrypted = encryptText(dataKey, 'text', at);
    const hash = ciphertextHash(encrypted);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(ciphertextHash({ ...encrypted })).toBe(hash);
    for (const part of ['iv', 'ciphertext', 'authTag'] as const) {
      expect(ciphertextHash(flipped(encrypted, part))).not.toBe(hash);
    }
  });

  it('takes a master key of 32 bytes only', () => {
    expect(parseMasterKey(masterKey.toString('base64'))).toEqual(masterKey);
    expect(() => parseMasterKey(randomBytes(16).toString('base64'))).toThrow('32 bytes');
  });
});

describe('a secret sealed at rest', () => {
  const where = { purpose: 'identity provider client secret', tenantId: 'acme' };

  it('opens to what was sealed, and never shows it in what is stored', () => {
    const stored = sealSecret(masterKey, 's3cret-from-the-provider', where);
    expect(stored).toMatch(/^sealed-v1:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('s3cret');
    expect(sealSecret(masterKey, 's3cret-from-the-provider', where)).not.toBe(stored);
    expect(openSecret(masterKey, stored, where)).toBe('s3cret-from-the-provider');
  });

  it('refuses to open under another tenant, another purpose, another key or one changed byte', () => {
    const stored = sealSecret(masterKey, 's3cret', where);
    expect(() => openSecret(masterKey, stored, { ...where, tenantId: 'other' })).toThrow(
      PersonalDataIntegrityError,
    );
    expect(() => openSecret(masterKey, stored, { ...where, purpose: 'other' })).toThrow(
      PersonalDataIntegrityError,
    );
    expect(() => openSecret(randomBytes(32), stored, where)).toThrow(PersonalDataIntegrityError);
    const bytes = Buffer.from(stored.slice('sealed-v1:'.length), 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openSecret(masterKey, `sealed-v1:${bytes.toString('base64url')}`, where)).toThrow(
      PersonalDataIntegrityError,
    );
    expect(() => openSecret(masterKey, 'sealed-v1:', where)).toThrow(PersonalDataIntegrityError);
  });

  it('gives back a value stored in clear before secrets were sealed, as it is', () => {
    expect(openSecret(masterKey, 'an-old-clear-secret', where)).toBe('an-old-clear-secret');
  });
});
