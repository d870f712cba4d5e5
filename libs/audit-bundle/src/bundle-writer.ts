import type { StoredEventRecord, StreamAnchor } from '@kpi/event-store';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  EVENTS_PATH,
  MANIFEST_PATH,
  manifestBytes,
  manifestOf,
  REPORT_PATH,
  SIGNATURE_PATH,
  STREAMS_PATH,
  type BundleFileEntry,
  type BundleManifest,
  type ManifestBase,
  type ManifestSignature,
  type StreamSummary,
} from './bundle-format';
import { BundleInputError, streamLine, writeEventsFile } from './bundle-events';
import { streamsMerkleRoot } from './merkle';
import type { BundleSigner } from './signing-keys';
import { USTAR_END, ustarHeader, ustarPadding } from './ustar';

/** A file the exporter adds (a CSV report): its content, or a file on disk to copy in. */
export type BundleAttachment =
  { path: string; content: string | Uint8Array } | { path: string; filePath: string };

export interface WriteBundleInput {
  manifestBase: ManifestBase;
  /** The scope's events recorded in the period, in global position order. */
  events: AsyncIterable<StoredEventRecord> | Iterable<StoredEventRecord>;
  /** Per stream with events before the period: its last event before it. */
  anchors: ReadonlyMap<string, StreamAnchor>;
  /**
   * The files added under reports/. A function is called once every event has been read, so
   * files derived from the bundle's own events (folded as they pass) can be added in one pass.
   */
  files?: readonly BundleAttachment[] | (() => Promise<readonly BundleAttachment[]>);
  signer: BundleSigner;
  /** Where events.ndjson is written before it goes into the archive (default: the OS's). */
  temporaryDirectory?: string;
}

/**
 * Writes an evidence bundle (.tar.gz) to `output` and returns its manifest. The events are
 * streamed into a temporary events.ndjson first — a tar entry states its size before its bytes,
 * and the manifest (the first entry) states that file's hash — so memory holds one summary per
 * stream, never the events. `output` is ended when the bundle is complete.
 */
