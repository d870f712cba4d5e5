import type { Migration } from './migration';

/**
 * Which read models exist, at which version, in which table. The projection runner keeps it;
 * a projection whose code version differs from the stored one is rebuilt (libs/projections).
 */
export const projectionRegistryMigration: Migration = {
  id: '0002_projection_registry',
  sql: /* sql */ `
CREATE TABLE projections (
  name        text        PRIMARY KEY,
  version     integer     NOT NULL,
  table_name  text        NOT NULL,
  rebuilt_at  timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
`,
};
