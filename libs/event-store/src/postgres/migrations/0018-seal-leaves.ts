import type { Migration } from './migration';

/**
 * Each stream's head at the last seal, with its Merkle leaf (issue 18): a seal hashes only the
 * leaves of the streams that moved and reads the others from here in the tree's order (the
 * UTF-8 bytes of the id: collation "C"), page by page, instead of reading every head kept since
 * the first seal, sorting them and hashing each again. `seal_heads` stays the record a seal is
 * verified against; this table is derived from it, written in the seal's own transaction.
 * Heads sealed before it existed come without a leaf (null); the next seal computes them.
 */
export const sealLeavesMigration: Migration = {
  id: '0018_seal_leaves',
  sql: /* sql */ `
CREATE TABLE seal_leaves (
  stream_id  text COLLATE "C" PRIMARY KEY,
  version    bigint NOT NULL,
  hash       text   NOT NULL,
  leaf       bytea
);
CREATE INDEX seal_leaves_without_leaf ON seal_leaves (stream_id) WHERE leaf IS NULL;
INSERT INTO seal_leaves (stream_id, version, hash)
SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM seal_heads
 ORDER BY stream_id, seal_number DESC;
`,
};
