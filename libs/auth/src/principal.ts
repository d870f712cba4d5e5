import type { Role } from '@kpi/domain';

/** Who is calling, for which tenant, with which roles: everything the API trusts about a caller. */
export interface Principal {
  /** The token's `sub`. */
  userId: string;
  /** The token's `tenant`: every read and write of the request is scoped to it. */
  tenantId: string;
  roles: Role[];
  /** The person's email, when they signed in to an account (a bearer token carries none). */
  email?: string;
  /**
   * The manager id capability records know this person by, when their account is linked to
   * one (a home manager reading their own record); absent otherwise.
   */
  managerId?: string | null;
}
