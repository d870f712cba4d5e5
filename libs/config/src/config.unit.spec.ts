import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('fills defaults for a development machine', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/kpi_ledger');
    expect(config.NODE_ENV).toBe('development');
    expect(config.EXPORT_DIR).toBe('./var/exports');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535 (got "70000")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres: or postgresql:'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL (got "not a url")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ EXPORT_DIR: '  ' }, 'EXPORT_DIR must be a directory path'],
  ])('rejects %j with a message naming the variable', (override, message) => {
    expect(() => loadConfig({ JWT_SECRET: secret, ...override })).toThrow(message);
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
