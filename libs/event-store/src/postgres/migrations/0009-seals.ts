import type { Migration } from './migration';

/**
 * Seals (docs/decisions/0035): for each seal, the heads of the streams that moved since the one
 * before (stream, version, hash). A seal's full set of heads is, for every stream, its row of
 * the highest seal number up to that seal; the seal event in the log signs their Merkle root,
 * so a change to this table is caught as surely as a rewrite of the events.
 */
export const sealsMigration: Migration = {
  id: '0009_seals',
  sql: /* sql */ `
CREATE TABLE seal_heads (
  stream_id    text    NOT NULL,
  seal_number  integer NOT NULL CHECK (seal_number >= 1),
  version      bigint  NOT NULL CHECK (version >= 1),
  hash         text    NOT NULL,
  PRIMARY KEY (stream_id, seal_number)
);
CREATE INDEX seal_heads_by_seal ON seal_heads (seal_number);
`,
};
