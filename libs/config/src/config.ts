import { z } from 'zod';
import {
  auditSigningKeysSchema,
  DEVELOPMENT_SIGNING_KEYS,
  isDevelopmentKey,
  type AuditSigningKeyConfig,
} from './audit-signing-keys';

/**
 * Everything kpi-ledger reads from its environment, validated once at start.
 * A wrong value stops the process with a message naming the variable and what is expected.
 */
const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a whole number from ${min} to ${max} (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    })
    .describe(name);

const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a URL (got "${value}")` });
        return z.NEVER;
      }
      if (!protocols.includes(parsed.protocol)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must start with ${protocols.join(' or ')} (got "${parsed.protocol}")`,
        });
        return z.NEVER;
      }
      return value;
    });

/** An optional http(s) origin, no path: undefined when unset or empty. */
const origin = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      let parsed: URL;
      try {
        parsed = new URL(raw.trim());
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a URL (got "${raw}")` });
        return z.NEVER;
      }
      if (!['http:', 'https:'].includes(parsed.protocol) || parsed.pathname !== '/') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be an http:// or https:// address with no path, like https://kpi.example.org (got "${raw}")`,
        });
        return z.NEVER;
      }
      return parsed.origin;
    });

/**
 * The development and test stand-in for PERSONAL_DATA_KEY (32 bytes, base64): public, so never
 * accepted in production, where data sealed with it could be read by anyone with the database.
 */
export const DEVELOPMENT_PERSONAL_DATA_KEY = Buffer.from(
  'kpi-ledger development only key!',
).toString('base64');

