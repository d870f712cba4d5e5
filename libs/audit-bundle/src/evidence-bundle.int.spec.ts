import { DEVELOPMENT_SIGNING_KEYS } from '@kpi/config';
import {
  EventTypeRegistry,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  readStoredEventsRecorded,
  readStoredStream,
  readStreamAnchors,
  type RecordedPeriod,
  type StoredEventRecord,
} from '@kpi/event-store';
import { createTestDatabase, runBundleVerifier, waitFor, type TestDatabase } from '@kpi/testing';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Pool } from 'pg';
import { BundleInputError, SigningKeyRing, writeBundle, type WriteBundleInput } from '.';
import { USTAR_END, ustarHeader, ustarPadding } from './ustar';

const TENANT = 'provider-acme';
const HOME_1 = 'return:provider-acme:home-1';
const HOME_2 = 'return:provider-acme:home-2';
const REPORT = 'service,score\nhome-1,87.5\nhome-2,\n';

let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let directory: string;
let period: RecordedPeriod;
let bundle: string;
let keySetFile: string;
const keys = SigningKeyRing.fromConfig([{ keyId: 'evidence-2026', privateKeyPem: freshKeyPem() }]);

beforeAll(async () => {
  database = await createTestDatabase('audit_bundle');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(
    pool,
    new EventTypeRegistry([{ type: 'ReturnRecorded', schemaVersion: 1 }]),
  );
  directory = await mkdtemp(join(tmpdir(), 'evidence-bundle-spec-'));

  await append(HOME_1, { score: 80 });
  await append(HOME_1, { score: 81 });
  const from = await databaseClockPastTheLastEvent();
  await append(HOME_1, { score: 87.5, home: 'Tŷ Gwyn' });
  await append(HOME_1, { score: 90 }, { effectiveAt: new Date('2026-03-31T23:00:00.000Z') });
  await append(HOME_2, { note: 'first return, "quoted"\n' });
  await append('return:provider-other:home-9', { score: 1 }, { tenantId: 'provider-other' });
  const to = await databaseClockPastTheLastEvent();
  await append(HOME_1, { score: 99 });
  period = { tenantId: TENANT, recordedFrom: from, recordedBefore: to };

  bundle = join(directory, 'bundle.tar.gz');
  await writeTestBundle(bundle);
  keySetFile = join(directory, 'kpi-ledger-signing-keys.json');
  await writeFile(keySetFile, JSON.stringify(keys.jwks()));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  await database.drop();
});

