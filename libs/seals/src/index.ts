export { SEAL_FORMAT, sealStatement, type LogSealedData } from './seal-format';
export { headsAtSeal, headsMerkleRoot, type SealedHead } from './seal-heads';
export { readSeals, sealTheLog, SEALS_STREAM, type SealOptions } from './seal-the-log';
export {
  verifySeals,
  type SealProblem,
  type SealProblemReason,
  type SealVerificationReport,
  type VerifySealsOptions,
} from './verify-seals';
export { publishSeal, readSealFile, type SealOutlets } from './seal-publishing';
