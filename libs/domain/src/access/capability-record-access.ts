import { CAPABILITY_READERS, OWN_CAPABILITY_RECORD_READERS, type Role } from './roles';

/** The caller, as far as reading a capability record goes. */
export interface CapabilityRecordReader {
  roles: readonly Role[];
  /** The manager id the caller's account or token is linked to, if any. */
  managerId?: string | null | undefined;
}

/**
 * Whether the caller may read the capability record (timeline, why) of `managerId`: anyone's
 * for HR, the regional manager, the provider's admin and its regulator; only their own for a
 * home manager linked to that manager id; nobody else's.
 */
export function mayReadCapabilityRecordOf(
  reader: CapabilityRecordReader,
  managerId: string,
): boolean {
  if (reader.roles.some((role) => CAPABILITY_READERS.includes(role))) return true;
  return (
    reader.roles.some((role) => OWN_CAPABILITY_RECORD_READERS.includes(role)) &&
    typeof reader.managerId === 'string' &&
    reader.managerId === managerId
  );
}
