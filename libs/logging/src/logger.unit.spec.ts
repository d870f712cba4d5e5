import { Writable } from 'node:stream';
import { createLogger, shouldPrettyPrint } from './logger';

/** A destination that keeps every JSON line written to it. */
function collectLines(): { destination: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { destination, lines };
}

describe('createLogger', () => {
  it('logs JSON at the configured level and above', () => {
    const { destination, lines } = collectLines();
    const logger = createLogger(
      { LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      { name: 'api', destination },
    );
    logger.info('not written');
    logger.warn({ streamId: 's-1' }, 'written');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, name: 'api', streamId: 's-1', msg: 'written' }),
    ]);
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('never writes a bearer token or cookie', () => {
    const { destination, lines } = collectLines();
    const logger = createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'production' }, { destination });
    logger.info({
      req: { headers: { authorization: 'Bearer secret.token', cookie: 'sid=1', accept: '*/*' } },
    });
    expect(JSON.stringify(lines)).not.toContain('secret.token');
    expect(JSON.stringify(lines)).not.toContain('sid=1');
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' } },
    });
  });
});

describe('shouldPrettyPrint', () => {
  it.each([
    ['development', true, true],
    ['development', false, false],
    ['production', true, false],
    ['test', true, false],
  ] as const)('NODE_ENV=%s on a terminal=%s: %s', (nodeEnv, isTty, expected) => {
    expect(shouldPrettyPrint(nodeEnv, isTty)).toBe(expected);
  });
});
