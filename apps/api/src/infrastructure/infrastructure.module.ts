import type { AppConfig } from '@kpi/config';
import {
  createPostgresPool,
  EventTypeRegistry,
  PostgresEventStore,
  type EventStore,
} from '@kpi/event-store';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PersonalDataVault } from '@kpi/personal-data';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { eventTypeRegistry } from '@kpi/runtime';
import {
  APP_CONFIG,
  CLOCK,
  EVENT_STORE,
  EVENT_TYPE_REGISTRY,
  PERSONAL_DATA_VAULT,
  PG_POOL,
  REDIS,
} from './injection-tokens';

/** Closes the connections the API opened, so a shutdown leaves nothing half-open. */
@Injectable()
class ConnectionsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // A lazy client that never connected has nothing to QUIT, and QUIT would connect first.
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
    await this.pool.end();
  }
}

/**
 * The outside world the API talks to: configuration, PostgreSQL, the event store, the
 * personal-data vault, Redis.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: AppConfig, clock: () => Date = () => new Date()): DynamicModule {
    const logger = new Logger(InfrastructureModule.name);
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: PG_POOL,
          useFactory: (): Pool => {
            const pool = createPostgresPool({
              connectionString: config.DATABASE_URL,
              max: config.PG_POOL_MAX,
              idleInTransactionTimeoutMs: config.IDLE_IN_TRANSACTION_TIMEOUT_MS,
              applicationName: 'kpi-ledger-api',
            });
            // An idle client dies when PostgreSQL restarts; unhandled, that would end the process.
            pool.on('error', (error) =>
              logger.warn(`Idle PostgreSQL client failed: ${error.message}`),
            );
            return pool;
          },
        },
        {
          provide: EVENT_TYPE_REGISTRY,
          useFactory: () => eventTypeRegistry(),
        },
        {
          provide: EVENT_STORE,
          useFactory: (pool: Pool, registry: EventTypeRegistry): EventStore =>
            new PostgresEventStore(pool, registry),
          inject: [PG_POOL, EVENT_TYPE_REGISTRY],
        },
        {
          provide: PERSONAL_DATA_VAULT,
          useFactory: (pool: Pool) => new PersonalDataVault(pool, config.PERSONAL_DATA_KEY),
          inject: [PG_POOL],
        },
        {
          provide: REDIS,
          useFactory: (): Redis => {
            const redis = new Redis(config.REDIS_URL, {
              lazyConnect: true,
              // Fail a command quickly while Redis is away instead of queueing it for ever;
              // /health reports the outage. (BullMQ will use connections of its own.)
              maxRetriesPerRequest: 1,
              connectTimeout: 2_000,
            });
            redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
            return redis;
          },
        },
        { provide: CLOCK, useValue: clock },
        ConnectionsLifecycle,
      ],
      exports: [
        APP_CONFIG,
        PG_POOL,
        EVENT_TYPE_REGISTRY,
        EVENT_STORE,
        PERSONAL_DATA_VAULT,
        REDIS,
        CLOCK,
      ],
    };
  }
}
