import type { AppConfig } from '@kpi/config';
import { PayloadTooLargeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../infrastructure/injection-tokens';

/** What marks a route whose body is a file, read whole as it came (a Buffer). */
const FILE_UPLOAD = 'fileUpload';

/**
 * Marks an endpoint that takes a file as its body, of any content type (evidence:
 * docs/decisions/0040). Elsewhere a body of a type the API does not read stays unread.
 */
export const FileUploadBody = () => RouteConfig({ [FILE_UPLOAD]: true });

/**
 * Bodies of the types no other parser reads (PDF, images, Word, plain text,
 * application/octet-stream…): on a route marked {@link FileUploadBody}, read whole as a Buffer,
 * up to EVIDENCE_MAX_BYTES (413 beyond, without reading on); on any other route not read, as
 * before (the handler sees no body). CSV and Excel bodies are read by the returns import's
 * parsers, as Buffers too.
 */
export function useFileUploadBodies(app: NestFastifyApplication): void {
  const { EVIDENCE_MAX_BYTES: maxBytes } = app.get<AppConfig>(APP_CONFIG);
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser('*', (request: FastifyRequest, payload, done) => {
      const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
      if (config?.[FILE_UPLOAD] !== true) return done(null, undefined);
      const chunks: Buffer[] = [];
      let received = 0;
      let finished = false;
      const finish = (error: Error | null, body?: Buffer) => {
        if (finished) return;
        finished = true;
        done(error, body);
      };
      payload.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          payload.removeAllListeners('data');
          payload.resume();
          return finish(
            new PayloadTooLargeException(
              `The file is larger than the largest accepted, ${maxBytes} bytes`,
            ),
          );
        }
        chunks.push(chunk);
      });
      payload.on('end', () => finish(null, Buffer.concat(chunks)));
      payload.on('error', (error) => finish(error));
    });
}