/** 32 bytes in base64 (or base64url): an AES-256 key. */
const isAes256Key = (raw: string) =>
  /^[A-Za-z0-9+/_-]{43}=?$/.test(raw) && Buffer.from(raw, 'base64').length === 32;

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/kpi_ledger'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** The prefix of every BullMQ key: one per deployment (and per test) sharing a Redis. */
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1 to 40 lowercase letters, digits, - or _')
    .default('kpi'),
  EVENTSTORE_URL: z.string().optional(),
  JWT_SECRET: z
    .string({ required_error: 'is required: a random string of at least 32 characters' })
    .min(32, 'must be at least 32 characters long (HS256 needs a strong secret)'),
  /**
   * The master key of the personal-data vault (libs/personal-data): it wraps each data subject's
   * key and is never stored in the database. Required in production; elsewhere a public
   * development key stands in.
   */
  PERSONAL_DATA_KEY: z
    .string()
    .optional()
    .refine(
      (raw) => raw === undefined || raw.trim() === '' || isAes256Key(raw.trim()),
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    ),
  JWT_ISSUER: z.string().min(1).default('kpi-ledger'),
  JWT_AUDIENCE: z.string().min(1).default('kpi-ledger'),
  PORT: integer('PORT', 1, 65535, 3000),
  /**
   * Where people's browsers reach this service, e.g. https://kpi.example.org (behind a proxy
   * that ends TLS): the address identity providers send them back to. Unset: the address the
   * request came to.
   */
  PUBLIC_BASE_URL: origin(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` or `json`; unset: pretty in development on a terminal, JSON everywhere else. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  PG_POOL_MAX: integer('PG_POOL_MAX', 1, 500, 10),
  IDLE_IN_TRANSACTION_TIMEOUT_MS: integer(
    'IDLE_IN_TRANSACTION_TIMEOUT_MS',
    1000,
    3_600_000,
    30_000,
  ),
  PROJECTION_BATCH_SIZE: integer('PROJECTION_BATCH_SIZE', 1, 100_000, 2_000),
  PROJECTION_IDLE_POLL_MS: integer('PROJECTION_IDLE_POLL_MS', 5, 60_000, 50),
  /**
   * Where the export job writes evidence bundles (created if missing; relative to the working
   * directory). The API reads them from there to serve downloads: both must see the same one.
   */
  EXPORT_DIR: z.string().trim().min(1, 'must be a directory path').default('./var/exports'),
  /** How many days an export's bundle is kept after it was made; the worker then deletes it. */
  EXPORT_RETENTION_DAYS: integer('EXPORT_RETENTION_DAYS', 1, 3650, 30),
  /** The largest evidence file accepted, in bytes (docs/decisions/0040): 10 MB by default. */
  EVIDENCE_MAX_BYTES: integer('EVIDENCE_MAX_BYTES', 1, 100 * 1024 * 1024, 10 * 1024 * 1024),
  /** Ed25519 keys evidence bundles are signed with; the first signs, the others only verify. */
  AUDIT_SIGNING_KEYS: auditSigningKeysSchema,
  /** How often the worker seals the log (signs the Merkle root of every stream's head). */
  SEAL_INTERVAL_MINUTES: integer('SEAL_INTERVAL_MINUTES', 1, 1440, 60),
  /** A file each seal is appended to, as a JSON line: keep it on storage apart from the database. */
  SEAL_FILE: z
    .string()
    .optional()
    .transform((raw) => (raw?.trim() ? raw.trim() : undefined)),
  /**
   * The SMTP server notifications are emailed through (docs/decisions/0036), e.g.
   * smtp://127.0.0.1:2525 or smtps://user:password@smtp.example.org. Unset: notifications are
   * kept in the web pages only (the worker says so at start).
   */
  SMTP_URL: z
    .string()
    .optional()
    .transform((raw) => (raw?.trim() ? raw.trim() : undefined))
    .refine(
      (raw) => raw === undefined || /^smtps?:\/\/[^\s/]+/.test(raw),
      'must be an smtp:// or smtps:// address',
    ),
  /** The From of notification emails; its domain names their Message-IDs. */
  MAIL_FROM: z
    .string()
    .trim()
    .regex(
      /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/,
      'must be an email address, e.g. KPI ledger <kpi@example.org>',
    )
    .default('KPI ledger <notifications@kpi-ledger.invalid>'),
  /** A URL each seal is POSTed to, as JSON (an archive or timestamping service). */
  SEAL_WEBHOOK_URL: z
    .string()
    .optional()
    .transform((raw) => (raw?.trim() ? raw.trim() : undefined))
    .refine(
      (raw) => raw === undefined || /^https?:\/\/[^\s/]+/.test(raw),
      'must be an http:// or https:// address',
    ),
});

/**
 * Settings that depend on another: without `AUDIT_SIGNING_KEYS` a development or test machine
 * signs with the development key (anyone can forge it), and without `PERSONAL_DATA_KEY` seals
 * personal data with the public development key; production refuses to start without either.
 */
const configSchema = environmentSchema.transform((config, ctx) => {
  const keys = config.AUDIT_SIGNING_KEYS;
  if (config.NODE_ENV === 'production') {
    if (!config.PERSONAL_DATA_KEY?.trim()) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['PERSONAL_DATA_KEY'],
        message:
          'is required in production: 32 random bytes in base64 (openssl rand -base64 32), kept apart from database backups',
      });
    }
    if (keys === null) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['AUDIT_SIGNING_KEYS'],
        message:
          'is required in production: a JSON list of {"keyId", "privateKeyPem"} (Ed25519; the first signs)',
      });
      return z.NEVER;
    }
    if (keys.some(isDevelopmentKey)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['AUDIT_SIGNING_KEYS'],
        message: 'must not hold the development key in production (anyone can derive it)',
      });
      return z.NEVER;
    }
  }
  return {
    ...config,
    AUDIT_SIGNING_KEYS: (keys ?? DEVELOPMENT_SIGNING_KEYS) as readonly AuditSigningKeyConfig[],
    PERSONAL_DATA_KEY: config.PERSONAL_DATA_KEY?.trim() || DEVELOPMENT_PERSONAL_DATA_KEY,
  };
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws {@link ConfigError} listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new ConfigError(problems);
}
