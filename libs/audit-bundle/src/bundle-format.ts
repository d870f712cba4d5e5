/**
 * The evidence bundle, version 1: a gzip of a POSIX ustar tar holding, in this order,
 *
 *   manifest.json       what the bundle is (scope, period, who asked, counts, Merkle root) and
 *                       every other file with its SHA-256 and size
 *   manifest.sig.json   an Ed25519 signature over the exact bytes of manifest.json
 *   streams.ndjson      one line per stream, sorted by stream id (UTF-8 bytes)
 *   events.ndjson       one line per event, in global position order
 *   reports/…           files the exporter adds (CSV)
 *
 * The lib README and docs/decisions/0031 describe each field; tools/verify-audit-bundle.mjs
 * checks a bundle with nothing but Node.
 */
export const BUNDLE_FORMAT = 'kpi-ledger-evidence-bundle/1';

export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig.json';
export const STREAMS_PATH = 'streams.ndjson';
export const EVENTS_PATH = 'events.ndjson';
/** An exporter's file: `reports/` then a plain name. */
export const REPORT_PATH = /^reports\/[A-Za-z0-9][A-Za-z0-9._-]{0,90}$/;

/** What the bundle covers. */
export interface BundleScope {
  tenantId: string;
  /** The services asked for; null: the whole organisation. */
  serviceIds: string[] | null;
}

/** Events recorded from `from` (inclusive) to `to` (exclusive), ISO-8601. */
export interface BundlePeriod {
  from: string;
  to: string;
}

/** What the exporter says about the bundle; the writer adds the rest. */
export interface ManifestBase {
  scope: BundleScope;
  period: BundlePeriod;
  /** Who asked for it: `user:<id>`. */
  requestedBy: string;
  /** The grant it was made under; null when the organisation exported its own trail. */
  grantId: string | null;
  /** ISO-8601. */
  createdAt: string;
}

/** An Ed25519 public key as a JSON Web Key (RFC 8037) with its key id. */
export interface Ed25519PublicJwk {
  kid: string;
  kty: 'OKP';
  crv: 'Ed25519';
  /** The 32-byte public key, base64url without padding. */
  x: string;
}

export interface BundleFileEntry {
  path: string;
  /** Lowercase hex. */
  sha256: string;
  size: number;
}

/** One stream's part of the bundle: what its first event chains to and where it ends. */
export interface StreamSummary {
  streamId: string;
  /** The hash of the stream's last event before the period; '' when it begins in the bundle. */
  previousHash: string;
  firstVersion: number;
  firstHash: string;
  lastVersion: number;
  lastHash: string;
}

export interface BundleManifest extends ManifestBase {
  format: typeof BUNDLE_FORMAT;
  /** The key that signed it (the key set published by the API holds it too). */
  signingKey: Ed25519PublicJwk;
  counts: { events: number; streams: number; files: number };
  /** Merkle root over the stream summaries (merkle.ts), lowercase hex. */
  streamsMerkleRoot: string;
  /** Every file of the bundle but the manifest and its signature. */
  files: BundleFileEntry[];
}

export interface ManifestSignature {
  keyId: string;
  algorithm: 'Ed25519';
  /** Base64 of the 64-byte signature over the bytes of manifest.json. */
  signature: string;
}

/** The manifest, its fields always in this order. */
export function manifestOf(
  base: ManifestBase,
  rest: Pick<BundleManifest, 'signingKey' | 'counts' | 'streamsMerkleRoot' | 'files'>,
): BundleManifest {
  return {
    format: BUNDLE_FORMAT,
    scope: { tenantId: base.scope.tenantId, serviceIds: base.scope.serviceIds },
    period: { from: base.period.from, to: base.period.to },
    requestedBy: base.requestedBy,
    grantId: base.grantId,
    createdAt: base.createdAt,
    signingKey: rest.signingKey,
    counts: rest.counts,
    streamsMerkleRoot: rest.streamsMerkleRoot,
    files: rest.files,
  };
}

/** The bytes of manifest.json: indented JSON (people read it), then a newline. */
export function manifestBytes(manifest: BundleManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}
