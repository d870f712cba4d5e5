#!/usr/bin/env node
/**
 * Checks a kpi-ledger evidence bundle with nothing but Node (18 or later) and this file:
 *
 *   node verify-audit-bundle.mjs bundle.tar.gz --public-key signing-keys.json
 *
 * `--public-key` takes the key set saved from GET /.well-known/kpi-ledger-signing-keys, one
 * key (JWK) or the key's 32 bytes in base64. Without it the signature is checked with the key
 * the bundle carries, which shows the bundle is as it was signed but not who signed it.
 *
 * It recomputes every file's SHA-256 and size against the manifest, every event's content hash
 * and chain link from its stream's anchor, each stream's summary, the Merkle root over the
 * streams and the Ed25519 signature over manifest.json. It prints what it checked, or the first
 * thing that does not hold (naming the event or the file) and exits with 1.
 *
 *   node verify-audit-bundle.mjs --canonical-json < values.ndjson
 *
 * writes the RFC 8785 canonical form of each JSON line it reads: step 1 of the recipe in
 * docs/audit-trail.md, for checking an event by hand.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';

const FORMAT = 'kpi-ledger-evidence-bundle/1';
const DEVELOPMENT_KEY_ID = 'development-only-not-secret';
const REPORT_PATH = /^reports\/[A-Za-z0-9][A-Za-z0-9._-]{0,90}$/;
const HEX_HASH = /^[0-9a-f]{64}$/;

export class CheckFailed extends Error {}
const fail = (message) => {
  throw new CheckFailed(message);
};

// --- RFC 8785 (JCS) canonical JSON, for the values JSON.parse gives ---------------------------

/** Strings by UTF-16 code units, as RFC 8785 §3.2.3 sorts object keys. */
function compareUtf16(a, b) {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // ECMAScript Number::toString, which JSON.stringify writes (and -0 as 0), as JCS requires.
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'string':
      // JSON.stringify escapes exactly what JCS escapes: " \ and control characters.
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const keys = Object.keys(value).sort(compareUtf16);
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} is not JSON`);
  }
}

export const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

// --- the recipe of docs/audit-trail.md ----------------------------------------------------------

export function contentHashOf(event) {
  const { tenantId, actor, correlationId, causationId, commandId } = event.metadata;
  return sha256Hex(
    canonicalJson({
      eventId: event.eventId,
      streamId: event.streamId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: { tenantId, actor, correlationId, causationId, commandId },
      effectiveAt: event.effectiveAt,
    }),
  );
}

export function chainHashOf(previousHash, event) {
  const { streamId, streamVersion, recordedAtMicros, contentHash } = event;
  return sha256Hex(
    `${previousHash}|${streamId}|${streamVersion}|${recordedAtMicros}|${contentHash}`,
  );
}

// --- the Merkle root over the streams (libs/audit-bundle/src/merkle.ts) ------------------------

export function streamsMerkleRoot(summaries) {
  let level = summaries.map((s) => {
    const { streamId, firstVersion, lastVersion, lastHash } = s;
    const text = canonicalJson({ streamId, firstVersion, lastVersion, lastHash });
    return createHash('sha256')
      .update(Buffer.from([0]))
      .update(text, 'utf8')
      .digest();
  });
  if (level.length === 0) return sha256Hex('');
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) next.push(level[i]);
      else
        next.push(
          createHash('sha256')
            .update(Buffer.from([1]))
            .update(level[i])
            .update(level[i + 1])
            .digest(),
        );
    }
    level = next;
  }
  return level[0].toString('hex');
}

// --- a ustar reader: regular files only ---------------------------------------------------------

function octal(block, offset, length, what) {
  const text = block
    .toString('latin1', offset, offset + length)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]+$/.test(text)) fail(`the archive has a header whose ${what} is not an octal number`);
  return parseInt(text, 8);
}

function readHeader(block) {
  const field = (offset, length) => {
    const bytes = block.subarray(offset, offset + length);
    const end = bytes.indexOf(0);
    return bytes.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  if (octal(block, 148, 8, 'checksum') !== sum) fail('the archive has a damaged header (checksum)');
  if (!block.toString('latin1', 257, 262).startsWith('ustar'))
    fail('the archive is not a ustar tar');
  const prefix = field(345, 155);
  const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
  if (block[156] !== 0x30 && block[156] !== 0)
    fail(`the archive holds "${name}", which is not a plain file`);
  return { name, size: octal(block, 124, 12, 'size') };
}

/** Feeds each file of a gzipped tar to `open(name, size)` → { data(chunk), end() }. */
async function readTarGz(path, open) {
  const gunzip = createGunzip();
  createReadStream(path)
    .on('error', (error) => gunzip.destroy(error))
    .pipe(gunzip);
  let carry = Buffer.alloc(0);
  let sink = null;
  let remaining = 0;
  let padding = 0;
  let ended = false;
  try {
    for await (const piece of gunzip) {
      const chunk = carry.length > 0 ? Buffer.concat([carry, piece]) : piece;
      carry = Buffer.alloc(0);
      let at = 0;
      while (at < chunk.length) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length - at);
          await sink.data(chunk.subarray(at, at + take));
          at += take;
          remaining -= take;
          if (remaining === 0) await sink.end();
        } else if (padding > 0) {
          const skip = Math.min(padding, chunk.length - at);
          at += skip;
          padding -= skip;
        } else if (ended) {
          if (chunk.subarray(at).some((byte) => byte !== 0))
            fail('the archive has data after its end');
          at = chunk.length;
        } else if (chunk.length - at < 512) {
          carry = chunk.subarray(at);
          at = chunk.length;
        } else {
          const block = chunk.subarray(at, at + 512);
          at += 512;
          if (block.every((byte) => byte === 0)) {
            ended = true;
            continue;
          }
          const { name, size } = readHeader(block);
          sink = await open(name, size);
          remaining = size;
          padding = (512 - (size % 512)) % 512;
          if (size === 0) await sink.end();
        }
      }
    }
  } catch (error) {
    if (error instanceof CheckFailed) throw error;
    fail(`${path} is not a readable .tar.gz (${error.message})`);
  }
  if (!ended || remaining > 0 || carry.length > 0) fail('the archive is cut short');
}

/** Splits a file's bytes into lines (UTF-8 may straddle chunks; \n never does). */
function lineSink(onLine) {
  let rest = Buffer.alloc(0);
  let number = 0;
  return {
    data(chunk) {
      let buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let newline;
      while ((newline = buffer.indexOf(0x0a)) !== -1) {
        onLine(buffer.subarray(0, newline).toString('utf8'), ++number);
        buffer = buffer.subarray(newline + 1);
      }
      rest = Buffer.from(buffer);
    },
    end() {
      if (rest.length > 0) fail(`line ${number + 1} does not end with a newline`);
    },
  };
}

// --- the checks ---------------------------------------------------------------------------------

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    return fail(`${what} is not valid JSON`);
  }
}

/** An Ed25519 public key from its JWK `x`, or why not. */
function ed25519Key(x, where) {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch {
    return fail(`${where} does not hold a usable Ed25519 public key`);
  }
}

function publicKeyFrom(argument, keyId) {
  if (!existsSync(argument)) {
    const raw = Buffer.from(argument, 'base64');
    if (raw.length !== 32)
      fail('--public-key is neither a file nor the base64 of a 32-byte Ed25519 key');
    return {
      key: ed25519Key(raw.toString('base64url'), '--public-key'),
      source: 'given on the command line',
    };
  }
  const document = parseJson(readFileSync(argument, 'utf8'), argument);
  const candidate = Array.isArray(document?.keys)
    ? document.keys.find((k) => k?.kid === keyId)
    : document;
  if (typeof candidate !== 'object' || candidate === null)
    fail(`the key set in ${argument} has no key "${keyId}", the one that signed the bundle`);
  if (candidate.kid !== undefined && candidate.kid !== keyId) {
    fail(`${argument} holds key "${candidate.kid}", but the bundle was signed with "${keyId}"`);
  }
  if (candidate.kty !== 'OKP' || candidate.crv !== 'Ed25519')
    fail(`${argument} does not hold an Ed25519 key`);
  return { key: ed25519Key(candidate.x, argument), source: `from ${argument}` };
}

function checkManifest(manifest) {
  if (manifest?.format !== FORMAT) fail(`manifest.json is not a ${FORMAT} manifest`);
  const { scope, period, files, counts } = manifest;
  if (typeof scope?.tenantId !== 'string') fail('manifest.json names no tenant');
  if (Number.isNaN(Date.parse(period?.from)) || Number.isNaN(Date.parse(period?.to))) {
    fail('manifest.json has no period from/to');
  }
  if (
    !Array.isArray(files) ||
    files[0]?.path !== 'streams.ndjson' ||
    files[1]?.path !== 'events.ndjson'
  ) {
    fail('manifest.json must list streams.ndjson, then events.ndjson, then any reports');
  }
  const paths = new Set();
  for (const file of files) {
    if (paths.has(file.path)) fail(`manifest.json lists ${file.path} twice`);
    paths.add(file.path);
    if (paths.size > 2 && !REPORT_PATH.test(String(file.path)))
      fail(`manifest.json lists an unexpected file ${file.path}`);
    if (!HEX_HASH.test(file.sha256) || !Number.isSafeInteger(file.size))
      fail(`manifest.json lists ${file.path} without a SHA-256 and size`);
  }
  if (counts?.files !== files.length)
    fail(`manifest.json counts ${counts?.files} files but lists ${files.length}`);
}

export async function verifyBundle(path, options = {}) {
  const report = {
    files: 0,
    events: 0,
    streams: 0,
    anchored: 0,
    signedBy: null,
    keySource: null,
    manifest: null,
  };
  const declared = new Map(); // streamId → the line of streams.ndjson
  const seen = new Map(); // streamId → { version, hash } of its last event so far
  let lastDeclared = null;
  let manifestBytes = null;
  let manifest = null;
  let fileIndex = 0;
  let lastPosition = -Infinity;
  let fromMicros = 0n;
  let toMicros = 0n;

  const checkEvent = (line, number) => {
    const at = `events.ndjson line ${number}`;
    const e = parseJson(line, at);
    const ok =
      Number.isSafeInteger(e?.globalPosition) &&
      typeof e.eventId === 'string' &&
      typeof e.streamId === 'string' &&
      Number.isSafeInteger(e.streamVersion) &&
      typeof e.type === 'string' &&
      Number.isSafeInteger(e.schemaVersion) &&
      'data' in e &&
      typeof e.metadata === 'object' &&
      e.metadata !== null &&
      typeof e.recordedAt === 'string' &&
      (e.effectiveAt === null || typeof e.effectiveAt === 'string') &&
      /^-?\d+$/.test(e.recordedAtMicros) &&
      [e.contentHash, e.previousHash, e.hash].every((h) => typeof h === 'string');
    if (!ok) fail(`${at} is not an event with every stored field`);
    const name = `event ${e.eventId} (stream ${e.streamId}, version ${e.streamVersion})`;
    if (!(e.globalPosition > lastPosition)) fail(`${name} is out of global position order`);
    lastPosition = e.globalPosition;
    if (e.metadata.tenantId !== manifest.scope.tenantId)
      fail(`${name} belongs to tenant "${e.metadata.tenantId}", not the bundle's`);
    const micros = BigInt(e.recordedAtMicros);
    if (micros < fromMicros || micros >= toMicros)
      fail(`${name} was recorded outside the bundle's period`);
    if (Date.parse(e.recordedAt) !== Number(micros / 1000n))
      fail(`${name}: recordedAt and recordedAtMicros differ`);
    if (contentHashOf(e) !== e.contentHash)
      fail(`${name}: its content does not match its content hash`);
    const stream = declared.get(e.streamId);
    if (!stream) fail(`${name}: its stream is not in streams.ndjson`);
    const before = seen.get(e.streamId) ?? {
      version: stream.firstVersion - 1,
      hash: stream.previousHash,
    };
    if (e.streamVersion !== before.version + 1)
      fail(`${name} should be version ${before.version + 1} (an event is missing or out of order)`);
    if (e.previousHash !== before.hash) {
      fail(
        `${name}: its previous hash is not the hash of the ${seen.has(e.streamId) ? 'event before it' : "stream's anchor"}`,
      );
    }
    if (chainHashOf(before.hash, e) !== e.hash)
      fail(`${name}: its hash does not match the recomputed chain link`);
    if (!seen.has(e.streamId) && e.hash !== stream.firstHash)
      fail(`stream ${e.streamId}: its first hash differs from streams.ndjson`);
    seen.set(e.streamId, { version: e.streamVersion, hash: e.hash });
    report.events += 1;
  };

  const checkStream = (line, number) => {
    const s = parseJson(line, `streams.ndjson line ${number}`);
    const ok =
      typeof s?.streamId === 'string' &&
      Number.isSafeInteger(s.firstVersion) &&
      Number.isSafeInteger(s.lastVersion) &&
      s.firstVersion >= 1 &&
      s.lastVersion >= s.firstVersion &&
      HEX_HASH.test(s.firstHash) &&
      HEX_HASH.test(s.lastHash) &&
      (s.firstVersion === 1 ? s.previousHash === '' : HEX_HASH.test(s.previousHash));
    if (!ok) fail(`streams.ndjson line ${number} is not a stream summary`);
    if (
      lastDeclared !== null &&
      Buffer.compare(Buffer.from(lastDeclared), Buffer.from(s.streamId)) >= 0
    ) {
      fail(
        `streams.ndjson line ${number}: stream ids are not in order (UTF-8 bytes) or appear twice`,
      );
    }
    declared.set(s.streamId, s);
    lastDeclared = s.streamId;
    if (s.firstVersion > 1) report.anchored += 1;
  };

  const openFile = (name, size) => {
    const listed = manifest.files[fileIndex++];
    if (!listed || listed.path !== name)
      fail(`the bundle holds ${name} where the manifest lists ${listed?.path ?? 'nothing more'}`);
    const hash = createHash('sha256');
    let length = 0;
    const lines =
      name === 'events.ndjson'
        ? lineSink(checkEvent)
        : name === 'streams.ndjson'
          ? lineSink(checkStream)
          : null;
    return {
      data(chunk) {
        hash.update(chunk);
        length += chunk.length;
        lines?.data(chunk);
      },
      end() {
        lines?.end();
        if (hash.digest('hex') !== listed.sha256 || length !== size || size !== listed.size) {
          fail(`${name} does not match its SHA-256 and size in the manifest`);
        }
        report.files += 1;
        if (name === 'streams.ndjson') {
          if (streamsMerkleRoot([...declared.values()]) !== manifest.streamsMerkleRoot) {
            fail("the Merkle root of streams.ndjson does not match the manifest's");
          }
          if (declared.size !== manifest.counts.streams)
            fail(
              `streams.ndjson holds ${declared.size} streams; the manifest counts ${manifest.counts.streams}`,
            );
        }
        if (name === 'events.ndjson') {
          for (const [streamId, s] of declared) {
            const last = seen.get(streamId);
            if (last?.version !== s.lastVersion || last.hash !== s.lastHash) {
              fail(
                `stream ${streamId}: its events end at ${last ? `version ${last.version}` : 'nothing'}, not where streams.ndjson says`,
              );
            }
          }
          if (report.events !== manifest.counts.events)
            fail(
              `events.ndjson holds ${report.events} events; the manifest counts ${manifest.counts.events}`,
            );
        }
      },
    };
  };

  const collect = (onEnd) => {
    const chunks = [];
    return {
      data: (chunk) => void chunks.push(Buffer.from(chunk)),
      end: () => onEnd(Buffer.concat(chunks)),
    };
  };

  const checkSignature = (bytes) => {
    const signature = parseJson(bytes.toString('utf8'), 'manifest.sig.json');
    if (signature?.algorithm !== 'Ed25519' || typeof signature.keyId !== 'string') {
      fail('manifest.sig.json is not an Ed25519 signature');
    }
    const raw = Buffer.from(String(signature.signature), 'base64');
    if (raw.length !== 64 || raw.toString('base64') !== signature.signature) {
      fail('manifest.sig.json: the signature is not the base64 of 64 bytes');
    }
    const { key, source } = options.publicKey
      ? publicKeyFrom(options.publicKey, signature.keyId)
      : keyCarried(manifestBytes, signature.keyId);
    if (!verify(null, manifestBytes, key, raw)) {
      fail(
        `the signature in manifest.sig.json does not hold for manifest.json (key "${signature.keyId}")`,
      );
    }
    manifest = parseJson(manifestBytes.toString('utf8'), 'manifest.json');
    checkManifest(manifest);
    report.signedBy = signature.keyId;
    report.keySource = source;
    fromMicros = BigInt(Date.parse(manifest.period.from)) * 1000n;
    toMicros = BigInt(Date.parse(manifest.period.to)) * 1000n;
  };

  await readTarGz(path, (name, size) => {
    if (manifestBytes === null) {
      if (name !== 'manifest.json') fail(`the bundle must begin with manifest.json, not ${name}`);
      return collect((bytes) => void (manifestBytes = bytes));
    }
    if (manifest === null) {
      if (name !== 'manifest.sig.json')
        fail(`manifest.sig.json must follow manifest.json, not ${name}`);
      return collect(checkSignature);
    }
    return openFile(name, size);
  });
  if (report.signedBy === null) fail('the bundle has no manifest.json and manifest.sig.json');
  if (fileIndex < manifest.files.length)
    fail(`the manifest lists ${manifest.files[fileIndex].path}, which is not in the bundle`);
  report.streams = declared.size;
  report.manifest = manifest;
  return report;
}

