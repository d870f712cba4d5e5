import { SigningKeyRing, writeBundle } from '@kpi/audit-bundle';
import { runBundleVerifier } from '@kpi/testing';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

const current = generateKeyPairSync('ed25519');
const retired = generateKeyPairSync('ed25519');
const AUDIT_SIGNING_KEYS = [
  {
    keyId: '2026-07',
    privateKeyPem: current.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  },
  {
    keyId: '2025-01',
    publicKeyPem: retired.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  },
];
const KEY_SET = '/.well-known/kpi-ledger-signing-keys';

let api: ApiUnderTest;
let directory: string;
beforeAll(async () => {
  api = await startApiUnderTest('api_signing_keys', {
    env: { AUDIT_SIGNING_KEYS: JSON.stringify(AUDIT_SIGNING_KEYS) },
  });
  directory = await mkdtemp(join(tmpdir(), 'signing-keys-spec-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  await api.close();
});

describe('the published signing keys', () => {
  it('are served to anyone, without a token, as a JSON Web Key Set: current key first, then retired ones', async () => {
    const response = await api.http().get(KEY_SET);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toEqual({
      keys: [
        {
          kid: '2026-07',
          kty: 'OKP',
          crv: 'Ed25519',
          x: current.publicKey.export({ format: 'jwk' }).x,
          use: 'sig',
          alg: 'EdDSA',
        },
        {
          kid: '2025-01',
          kty: 'OKP',
          crv: 'Ed25519',
          x: retired.publicKey.export({ format: 'jwk' }).x,
          use: 'sig',
          alg: 'EdDSA',
        },
      ],
    });
  });

  it('verify a bundle signed with the configured key, saved as the verifier is told to use them', async () => {
    const keySet = join(directory, 'kpi-ledger-signing-keys.json');
    await writeFile(keySet, (await api.http().get(KEY_SET)).text);
    const bundle = join(directory, 'empty.tar.gz');
    await writeBundle(createWriteStream(bundle), {
      manifestBase: {
        scope: { tenantId: 'provider-acme', serviceIds: ['home-1'] },
        period: { from: '2026-04-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' },
        requestedBy: 'user:inspector-7',
        grantId: 'grant-1',
        createdAt: '2026-07-02T09:00:00.000Z',
      },
      events: [],
      anchors: new Map(),
      signer: SigningKeyRing.fromConfig(api.config.AUDIT_SIGNING_KEYS).current,
    });

    const run = await runBundleVerifier([bundle, '--public-key', keySet]);

    expect(run.stdout).toContain(`by key "2026-07", from ${keySet}`);
    expect(run.exitCode).toBe(0);
  });

  it('are documented in the OpenAPI document as public', async () => {
    const { body: document } = await api.http().get('/api/docs-json');
    const operation = document.paths[KEY_SET].get;
    expect(operation.summary).toEqual(expect.any(String));
    expect(operation.security).toBeUndefined();
    expect(Object.keys(operation.responses)).toEqual(['200']);
  });
});
