import type { AppConfig } from '@kpi/config';
import type { EventStore, GlobalCheckpoint } from '@kpi/event-store';
import { CALL_OFF_QUEUE } from '@kpi/features/call-off';
import { DEADLINE_QUEUE } from '@kpi/features/deadlines';
import { NOTIFICATION_QUEUE } from '@kpi/features/notifications';
import { queueCounts } from '@kpi/scheduling';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { APP_CONFIG, EVENT_STORE, PG_POOL, REDIS } from '../infrastructure/injection-tokens';
import type {
  DependencyCheckDto,
  HealthReportDto,
  OverallStatus,
  ProjectionLagDto,
  QueueCountsDto,
} from './health-report.dto';

/** A health check answers in time even when a dependency hangs rather than refuses. */
const CHECK_TIMEOUT_MS = 2_000;
/** Checkpoints of projections are named `projection:<name>` (the worker writes them). */
const PROJECTION_CHECKPOINT_PREFIX = 'projection:';

@Injectable()
export class HealthService implements OnModuleDestroy {
  /** The BullMQ queues /health counts, opened on first use. */
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {
    logger.setContext(HealthService.name);
  }

  async check(): Promise<HealthReportDto> {
    const [database, redis] = await Promise.all([
      this.timed('database', () => this.pool.query('SELECT 1')),
      this.timed('redis', () => this.redis.ping()),
    ]);
    const [projections, deadlines, callOff, notifications] = await Promise.all([
      database.status === 'up' ? this.projectionLagOrNone() : [],
      redis.status === 'up' ? this.queueCountsOrNone(DEADLINE_QUEUE) : null,
      redis.status === 'up' ? this.queueCountsOrNone(CALL_OFF_QUEUE) : null,
      redis.status === 'up' ? this.queueCountsOrNone(NOTIFICATION_QUEUE) : null,
    ]);
    return {
      status: overallStatus(database, redis),
      checks: { database, redis, projections, queues: { deadlines, callOff, notifications } },
    };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Waiting, delayed, active, failed and completed jobs of a queue (null when they cannot be read). */
  private async queueCountsOrNone(name: string): Promise<QueueCountsDto | null> {
    try {
      let queue = this.queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: this.redis, prefix: this.config.BULLMQ_PREFIX });
        this.queues.set(name, queue);
      }
      return await queueCounts(queue);
    } catch (error) {
      this.logger.warn({ err: error }, `Could not read the ${name} queue`);
      return null;
    }
  }

  private async projectionLagOrNone(): Promise<ProjectionLagDto[]> {
    try {
      return await this.projectionLag();
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not read the projection checkpoints');
      return [];
    }
  }

  private async projectionLag(): Promise<ProjectionLagDto[]> {
    const { rows } = await this.pool.query<{
      name: string;
      transaction_id: string;
      global_position: string;
    }>(
      `SELECT name, transaction_id::text, global_position FROM checkpoints
        WHERE starts_with(name, $1) ORDER BY name`,
      [PROJECTION_CHECKPOINT_PREFIX],
    );
    return Promise.all(
      rows.map(async (row) => {
        const checkpoint: GlobalCheckpoint = {
          transactionId: Number(row.transaction_id),
          globalPosition: Number(row.global_position),
        };
        return {
          name: row.name.slice(PROJECTION_CHECKPOINT_PREFIX.length),
          eventsBehind: await this.eventStore.countEventsAfter(checkpoint),
          checkpoint,
        };
      }),
    );
  }

  private async timed(name: string, probe: () => Promise<unknown>): Promise<DependencyCheckDto> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
            CHECK_TIMEOUT_MS,
          );
        }),
      ]);
      return { status: 'up', latencyMs: elapsedSince(started) };
    } catch (error) {
      // The reason stays in the log: /health is public and must not describe the internals.
      this.logger.warn({ err: error }, `Health check of ${name} failed`);
      return { status: 'down', latencyMs: elapsedSince(started) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function overallStatus(database: DependencyCheckDto, redis: DependencyCheckDto): OverallStatus {
  if (database.status === 'down') return 'down';
  return redis.status === 'up' ? 'ok' : 'degraded';
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
