import type { EventStore, GlobalCheckpoint } from '@kpi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { EVENT_STORE, PG_POOL, REDIS } from '../infrastructure/injection-tokens';
import type {
  DependencyCheckDto,
  HealthReportDto,
  OverallStatus,
  ProjectionLagDto,
} from './health-report.dto';

/** A health check answers in time even when a dependency hangs rather than refuses. */
const CHECK_TIMEOUT_MS = 2_000;
/** Checkpoints of projections are named `projection:<name>` (the worker writes them). */
const PROJECTION_CHECKPOINT_PREFIX = 'projection:';

@Injectable()
export class HealthService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
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
    const projections = database.status === 'up' ? await this.projectionLagOrNone() : [];
    return { status: overallStatus(database, redis), checks: { database, redis, projections } };
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
