import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBodyParser } from 'fastify';

export const CSV_CONTENT_TYPE = 'text/csv';
export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The largest returns file the API takes: about two years of a council's monthly returns as CSV.
 * Larger files go through the CLI (`import-returns`), which reads them from disk.
 */
export const IMPORT_BODY_LIMIT_BYTES = 20 * 1024 * 1024;

/** CSV and Excel request bodies handed to the handler as they came, as a Buffer. */
export function useReturnsFileBodyParsers(app: NestFastifyApplication): void {
  const raw: FastifyBodyParser<Buffer> = (_request, body, done) => done(null, body);
  for (const type of [CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE])
    app.useBodyParser(type, { bodyLimit: IMPORT_BODY_LIMIT_BYTES }, raw);
}