describe('an evidence bundle of stored events', () => {
  it('passes the standalone verifier, checked with the published key set', async () => {
    const run = await runBundleVerifier([bundle, '--public-key', keySetFile]);

    expect(run.stdout).toContain(`${bundle}: every check holds.`);
    expect(run.stdout).toContain(`by key "evidence-2026", from ${keySetFile}`);
    expect(run.stdout).toContain('3 files match their SHA-256 and size in the manifest');
    expect(run.stdout).toContain('3 events: content hashes and chain links recomputed');
    expect(run.stdout).toContain('2 streams (1 continuing from before the period)');
    expect(run.exitCode).toBe(0);
  });

  it("holds the tenant's events recorded in the period, as stored, each stream from its anchor", async () => {
    const files = tarFiles(gunzipSync(await readFile(bundle)));
    const home1 = await readStoredStream(pool, HOME_1);
    const [home2] = await readStoredStream(pool, HOME_2);

    expect([...files.keys()]).toEqual([
      'manifest.json',
      'manifest.sig.json',
      'streams.ndjson',
      'events.ndjson',
      'reports/returns.csv',
    ]);
    expect(lines(files.get('events.ndjson')!)).toEqual([home1[2], home1[3], home2]);
    expect(home1[2]!.effectiveAt).toBeNull();
    expect(home1[3]!.effectiveAt).toBe('2026-03-31T23:00:00.000Z');
    expect(lines(files.get('streams.ndjson')!)).toEqual([
      {
        streamId: HOME_1,
        previousHash: home1[1]!.hash,
        firstVersion: 3,
        firstHash: home1[2]!.hash,
        lastVersion: 4,
        lastHash: home1[3]!.hash,
      },
      {
        streamId: HOME_2,
        previousHash: '',
        firstVersion: 1,
        firstHash: home2!.hash,
        lastVersion: 1,
        lastHash: home2!.hash,
      },
    ]);
    expect(files.get('reports/returns.csv')!.toString()).toBe(REPORT);
    expect(JSON.parse(files.get('manifest.json')!.toString())).toMatchObject({
      format: 'kpi-ledger-evidence-bundle/1',
      scope: { tenantId: TENANT, serviceIds: null },
      period: { from: period.recordedFrom.toISOString(), to: period.recordedBefore.toISOString() },
      requestedBy: 'user:inspector-7',
      grantId: null,
      signingKey: { kid: 'evidence-2026', kty: 'OKP', crv: 'Ed25519' },
      counts: { events: 3, streams: 2, files: 3 },
      streamsMerkleRoot: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('verifies without a key given against the key it carries, and says that proves no origin', async () => {
    const run = await runBundleVerifier([bundle]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('carried by the bundle itself (pass --public-key');
  });

  it('fails against another key published under the same key id', async () => {
    const other = SigningKeyRing.fromConfig([
      { keyId: 'evidence-2026', privateKeyPem: freshKeyPem() },
    ]);
    const otherKeySet = join(directory, 'other-keys.json');
    await writeFile(otherKeySet, JSON.stringify(other.jwks()));

    const run = await runBundleVerifier([bundle, '--public-key', otherKeySet]);

    expect(run.stdout).toContain(
      'FAILED — the signature in manifest.sig.json does not hold for manifest.json (key "evidence-2026")',
    );
    expect(run.exitCode).toBe(1);
  });

  it('warns that a bundle signed with the development key proves nothing', async () => {
    const path = join(directory, 'development.tar.gz');
    await writeTestBundle(path, {
      signer: SigningKeyRing.fromConfig(DEVELOPMENT_SIGNING_KEYS).current,
    });
    const run = await runBundleVerifier([path]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('WARNING    signed with the published development key');
  });
});

describe('files derived from the events', () => {
  it('are asked for once every event has been read, and signed like the others', async () => {
    const seen: string[] = [];
    async function* watched() {
      for await (const event of readStoredEventsRecorded(pool, period, { pageSize: 2 })) {
        seen.push(event.eventId);
        yield event;
      }
    }
    const path = join(directory, 'derived.tar.gz');
    let seenWhenAsked: number | null = null;
    await writeTestBundle(path, {
      events: watched(),
      files: async () => {
        seenWhenAsked = seen.length;
        return [{ path: 'reports/event-ids.csv', content: `${seen.join('\n')}\n` }];
      },
    });

    expect(seenWhenAsked).toBe(3);
    const files = tarFiles(gunzipSync(await readFile(path)));
    expect(files.get('reports/event-ids.csv')!.toString()).toBe(`${seen.join('\n')}\n`);
    const run = await runBundleVerifier([path, '--public-key', keySetFile]);
    expect(run.stdout).toContain('3 files match their SHA-256 and size in the manifest');
    expect(run.exitCode).toBe(0);
  });

  it('are refused by the same rules as files given at once', async () => {
    await expect(
      writeTestBundle(join(directory, 'x.tar.gz'), {
        files: async () => [{ path: 'elsewhere/a.csv', content: '' }],
      }),
    ).rejects.toThrow(BundleInputError);
  });
});

describe('a changed byte', () => {
  it.each<
    [
      string,
      (tar: Buffer, home1: StoredEventRecord[]) => void,
      (home1: StoredEventRecord[]) => string,
    ]
  >([
    [
      "in an event's data",
      (tar) => replaceOnce(tar, '"home":"Tŷ Gwyn"', '"home":"Tŷ Gwyo"'),
      (home1) =>
        `event ${home1[2]!.eventId} (stream ${HOME_1}, version 3): its content does not match its content hash`,
    ],
    [
      "in an event's hash",
      (tar, home1) =>
        replaceOnce(tar, `"hash":"${home1[3]!.hash}"`, `"hash":"${flipped(home1[3]!.hash)}"`),
      (home1) =>
        `event ${home1[3]!.eventId} (stream ${HOME_1}, version 4): its hash does not match the recomputed chain link`,
    ],
    [
      "in an event's previous hash",
      (tar, home1) =>
        replaceOnce(
          tar,
          `"previousHash":"${home1[1]!.hash}"`,
          `"previousHash":"${flipped(home1[1]!.hash)}"`,
          'events.ndjson',
        ),
      (home1) =>
        `event ${home1[2]!.eventId} (stream ${HOME_1}, version 3): its previous hash is not the hash of the stream's anchor`,
    ],
    [
      'in the manifest',
      (tar) =>
        replaceOnce(tar, '"requestedBy": "user:inspector-7"', '"requestedBy": "user:inspector-8"'),
      () =>
        'the signature in manifest.sig.json does not hold for manifest.json (key "evidence-2026")',
    ],
    [
      'in a report',
      (tar) => replaceOnce(tar, 'home-1,87.5', 'home-1,88.5'),
      () => 'reports/returns.csv does not match its SHA-256 and size in the manifest',
    ],
    [
      'in the signature',
      (tar) => {
        const signature = /"signature":"([A-Za-z0-9+/=]+)"/.exec(tar.toString('latin1'))![1]!;
        const first = signature[0] === 'A' ? 'B' : 'A';
        replaceOnce(
          tar,
          `"signature":"${signature}"`,
          `"signature":"${first}${signature.slice(1)}"`,
        );
      },
      () =>
        'the signature in manifest.sig.json does not hold for manifest.json (key "evidence-2026")',
    ],
    [
      "in a stream's summary",
      (tar, home1) =>
        replaceOnce(
          tar,
          `"lastHash":"${home1[3]!.hash}"`,
          `"lastHash":"${flipped(home1[3]!.hash)}"`,
        ),
      () => 'streams.ndjson does not match its SHA-256 and size in the manifest',
    ],
  ])('%s fails the verifier, which names what changed', async (label, change, message) => {
    const home1 = await readStoredStream(pool, HOME_1);
    const tar = gunzipSync(await readFile(bundle));
    change(tar, home1);
    const path = join(directory, `${label.replaceAll(/\W+/g, '-')}.tar.gz`);
    await writeFile(path, gzipSync(tar));

    const run = await runBundleVerifier([path, '--public-key', keySetFile]);

    expect(run.stdout).toBe(`${path}: FAILED — ${message(home1)}\n`);
    expect(run.exitCode).toBe(1);
  });
});

describe('the verifier also fails', () => {
  it('when an event is taken out, naming the event after the gap', async () => {
    const home1 = await readStoredStream(pool, HOME_1);
    const files = tarFiles(gunzipSync(await readFile(bundle)));
    const events = files.get('events.ndjson')!.toString('utf8').split('\n');
    files.set('events.ndjson', Buffer.from(events.slice(1).join('\n')));
    const path = join(directory, 'event-taken-out.tar.gz');
    await writeFile(path, gzipSync(tarOf(files)));

    const run = await runBundleVerifier([path, '--public-key', keySetFile]);

    expect(run.stdout).toContain(
      `FAILED — event ${home1[3]!.eventId} (stream ${HOME_1}, version 4) should be version 3 (an event is missing or out of order)`,
    );
    expect(run.exitCode).toBe(1);
  });

  it('against a key set without the key that signed it', async () => {
    const keySet = join(directory, 'no-such-key.json');
    await writeFile(keySet, JSON.stringify({ keys: [] }));
    const run = await runBundleVerifier([bundle, '--public-key', keySet]);
    expect(run.stdout).toContain(
      `FAILED — the key set in ${keySet} has no key "evidence-2026", the one that signed the bundle`,
    );
    expect(run.exitCode).toBe(1);
  });

  it('on a file that is not a bundle', async () => {
    const path = join(directory, 'not-a-bundle.tar.gz');
    await writeFile(path, 'manifest.json');
    const run = await runBundleVerifier([path]);
    expect(run.stdout).toContain(`FAILED — ${path} is not a readable .tar.gz`);
    expect(run.exitCode).toBe(1);
  });
});

describe('the writer refuses what would not verify', () => {
  it("another tenant's event, naming it", async () => {
    const [theirs] = await readStoredStream(pool, 'return:provider-other:home-9');
    await expect(
      writeTestBundle(join(directory, 'x.tar.gz'), { events: [theirs!] }),
    ).rejects.toThrow(
      new BundleInputError(
        `event ${theirs!.eventId} (stream return:provider-other:home-9, version 1) belongs to tenant "provider-other", not "${TENANT}"`,
      ),
    );
  });

  it('a stream whose first event does not follow on from its anchor', async () => {
    const home1 = await readStoredStream(pool, HOME_1);
    await expect(
      writeTestBundle(join(directory, 'x.tar.gz'), { events: [home1[3]!], anchors: new Map() }),
    ).rejects.toThrow(
      'version 4) should be version 1: the stream has no anchor, so it must begin in the bundle',
    );
  });

  it('an event recorded outside the period', async () => {
    const home1 = await readStoredStream(pool, HOME_1);
    await expect(
      writeTestBundle(join(directory, 'x.tar.gz'), { events: [home1[4]!] }),
    ).rejects.toThrow(/version 5\) was recorded at .*, outside the period/);
  });
});

async function writeTestBundle(path: string, overrides: Partial<WriteBundleInput> = {}) {
  return writeBundle(createWriteStream(path), {
    manifestBase: {
      scope: { tenantId: TENANT, serviceIds: null },
      period: { from: period.recordedFrom.toISOString(), to: period.recordedBefore.toISOString() },
      requestedBy: 'user:inspector-7',
      grantId: null,
      createdAt: '2026-07-01T09:00:00.000Z',
    },
    events: readStoredEventsRecorded(pool, period, { pageSize: 2 }),
    anchors: await readStreamAnchors(pool, period),
    files: [{ path: 'reports/returns.csv', content: REPORT }],
    signer: keys.current,
    temporaryDirectory: directory,
    ...overrides,
  });
}

async function append(
  streamId: string,
  data: Record<string, unknown>,
  options: { effectiveAt?: Date; tenantId?: string } = {},
): Promise<void> {
  await store.append(
    streamId,
    [
      {
        eventId: randomUUID(),
        type: 'ReturnRecorded',
        data,
        metadata: {
          tenantId: options.tenantId ?? TENANT,
          actor: 'user:manager-3',
          correlationId: randomUUID(),
          causationId: null,
          commandId: randomUUID(),
        },
        effectiveAt: options.effectiveAt,
      },
    ],
    'any',
  );
}

/** A time the database clock has reached, later than every event recorded so far. */
async function databaseClockPastTheLastEvent(): Promise<Date> {
  const { rows } = await pool.query<{ last: Date }>('SELECT max(recorded_at) AS last FROM events');
  return waitFor(
    async () => {
      const now = await pool.query<{ now: Date }>(
        `SELECT date_trunc('milliseconds', clock_timestamp()) AS now`,
      );
      return now.rows[0]!.now > rows[0]!.last ? now.rows[0]!.now : null;
    },
    { description: 'the database clock to pass the last recorded event', intervalMs: 1 },
  );
}

function freshKeyPem(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/** The files of a ustar archive (what this spec's bundles hold: plain files, short names). */
function tarFiles(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const name = tar.toString('utf8', at, at + 100).replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('latin1', at + 124, at + 135), 8);
    files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** A ustar archive of the files, in their order. */
function tarOf(files: Map<string, Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of files) {
    parts.push(
      ustarHeader(name, content.length, new Date()),
      content,
      ustarPadding(content.length),
    );
  }
  return Buffer.concat([...parts, USTAR_END]);
}

function lines(file: Buffer): unknown[] {
  return file
    .toString('utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as unknown);
}

/** Replaces the one occurrence of `from` (in one file of the archive, if named) by `to`, in place. */
function replaceOnce(tar: Buffer, from: string, to: string, inFile?: string): void {
  const start = inFile === undefined ? 0 : tar.indexOf(`${inFile}\0`);
  const end = inFile === undefined ? tar.length : tar.indexOf('\0'.repeat(512), start + 512);
  const at = tar.indexOf(from, start);
  expect(at).toBeGreaterThan(-1);
  expect(at + from.length).toBeLessThanOrEqual(end);
  expect(tar.subarray(0, end).indexOf(from, at + 1)).toBe(-1);
  expect(Buffer.byteLength(to)).toBe(Buffer.byteLength(from));
  tar.write(to, at);
}

function flipped(hash: string): string {
  return `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`;
}