export async function writeBundle(
  output: Writable,
  input: WriteBundleInput,
): Promise<BundleManifest> {
  const base = checkedManifestBase(input.manifestBase);
  const given = input.files ?? [];
  // Files given as they are are checked before any event is read; derived ones once all are.
  const givenNow = typeof given === 'function' ? [] : await describeAll(given);
  const directory = await mkdtemp(join(input.temporaryDirectory ?? tmpdir(), 'kpi-bundle-'));
  try {
    const eventsFile = join(directory, EVENTS_PATH);
    const written = await writeEventsFile(eventsFile, input.events, {
      tenantId: base.scope.tenantId,
      period: base.period,
      anchors: input.anchors,
    });
    const attachments = typeof given === 'function' ? await describeAll(await given()) : givenNow;
    const streamsEntry = describeStreams(written.summaries);
    const files: BundleFileEntry[] = [
      streamsEntry,
      { path: EVENTS_PATH, ...written.file },
      ...attachments.map(({ entry }) => entry),
    ];
    const manifest = manifestOf(base, {
      signingKey: input.signer.publicJwk,
      counts: {
        events: written.eventCount,
        streams: written.summaries.length,
        files: files.length,
      },
      streamsMerkleRoot: streamsMerkleRoot(written.summaries),
      files,
    });
    const manifestFile = manifestBytes(manifest);
    const signature: ManifestSignature = {
      keyId: input.signer.keyId,
      algorithm: 'Ed25519',
      signature: input.signer.sign(manifestFile).toString('base64'),
    };
    const modifiedAt = new Date(base.createdAt);
    async function* archive(): AsyncGenerator<Buffer> {
      yield* entry(MANIFEST_PATH, manifestFile.length, modifiedAt, [manifestFile]);
      const signatureFile = Buffer.from(`${JSON.stringify(signature)}\n`, 'utf8');
      yield* entry(SIGNATURE_PATH, signatureFile.length, modifiedAt, [signatureFile]);
      yield* entry(STREAMS_PATH, streamsEntry.size, modifiedAt, streamsChunks(written.summaries));
      yield* entry(EVENTS_PATH, written.file.size, modifiedAt, createReadStream(eventsFile));
      for (const attachment of attachments) {
        yield* entry(attachment.entry.path, attachment.entry.size, modifiedAt, attachment.bytes());
      }
      yield USTAR_END;
    }
    await pipeline(Readable.from(archive()), createGzip(), output);
    return manifest;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function describeAll(files: readonly BundleAttachment[]): Promise<DescribedAttachment[]> {
  return Promise.all(checkedAttachments(files).map(describe));
}

/** One tar entry: header, exactly `size` bytes of content, padding. */
async function* entry(
  path: string,
  size: number,
  modifiedAt: Date,
  content: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
): AsyncGenerator<Buffer> {
  yield ustarHeader(path, size, modifiedAt);
  let written = 0;
  for await (const chunk of content) {
    written += chunk.length;
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  }
  if (written !== size) {
    throw new BundleInputError(
      `${path} changed while the bundle was written (${written} bytes, not ${size})`,
    );
  }
  yield ustarPadding(size);
}

function* streamsChunks(summaries: readonly StreamSummary[]): Generator<Buffer> {
  const linesPerChunk = 1000;
  for (let start = 0; start < summaries.length; start += linesPerChunk) {
    yield Buffer.from(
      summaries
        .slice(start, start + linesPerChunk)
        .map((summary) => `${streamLine(summary)}\n`)
        .join(''),
      'utf8',
    );
  }
}

function describeStreams(summaries: readonly StreamSummary[]): BundleFileEntry {
  const hash = createHash('sha256');
  let size = 0;
  for (const chunk of streamsChunks(summaries)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { path: STREAMS_PATH, sha256: hash.digest('hex'), size };
}

interface DescribedAttachment {
  entry: BundleFileEntry;
  bytes(): AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>;
}

async function describe(attachment: BundleAttachment): Promise<DescribedAttachment> {
  if ('content' in attachment) {
    const content =
      typeof attachment.content === 'string'
        ? Buffer.from(attachment.content, 'utf8')
        : attachment.content;
    const sha256 = createHash('sha256').update(content).digest('hex');
    return {
      entry: { path: attachment.path, sha256, size: content.length },
      bytes: () => [content],
    };
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(attachment.filePath) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return {
    entry: { path: attachment.path, sha256: hash.digest('hex'), size },
    bytes: () => createReadStream(attachment.filePath),
  };
}

function checkedAttachments(files: readonly BundleAttachment[]): readonly BundleAttachment[] {
  const seen = new Set<string>();
  for (const file of files) {
    if (!REPORT_PATH.test(file.path)) {
      throw new BundleInputError(
        `A bundle file must be reports/ then a name of letters, digits, . _ or - (got "${file.path}")`,
      );
    }
    if (seen.has(file.path)) throw new BundleInputError(`${file.path} is given twice`);
    seen.add(file.path);
  }
  return files;
}

/** The base with its times written as Date.toISOString does, or why it is not a bundle's. */
function checkedManifestBase(base: ManifestBase): ManifestBase {
  const instant = (field: string, value: string) => {
    const time = Date.parse(value);
    if (Number.isNaN(time)) throw new BundleInputError(`${field} must be an ISO-8601 time`);
    return new Date(time).toISOString();
  };
  const period = {
    from: instant('period.from', base.period.from),
    to: instant('period.to', base.period.to),
  };
  if (!(Date.parse(period.from) < Date.parse(period.to))) {
    throw new BundleInputError('period.from must be before period.to');
  }
  if (base.scope.tenantId === '') throw new BundleInputError('scope.tenantId must not be empty');
  return {
    scope: {
      tenantId: base.scope.tenantId,
      serviceIds: base.scope.serviceIds === null ? null : [...base.scope.serviceIds],
    },
    period,
    requestedBy: base.requestedBy,
    grantId: base.grantId,
    createdAt: instant('createdAt', base.createdAt),
  };
}
