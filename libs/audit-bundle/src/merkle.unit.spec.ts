import { createHash } from 'node:crypto';
import type { StreamSummary } from './bundle-format';
import { compareStreamIds, merkleRoot, streamLeaf, streamsMerkleRoot } from './merkle';

const summary = (streamId: string, firstVersion: number, lastVersion: number, digit: string) =>
  ({
    streamId,
    previousHash: firstVersion === 1 ? '' : 'f'.repeat(64),
    firstVersion,
    firstHash: 'e'.repeat(64),
    lastVersion,
    lastHash: digit.repeat(64),
  }) satisfies StreamSummary;

const A = summary('a:1', 1, 3, '1');
const B = summary('b:2', 4, 4, '2');
const C = summary('c:3', 1, 1, '3');
const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

describe('the Merkle root over the streams', () => {
  // Computed independently with Python's hashlib and json (sort_keys, no spaces).
  it('matches the published vector for three streams', () => {
    expect(streamLeaf(A).toString('hex')).toBe(
      '92473a31e8915f1f1438f799d7d07b8947bd3df4dcb51f94f4831d65964652e0',
    );
    expect(streamsMerkleRoot([A, B, C])).toBe(
      '249fd9b32ef87d4ebef9ddcd702f64d9a6e9807592eaadf929b3ccff13dcab77',
    );
  });

  it('hashes a leaf as 0x00 then the canonical JSON of stream id, first and last version, last hash', () => {
    expect(streamLeaf(A)).toEqual(
      sha256(
        Buffer.from([0]),
        `{"firstVersion":1,"lastHash":"${'1'.repeat(64)}","lastVersion":3,"streamId":"a:1"}`,
      ),
    );
  });

  it('pairs neighbours from the left with 0x01 and carries an odd last node up unchanged', () => {
    const leaves = [A, B, C].map(streamLeaf);
    const node = (left: Buffer, right: Buffer) => sha256(Buffer.from([1]), left, right);
    expect(merkleRoot(leaves)).toBe(node(node(leaves[0]!, leaves[1]!), leaves[2]!).toString('hex'));
    expect(merkleRoot(leaves.slice(0, 1))).toBe(leaves[0]!.toString('hex'));
  });

  it('is the hash of nothing for a bundle without streams', () => {
    expect(streamsMerkleRoot([])).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('does not depend on the order the summaries come in', () => {
    expect(streamsMerkleRoot([C, A, B])).toBe(streamsMerkleRoot([A, B, C]));
  });

  it.each([
    ['stream id', { streamId: 'a:9' }],
    ['first version', { firstVersion: 2 }],
    ['last version', { lastVersion: 4 }],
    ['last hash', { lastHash: '9'.repeat(64) }],
  ])('changes when a stream’s %s changes', (_field, change) => {
    expect(streamsMerkleRoot([{ ...A, ...change }, B, C])).not.toBe(streamsMerkleRoot([A, B, C]));
  });

  it('sorts stream ids by their UTF-8 bytes, not by UTF-16 code units', () => {
    const ids = ['\u{1F600}', '\uFFFD', 'z', 'a'];
    expect([...ids].sort(compareStreamIds)).toEqual(['a', 'z', '\uFFFD', '\u{1F600}']);
  });

  it('orders any two ids as their UTF-8 bytes do (10,000 random pairs, every plane)', () => {
    // Units near the boundaries that matter: ASCII, U+D7FF, surrogates, U+E000–U+FFFF, astral.
    const pieces = [
      'a',
      'b',
      ':',
      '\uD7FF',
      '\uE000',
      '\uFFFD',
      '\uFFFF',
      '\u{10000}',
      '\u{1F600}',
      '\u{10FFFF}',
      'é',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const id = () =>
      Array.from(
        { length: 1 + Math.floor(random() * 4) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    const disagreements: string[][] = [];
    for (let i = 0; i < 10_000; i++) {
      const [a, b] = [id(), id()];
      const ours = Math.sign(compareStreamIds(a, b));
      if (ours !== Math.sign(Buffer.compare(bytes(a), bytes(b)))) disagreements.push([a, b]);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('the Merkle root built leaf by leaf', () => {
  /** The level-by-level pairing of the module's doc, written out plainly for comparison. */
  function levelByLevel(leaves: Buffer[]): string {
    if (leaves.length === 0) return sha256().toString('hex');
    let level = leaves;
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const right = level[i + 1];
        next.push(right === undefined ? level[i]! : sha256(Buffer.from([1]), level[i]!, right));
      }
      level = next;
    }
    return level[0]!.toString('hex');
  }

  it('gives the level-by-level root for every number of leaves from 0 to 70', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => sha256(`leaf ${i}`));
    for (let n = 0; n <= 70; n++) {
      expect(merkleRoot(leaves.slice(0, n))).toBe(levelByLevel(leaves.slice(0, n)));
    }
  });
});
