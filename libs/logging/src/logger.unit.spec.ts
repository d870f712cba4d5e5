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
    ['development', undefined, true, true],
    ['development', undefined, false, false],
    ['production', undefined, true, false],
    ['test', undefined, true, false],
    // `npm start` runs the processes behind `concurrently`, a pipe: it says so with LOG_FORMAT.
    ['development', 'pretty', false, true],
    ['production', 'json', true, false],
    ['development', 'json', true, false],
  ] as const)(
    'NODE_ENV=%s LOG_FORMAT=%s on a terminal=%s: %s',
    (nodeEnv, format, isTty, expected) => {
      expect(shouldPrettyPrint({ NODE_ENV: nodeEnv, LOG_FORMAT: format }, isTty)).toBe(expected);
    },
  );
});

describe("Nest's start-up lines", () => {
  it('are logged at debug, not info: one line per route would flood every start', () => {
    const { destination, lines } = collectLines();
    const logger = createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'production' }, { destination });
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/me, GET} route');
    logger.info({ context: 'RoutesResolver' }, 'MeController {/api/me}:');
    logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
    logger.info({ context: 'Main' }, 'kpi-ledger API listening on port 3000');
    expect(lines.map((line) => line.msg)).toEqual(['kpi-ledger API listening on port 3000']);
  });

  it('show with LOG_LEVEL=debug', () => {
    const { destination, lines } = collectLines();
    const logger = createLogger({ LOG_LEVEL: 'debug', NODE_ENV: 'production' }, { destination });
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/me, GET} route');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        context: 'RouterExplorer',
        msg: 'Mapped {/api/me, GET} route',
      }),
    ]);
  });
});
