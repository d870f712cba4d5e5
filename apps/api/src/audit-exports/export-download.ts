import type { AppConfig } from '@kpi/config';
import type { AuditExportBundle } from '@kpi/features/audit-exports';
import { NotFoundException, StreamableFile } from '@nestjs/common';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { attachment } from '../http/csv';

/**
 * A finished export's bundle, opened for streaming from EXPORT_DIR (never read whole). A file
 * that is no longer there (removed by an operator) is a 404 naming the export.
 */
export async function bundleDownload(
  config: AppConfig,
  exportId: string,
  bundle: AuditExportBundle,
): Promise<StreamableFile> {
  let file;
  try {
    file = await open(join(config.EXPORT_DIR, bundle.fileName));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new NotFoundException(`The bundle of export ${exportId} is no longer kept`);
  }
  return new StreamableFile(file.createReadStream(), {
    type: 'application/gzip',
    disposition: attachment(bundle.fileName),
    length: bundle.sizeBytes,
  });
}

/** How OpenAPI describes a download. */
export const BUNDLE_RESPONSE = {
  description: `The bundle, a .tar.gz (attachment; filename="<exportId>.tar.gz"): manifest.json, manifest.sig.json, streams.ndjson, events.ndjson, reports/kpi-returns.csv, reports/capability-timeline.csv. Check it with \`node tools/verify-audit-bundle.mjs <file> --public-key <key set>\` (docs/audit-trail.md).`,
  content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } },
};

/** How OpenAPI describes the Location of a 202: the export's status. */
export const LOCATION = {
  Location: {
    description: "The export's status: poll it until `done`, then download …/bundle.",
    schema: { type: 'string', example: '/audit/exports/export-5b0c3e9d41a27f68' },
  },
};
