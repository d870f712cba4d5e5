import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, DEVELOPMENT_PERSONAL_DATA_KEY, loadConfig } from './config';

/** Production needs signing keys too; this spec is about the other settings. */
const signingKeys = () =>
  JSON.stringify([
    {
      keyId: 'config-spec',
      privateKeyPem: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    },
  ]);

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('fills defaults for a development machine', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/kpi_ledger');
    expect(config.NODE_ENV).toBe('development');
    expect(config.PUBLIC_BASE_URL).toBeUndefined();
    expect(config.EXPORT_DIR).toBe('./var/exports');
  });

  it('reads the public address as an origin', () => {
    expect(loadConfig({ JWT_SECRET: secret, PUBLIC_BASE_URL: 'https://kpi.example.org/' })).toEqual(
      expect.objectContaining({ PUBLIC_BASE_URL: 'https://kpi.example.org' }),
    );
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535 (got "70000")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres: or postgresql:'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL (got "not a url")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ PUBLIC_BASE_URL: 'kpi.example.org' }, 'PUBLIC_BASE_URL must be a URL'],
    [
      { PUBLIC_BASE_URL: 'ftp://kpi.example.org' },
      'PUBLIC_BASE_URL must be an http:// or https://',
    ],
    [{ PUBLIC_BASE_URL: 'https://kpi.example.org/app' }, 'PUBLIC_BASE_URL must be an http://'],
    [{ PERSONAL_DATA_KEY: 'c2hvcnQ=' }, 'PERSONAL_DATA_KEY must be 32 bytes in base64'],
    [
      { PERSONAL_DATA_KEY: 'not base64 at all, though 44 characters long!' },
      'PERSONAL_DATA_KEY must be 32 bytes in base64',
    ],
    [{ NODE_ENV: 'production' }, 'PERSONAL_DATA_KEY is required in production'],
    [{ SEAL_INTERVAL_MINUTES: '0' }, 'SEAL_INTERVAL_MINUTES'],
    [{ SEAL_WEBHOOK_URL: 'seals.example.org/in' }, 'SEAL_WEBHOOK_URL must be an http://'],
    [{ EXPORT_DIR: '  ' }, 'EXPORT_DIR must be a directory path'],
    [{ SMTP_URL: 'mail.example.org:25' }, 'SMTP_URL must be an smtp:// or smtps:// address'],
    [{ MAIL_FROM: 'KPI ledger' }, 'MAIL_FROM must be an email address'],
  ])('rejects %j with a message naming the variable', (override, message) => {
    expect(() => loadConfig({ JWT_SECRET: secret, ...override })).toThrow(message);
  });

  it('takes a personal-data key of 32 bytes, and stands in a public one outside production', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ JWT_SECRET: secret, PERSONAL_DATA_KEY: key }).PERSONAL_DATA_KEY).toBe(key);
    const production = {
      JWT_SECRET: secret,
      NODE_ENV: 'production',
      PERSONAL_DATA_KEY: key,
      AUDIT_SIGNING_KEYS: signingKeys(),
    };
    expect(loadConfig(production).PERSONAL_DATA_KEY).toBe(key);
    expect(loadConfig({ JWT_SECRET: secret }).PERSONAL_DATA_KEY).toBe(
      DEVELOPMENT_PERSONAL_DATA_KEY,
    );
    expect(Buffer.from(DEVELOPMENT_PERSONAL_DATA_KEY, 'base64')).toHaveLength(32);
  });

  it('requires a JWT secret and lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining('JWT_SECRET is required'),
      expect.stringContaining('PORT must be a whole number'),
    ]);
  });
});
