export {
  BUNDLE_FORMAT,
  EVENTS_PATH,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  STREAMS_PATH,
  manifestBytes,
  manifestOf,
  type BundleFileEntry,
  type BundleManifest,
  type BundlePeriod,
  type BundleScope,
  type Ed25519PublicJwk,
  type ManifestBase,
  type ManifestSignature,
  type StreamSummary,
} from './bundle-format';
export { BundleInputError, eventLine, streamLine } from './bundle-events';
export { writeBundle, type BundleAttachment, type WriteBundleInput } from './bundle-writer';
export { compareStreamIds, merkleRoot, MerkleTree, streamLeaf, streamsMerkleRoot } from './merkle';
export {
  SigningKeyRing,
  type BundleSigner,
  type JsonWebKeySet,
  type PublishedSigningKey,
} from './signing-keys';
