import type { AppConfig } from '@kpi/config';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type LoggerConfig = Pick<AppConfig, 'LOG_LEVEL' | 'NODE_ENV'> &
  Partial<Pick<AppConfig, 'LOG_FORMAT'>>;

export interface CreateLoggerOptions {
  /** Names the process in every line: `api`, `worker`, `cli`. */
  name?: string;
  /** Where lines go; defaults to `fd`. Given a stream, output is always JSON. */
  destination?: DestinationStream;
  /** 1 (stdout, the default) or 2 (stderr: a CLI keeps stdout for its results). */
  fd?: 1 | 2;
  /** Whether `fd` is a terminal; defaults to asking it. */
  isTty?: boolean;
}

/**
 * Credentials that must never reach a log line. pino-http logs request headers, and the
 * Authorization header carries a bearer token that would let anyone reading the logs act as
 * the caller until it expires.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Nest's start-up chatter, one line per module and per route (over 80 lines): at debug, so an
 * API start says what matters at info. `LOG_LEVEL=debug` shows them.
 */
const NEST_START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

const INFO = 30;

/**
 * Human-readable lines are for a person watching a terminal; everywhere else (CI, files, log
 * shippers) JSON lines are what tools can read. LOG_FORMAT says which when a terminal cannot be
 * seen: `npm start` sets `pretty` as its processes write through `concurrently`, a pipe.
 */
export function shouldPrettyPrint(
  config: Omit<LoggerConfig, 'LOG_LEVEL'>,
  isTty: boolean,
): boolean {
  if (config.LOG_FORMAT) return config.LOG_FORMAT === 'pretty';
  return config.NODE_ENV === 'development' && isTty;
}

/** The pino logger every process of kpi-ledger logs through. */
export function createLogger(config: LoggerConfig, options: CreateLoggerOptions = {}): Logger {
  const loggerOptions: LoggerOptions = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method, level) {
        const first: unknown = args[0];
        if (
          level === INFO &&
          typeof first === 'object' &&
          first !== null &&
          NEST_START_UP_CONTEXTS.has((first as { context?: unknown }).context as string)
        ) {
          return this.debug(...(args as Parameters<Logger['debug']>));
        }
        return method.apply(this, args);
      },
    },
    ...(options.name ? { name: options.name } : {}),
  };
  if (options.destination) return pino(loggerOptions, options.destination);

  const fd = options.fd ?? 1;
  const isTty = options.isTty ?? Boolean((fd === 2 ? process.stderr : process.stdout).isTTY);
  const pretty = shouldPrettyPrint(config, isTty) ? prettyStream(fd) : undefined;
  return pino(loggerOptions, pretty ?? pino.destination(fd));
}

/**
 * pino-pretty in this thread, writing synchronously: no worker thread to start, and no line
 * lost when a process exits right after logging. It is a dev dependency: where it is not
 * installed (a production image) the lines stay JSON.
 */
function prettyStream(fd: 1 | 2): DestinationStream | undefined {
  let pretty: typeof import('pino-pretty');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, loaded on demand
    pretty = require('pino-pretty') as typeof import('pino-pretty');
  } catch {
    return undefined;
  }
  return pretty({
    destination: fd,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    messageFormat: humanMessage,
    // Shown in the message; a request's headers stay in the JSON lines (LOG_FORMAT=json).
    ignore: 'pid,hostname,context,req,res,responseTime',
  });
}

/**
 * `[Main] kpi-ledger API listening …`: Nest's context leads the line rather than taking a line
 * of its own; a completed request reads `request completed GET /api/me → 200 in 4 ms`.
 */
function humanMessage(log: Record<string, unknown>, messageKey: string): string {
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  const req = log.req as { method?: string; url?: string } | undefined;
  const res = log.res as { statusCode?: number } | undefined;
  const request =
    req?.method && res?.statusCode
      ? ` ${req.method} ${req.url} → ${res.statusCode} in ${String(log.responseTime)} ms`
      : '';
  return `${context}${String(log[messageKey] ?? '')}${request}`;
}
