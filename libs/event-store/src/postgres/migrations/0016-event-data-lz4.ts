import type { Migration } from './migration';

/**
 * Events' data and metadata are compressed with lz4, not PostgreSQL's default pglz. A return's
 * data (~1.5 kB of JSON) takes its row past the 2 kB at which PostgreSQL compresses it: every
 * submission was compressed once and decompressed by each reader of the log. lz4 does both
 * several times faster at about the same size (docs/performance.md, issue 18). Only new rows;
 * a PostgreSQL built without lz4 keeps pglz and says so.
 */
export const eventDataLz4Migration: Migration = {
  id: '0016_event_data_lz4',
  sql: /* sql */ `
DO $$
BEGIN
  ALTER TABLE events ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN metadata SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'this PostgreSQL has no lz4: events stay compressed with pglz';
END $$;
`,
};
