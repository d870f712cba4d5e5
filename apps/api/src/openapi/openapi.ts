import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';
export const BEARER_SCHEME = 'bearer';

/**
 * Serves the OpenAPI document at /api/docs-json and its UI at /api/docs. These routes are
 * mounted on Fastify directly, outside Nest's guards: they are public by construction.
 * Call before `app.init()`.
 */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('kpi-ledger API')
      .setDescription(
        'Event-sourced performance management for UK social care. Every endpoint except /health ' +
          'and these docs needs a bearer JWT; its tenant claim scopes everything. Errors are ' +
          'RFC 9457 application/problem+json. See docs/api.md.',
      )
      .setVersion('0.1.0')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'HS256 JWT with tenant and roles claims',
        },
        BEARER_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
  });
}
