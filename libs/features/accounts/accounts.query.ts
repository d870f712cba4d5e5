import type { PersonalDataVault } from '@kpi/personal-data';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import { erasedEmailOf, listAccounts, type AccountListing } from './accounts-directory';
import type { IdentityProviderView } from './identity-providers';

/** The organisation's accounts, by email: what its admins see (the accounts table). */
export class ListAccounts extends FeatureQuery<Record<string, never>, AccountListing[]> {}

/** Answers ListAccounts for a tenant: with the vault, which says who was erased and when. */
export function readAccounts(
  db: Queryable,
  tenantId: string,
  _params: Record<string, never>,
  { vault }: { vault: PersonalDataVault },
): Promise<AccountListing[]> {
  return listAccounts(db, vault, tenantId);
}

/** Who the user ids an answer names are: the email of each that is an account of the tenant. */
export class NamePeople extends FeatureQuery<{ userIds: string[] }, Map<string, string>> {}

/**
 * Answers NamePeople: the tenant's accounts among `userIds`, by id, with their email (one
 * query). Ids that are no account of the tenant (a bearer token's user, `system:…`, another
 * organisation's people) are left out, as are erased people's: the caller shows those as they
 * are.
 */
export async function namePeople(
  db: Queryable,
  tenantId: string,
  { userIds }: { userIds: string[] },
): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ account_id: string; email: string }>(
    'SELECT account_id, email FROM accounts WHERE tenant_id = $1 AND account_id = ANY($2)',
    [tenantId, ids],
  );
  return new Map(
    rows
      .filter((row) => row.email !== erasedEmailOf(row.account_id))
      .map((row) => [row.account_id, row.email]),
  );
}
/** The organisation's identity provider, without its secret (404 when it has none). */
export class ShowIdentityProvider extends FeatureQuery<
  Record<string, never>,
  IdentityProviderView
> {}
