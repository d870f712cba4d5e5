import { eventStoreMigration } from './0001-event-store';
import { projectionRegistryMigration } from './0002-projection-registry';
import { accountsMigration } from './0003-accounts';
import { identityProvidersMigration } from './0004-identity-providers';
import { personalDataMigration } from './0006-personal-data';
import { accessLogMigration } from './0007-access-log';
import { auditExportsMigration } from './0008-audit-exports';
import { sealsMigration } from './0009-seals';
import { notificationsMigration } from './0010-notifications';
import { evidenceMigration } from './0011-evidence';
import { auditExportRetentionMigration } from './0014-audit-export-retention';
import { appendToStreamsMigration } from './0015-append-to-streams';
import { eventDataLz4Migration } from './0016-event-data-lz4';
import { appendToStreamsChainLookupMigration } from './0017-append-to-streams-chain-lookup';
import { sealLeavesMigration } from './0018-seal-leaves';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** The event store's own migrations, in order. Apps add theirs after these. */
export const eventStoreMigrations: readonly Migration[] = [
  eventStoreMigration,
  projectionRegistryMigration,
  accountsMigration,
  identityProvidersMigration,
  personalDataMigration,
  accessLogMigration,
  auditExportsMigration,
  sealsMigration,
  notificationsMigration,
  evidenceMigration,
  auditExportRetentionMigration,
  appendToStreamsMigration,
  eventDataLz4Migration,
  appendToStreamsChainLookupMigration,
  sealLeavesMigration,
];
