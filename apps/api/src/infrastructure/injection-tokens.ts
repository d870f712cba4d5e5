/**
 * Injection tokens for what the API gets from outside Nest. Symbols, so two tokens never
 * collide by name; each is typed where it is provided (infrastructure.module.ts).
 */

/** The validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('AppConfig');
/** The node-postgres `Pool` shared by the event store and read models. */
export const PG_POOL = Symbol('PgPool');
/** The event types this process may append: an `EventTypeRegistry`. */
export const EVENT_TYPE_REGISTRY = Symbol('EventTypeRegistry');
/** The `EventStore` port; the PostgreSQL adapter behind it. */
export const EVENT_STORE = Symbol('EventStore');
/** An ioredis client. */
export const REDIS = Symbol('Redis');
/** The clock commands read `now` from: `() => Date`. */
export const CLOCK = Symbol('Clock');
/** The personal-data vault (libs/personal-data) on the pool, with the configured master key. */
export const PERSONAL_DATA_VAULT = Symbol('PersonalDataVault');
