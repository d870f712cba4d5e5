import type { AppConfig } from '@kpi/config';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import {
  createHttpAdapter,
  useBodyParsers,
  useCompression,
  usePagePlugins,
} from './http/fastify-platform';
import { setupOpenApi } from './openapi/openapi';

export type CreateAppOptions = AppModuleOptions;

/**
 * The API, fully configured and initialised but not listening: main.ts calls `listen`, e2e
 * tests hand `app.getHttpServer()` to supertest, so both run the same pipes, guards and filters.
 * Global pipe, filter and guards are providers of AppModule; this adds what lives on the app.
 */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    createHttpAdapter(),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  useBodyParsers(app);
  await useCompression(app);
  await usePagePlugins(app);
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.init();
  // Fastify serves requests once its plugins are loaded: before this, the server of
  // `app.getHttpServer()` (which supertest listens on) would answer none.
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
