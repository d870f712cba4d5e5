import { createApp, type CreateAppOptions } from '../../../apps/api/src/app.factory';
import { mintToken } from '@kpi/auth';
import { loadConfig, type AppConfig } from '@kpi/config';
import type { Role } from '@kpi/domain';
import {
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type AppendResult,
  type NewEvent,
} from '@kpi/event-store';
import { createTestDatabase, deleteRedisKeys, type TestDatabase } from '@kpi/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Pool } from 'pg';
import request from 'supertest';

export const JWT_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';
export const PROBLEM_JSON = /^application\/problem\+json; charset=utf-8$/;

/** The event type fixtures write. The app's own registry does not know it: reading needs no registration. */
export const FIXTURE_EVENT_TYPE = 'AuditFixtureRecorded';

export interface ApiUnderTest {
  app: INestApplication;
  config: AppConfig;
  database: TestDatabase;
  /** A pool of the test's own, for fixtures and checks behind the API's back. */
  pool: Pool;
  /** Appends fixture events (its registry knows {@link FIXTURE_EVENT_TYPE}). */
  store: PostgresEventStore;
  /** Every log line the app wrote, parsed. */
  logLines: Record<string, unknown>[];
  http(): ReturnType<typeof request>;
  /** Moves the clock commands read (`null`: back to the real time). */
  setNow(now: Date | null): void;
  tokenFor(principal: {
    tenantId: string;
    roles: Role[];
    userId?: string;
    managerId?: string;
  }): string;
  /** Appends `count` fixture events to a stream of the tenant, one append each. */
  appendFixtures(streamId: string, tenantId: string, count: number): Promise<AppendResult[]>;
  close(): Promise<void>;
}

/**
 * The real API (createApp) on a database of its own, migrated, with Redis of this machine.
 * One per spec file: `beforeAll(start)`, `afterAll(close)`.
 */
export async function startApiUnderTest(
  label: string,
  options: CreateAppOptions & {
    /** Settings over the defaults; a function gets the test's database (to reach it by a proxy). */
    env?: Record<string, string> | ((database: TestDatabase) => Record<string, string>);
  } = {},
): Promise<ApiUnderTest> {
  const database = await createTestDatabase(label);
  const pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    JWT_SECRET,
    DATABASE_URL: database.url,
    REDIS_URL: 'redis://127.0.0.1:6379',
    // Its own BullMQ keys: /health counts only this test's deadline jobs.
    BULLMQ_PREFIX: `e2e-${randomUUID().slice(0, 8)}`,
    ...(typeof options.env === 'function' ? options.env(database) : options.env),
  });
  const logLines: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  let fixedNow: Date | null = null;
  const app = await createApp(config, {
    ...options,
    logDestination,
    clock: () => fixedNow ?? new Date(),
  });
  const store = new PostgresEventStore(
    pool,
    new EventTypeRegistry([{ type: FIXTURE_EVENT_TYPE, schemaVersion: 1 }]),
  );

  return {
    app,
    config,
    database,
    pool,
    store,
    logLines,
    http: () => request(app.getHttpServer()),
    setNow(now) {
      fixedNow = now;
    },
    tokenFor: ({ tenantId, roles, userId = 'user-e2e', managerId }) =>
      mintToken({
        secret: JWT_SECRET,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        subject: userId,
        tenantId,
        roles,
        ...(managerId === undefined ? {} : { managerId }),
        expiresInSeconds: 600,
      }),
    async appendFixtures(streamId, tenantId, count) {
      const results: AppendResult[] = [];
      for (let n = 1; n <= count; n++) {
        results.push(await store.append(streamId, [fixtureEvent(tenantId, { n })], 'any'));
      }
      return results;
    },
    async close() {
      await app.close();
      await database.drop();
      await deleteRedisKeys(config.BULLMQ_PREFIX);
    },
  };
}

export function fixtureEvent(tenantId: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: FIXTURE_EVENT_TYPE,
    data,
    metadata: {
      tenantId,
      actor: 'user:fixture',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
  };
}

export function uniqueStreamId(label: string): string {
  return `${label}:${randomUUID()}`;
}