/** The key manifest.json carries: it shows the bundle is as signed, not who signed it. */
function keyCarried(manifestBytes, keyId) {
  const key = parseJson(manifestBytes.toString('utf8'), 'manifest.json')?.signingKey;
  if (key?.kid !== keyId || key.kty !== 'OKP' || key.crv !== 'Ed25519') {
    fail(`manifest.json does not carry the key "${keyId}" that signed it`);
  }
  return {
    key: ed25519Key(key.x, 'manifest.json'),
    source: 'carried by the bundle itself (pass --public-key to check who signed it)',
  };
}

// --- the command --------------------------------------------------------------------------------

function summary(path, r) {
  const { scope, period, streamsMerkleRoot: root } = r.manifest;
  const services =
    scope.serviceIds === null ? 'all services' : `services ${scope.serviceIds.join(', ')}`;
  const lines = [
    `${path}: every check holds.`,
    `  signature  Ed25519 over manifest.json by key "${r.signedBy}", ${r.keySource}`,
    `  scope      tenant ${scope.tenantId} (${services}), recorded from ${period.from} to before ${period.to}`,
    `  files      ${r.files} files match their SHA-256 and size in the manifest`,
    `  events     ${r.events} events: content hashes and chain links recomputed, in order, all in scope and period`,
    `  streams    ${r.streams} streams (${r.anchored} continuing from before the period) end where streams.ndjson says`,
    `  merkle     root ${root} over the streams matches the manifest`,
  ];
  if (r.signedBy === DEVELOPMENT_KEY_ID)
    lines.push(
      '  WARNING    signed with the published development key: anyone can make such a bundle',
    );
  return `${lines.join('\n')}\n`;
}

async function canonicalLines() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const output = input
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => canonicalJson(JSON.parse(line)));
  process.stdout.write(output.map((line) => `${line}\n`).join(''));
}

async function main(args) {
  if (args[0] === '--canonical-json') return canonicalLines();
  const keyAt = args.indexOf('--public-key');
  const publicKey = keyAt === -1 ? undefined : args[keyAt + 1];
  const paths = args.filter((_, i) => keyAt === -1 || (i !== keyAt && i !== keyAt + 1));
  if (paths.length !== 1 || (keyAt !== -1 && !publicKey)) {
    process.stderr.write(
      'usage: node verify-audit-bundle.mjs bundle.tar.gz [--public-key <key set .json | JWK .json | base64>]\n',
    );
    process.exitCode = 2;
    return;
  }
  try {
    process.stdout.write(summary(paths[0], await verifyBundle(paths[0], { publicKey })));
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    process.stdout.write(`${paths[0]}: FAILED — ${error.message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
