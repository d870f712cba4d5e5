import type { AppConfig } from '@kpi/config';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type LoggerConfig = Pick<AppConfig, 'LOG_LEVEL' | 'NODE_ENV'>;

export interface CreateLoggerOptions {
  /** Names the process in every line: `api`, `worker`, `cli`. */
  name?: string;
  /** Where lines go; defaults to stdout. Given a stream, output is always JSON. */
  destination?: DestinationStream;
  /** Whether stdout is a terminal; defaults to `process.stdout.isTTY`. */
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
 * Human-readable output is for a developer watching a terminal; everywhere else (CI, files,
 * log shippers) JSON lines are what tools can read.
 */
export function shouldPrettyPrint(nodeEnv: LoggerConfig['NODE_ENV'], isTty: boolean): boolean {
  return nodeEnv === 'development' && isTty;
}

/** The pino logger every process of kpi-ledger logs through. */
export function createLogger(config: LoggerConfig, options: CreateLoggerOptions = {}): Logger {
  const loggerOptions: LoggerOptions = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.name ? { name: options.name } : {}),
  };
  if (options.destination) return pino(loggerOptions, options.destination);

  const isTty = options.isTty ?? Boolean(process.stdout.isTTY);
  if (shouldPrettyPrint(config.NODE_ENV, isTty)) {
    // pino-pretty is a dev dependency: it is only loaded here, in development on a terminal.
    return pino({
      ...loggerOptions,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(loggerOptions);
}
