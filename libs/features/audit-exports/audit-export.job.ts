import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeBundle, type BundleSigner } from '@kpi/audit-bundle';
import { endOfLondonDay, londonInstant } from '@kpi/domain';
import {
  readStoredEventsRecorded,
  readStreamAnchors,
  type RecordedPeriod,
  type StoredEventRecord,
} from '@kpi/event-store';
import type { Pool } from 'pg';
import type { AuditExportBundle } from './audit-export';
import { ExportReports } from './audit-export-reports';
import { exportStreams } from './audit-export-scope';
import {
  findAuditExport,
  markDone,
  markRunning,
  recordCounted,
  recordProgress,
} from './audit-exports.table';

/** What the export job needs: the database, the signing key, where bundles go. */
export interface AuditExportJobOptions {
  pool: Pool;
  signer: BundleSigner;
  /** EXPORT_DIR: created if missing; the bundle's temporary events file is written here too. */
  exportDirectory: string;
  clock?: () => Date;
}

export interface ExportProgress {
  eventsDone: number;
  eventsTotal: number;
}

/** Progress is saved about a hundred times an export, and never more often than this. */
const MIN_EVENTS_BETWEEN_PROGRESS = 1000;

/**
 * Carries out an export: counts the events in scope (one grouped query), then streams the
 * tenant's events recorded in the period, keeping those of the streams in scope, into a signed
 * bundle with the anchors of those streams and the CSV reports derived from the same events,
 * saving progress as it goes (and telling `onProgress`). The bundle is written to a temporary
 * file beside its final name and renamed once complete, so a failed or retried attempt never
 * leaves a partial bundle where a download would find it. An export already done, or gone,
 * is left as it is. Returns the bundle, or null when there was nothing to do.
 */
export async function runAuditExport(
  options: AuditExportJobOptions,
  exportId: string,
  onProgress: (progress: ExportProgress) => Promise<unknown> = async () => undefined,
): Promise<AuditExportBundle | null> {
  const { pool, exportDirectory } = options;
  const clock = options.clock ?? (() => new Date());
  const found = await findAuditExport(pool, exportId);
  if (!found || found.status === 'done') return null;
  await markRunning(pool, exportId, clock());

  const period: RecordedPeriod = {
    tenantId: found.tenantId,
    recordedFrom: londonInstant(found.period.from, '00:00'),
    recordedBefore: endOfLondonDay(found.period.to),
  };
  const { eventsByStream, eventsTotal } = await exportStreams(pool, period, found.serviceIds);
  await recordCounted(pool, exportId, { eventsTotal, streams: eventsByStream.size });
  await onProgress({ eventsDone: 0, eventsTotal });
  const anchors = new Map(
    [...(await readStreamAnchors(pool, period))].filter(([streamId]) =>
      eventsByStream.has(streamId),
    ),
  );

  const reports = new ExportReports();
  const progressEvery = Math.max(MIN_EVENTS_BETWEEN_PROGRESS, Math.ceil(eventsTotal / 100));
  async function* eventsInScope(): AsyncGenerator<StoredEventRecord> {
    let eventsDone = 0;
    for await (const event of readStoredEventsRecorded(pool, period)) {
      if (!eventsByStream.has(event.streamId)) continue;
      reports.add(event);
      yield event;
      eventsDone += 1;
      if (eventsDone % progressEvery === 0) {
        await recordProgress(pool, exportId, eventsDone);
        await onProgress({ eventsDone, eventsTotal });
      }
    }
  }

  await mkdir(exportDirectory, { recursive: true });
  const fileName = `${exportId}.tar.gz`;
  const partial = join(exportDirectory, `${fileName}.${randomUUID()}.partial`);
  try {
    const written = await writeHashed(partial, (output) =>
      writeBundle(output, {
        manifestBase: {
          scope: { tenantId: found.tenantId, serviceIds: found.serviceIds },
          period: {
            from: period.recordedFrom.toISOString(),
            to: period.recordedBefore.toISOString(),
          },
          requestedBy: found.requestedBy,
          grantId: found.grantId,
          createdAt: clock().toISOString(),
        },
        events: eventsInScope(),
        anchors,
        files: async () => reports.files(),
        signer: options.signer,
        temporaryDirectory: exportDirectory,
      }),
    );
    await rename(partial, join(exportDirectory, fileName));
    const bundle: AuditExportBundle = {
      fileName,
      sizeBytes: written.sizeBytes,
      sha256: written.sha256,
      streamsMerkleRoot: written.result.streamsMerkleRoot,
      events: written.result.counts.events,
      streams: written.result.counts.streams,
    };
    await markDone(pool, exportId, { ...bundle, finishedAt: clock() });
    await onProgress({ eventsDone: bundle.events, eventsTotal: bundle.events });
    return bundle;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Runs `write` into a new file at `path`, hashing what it writes (SHA-256) and counting it. */
async function writeHashed<Result>(
  path: string,
  write: (output: Writable) => Promise<Result>,
): Promise<{ result: Result; sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  const stored = pipeline(hashing, createWriteStream(path));
  let result: Result;
  try {
    result = await write(hashing);
  } catch (error) {
    hashing.destroy(error as Error);
    await stored.catch(() => undefined);
    throw error;
  }
  await stored;
  return { result, sha256: hash.digest('hex'), sizeBytes };
}
