import { FeatureQuery, type Queryable } from '@kpi/projections';
import { listAccounts, type AccountListing } from './accounts-directory';
import type { IdentityProviderView } from './identity-providers';

/** The organisation's accounts, by email: what its admins see (the accounts table). */
export class ListAccounts extends FeatureQuery<Record<string, never>, AccountListing[]> {}

/** Answers ListAccounts for a tenant. */
export function readAccounts(db: Queryable, tenantId: string): Promise<AccountListing[]> {
  return listAccounts(db, tenantId);
}

/** The organisation's identity provider, without its secret (404 when it has none). */
export class ShowIdentityProvider extends FeatureQuery<
  Record<string, never>,
  IdentityProviderView
> {}
