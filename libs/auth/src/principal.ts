import type { Role } from '@kpi/domain';

/** Who is calling, for which tenant, with which roles: everything the API trusts about a caller. */
export interface Principal {
  /** The token's `sub`. */
  userId: string;
  /** The token's `tenant`: every read and write of the request is scoped to it. */
  tenantId: string;
  roles: Role[];
}
