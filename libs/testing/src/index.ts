export {
  createTestDatabase,
  adminDatabaseUrl,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database';
export { waitFor, type WaitForOptions } from './wait-for';
export {
  ACTIVITY_TYPES,
  activityRegistry,
  activityEvent,
  appendActivity,
  activityCounts,
  tableChecksum,
} from './activity-fixtures';
export { deciderSpecification } from './decider-specification';
export { childrensHomesV1, allMet, returnSubmitted } from './monthly-return.builders';
export { CapabilityProcessModel, capabilityFacts } from './capability-process.model';
export { deleteRedisKeys } from './redis-keys';
export { id, month, day } from './typed-values';
export { commandSpecification, type WrittenEvent } from './command-specification';
export { freshAuditSigningKeys } from './signing-keys';
export {
  BUNDLE_VERIFIER,
  runBundleVerifier,
  canonicalJsonByVerifier,
  type VerifierRun,
} from './bundle-verifier';
export { startOidcProvider, type TestOidcProvider } from './oidc-provider';
export { startSmtpServer, type TestSmtpServer, type ReceivedMail } from './smtp-server';
