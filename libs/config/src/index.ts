export { loadConfig, ConfigError, type AppConfig } from './config';
export {
  DEVELOPMENT_SIGNING_KEY_ID,
  DEVELOPMENT_SIGNING_KEYS,
  type AuditSigningKeyConfig,
} from './audit-signing-keys';
