export {
  createLogger,
  shouldPrettyPrint,
  REDACTED_PATHS,
  type LoggerConfig,
  type CreateLoggerOptions,
} from './logger';
export type { Logger } from 'pino';
