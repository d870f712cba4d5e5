export * from './vault-crypto';
export * from './personal-data-vault';
export * from './data-subject-erasure';
