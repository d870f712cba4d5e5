import { NotFoundError } from '@kpi/domain';
import { openSecret, sealSecret } from '@kpi/personal-data';
import type { Queryable } from '@kpi/projections';
import type { IdentityProviderSettings } from './identity-provider.decider';
import type { RoleMapping } from './identity-provider.events';

/** An organisation's identity provider as sign-in needs it: the settings and the secret. */
export interface IdentityProviderRecord extends IdentityProviderSettings {
  tenantId: string;
  clientSecret: string;
  configuredBy: string;
  configuredAt: Date;
}

/** What an admin reads back of their identity provider: everything but the client secret. */
export interface IdentityProviderView extends IdentityProviderSettings {
  configuredBy: string;
  configuredAt: string;
}

interface IdentityProviderRow {
  tenant_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  role_claim: string;
  role_mappings: RoleMapping[];
  additional_scopes: string[];
  configured_by: string;
  configured_at: Date;
}

/** What a client secret is sealed for (bound into its ciphertext with the tenant). */
const CLIENT_SECRET = { purpose: 'identity provider client secret' } as const;

/**
 * Writes (or replaces) the organisation's row of `identity_providers`, its secret with it,
 * sealed under `secretsKey` (the vault's master key).
 */
export async function saveIdentityProvider(
  db: Queryable,
  record: IdentityProviderRecord,
  secretsKey: Buffer,
) {
  await db.query(
    `INSERT INTO identity_providers (tenant_id, issuer, client_id, client_secret, role_claim,
       role_mappings, additional_scopes, configured_by, configured_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id) DO UPDATE
       SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
           client_secret = EXCLUDED.client_secret, role_claim = EXCLUDED.role_claim,
           role_mappings = EXCLUDED.role_mappings, additional_scopes = EXCLUDED.additional_scopes,
           configured_by = EXCLUDED.configured_by, configured_at = EXCLUDED.configured_at`,
    [
      record.tenantId,
      record.issuer,
      record.clientId,
      sealSecret(secretsKey, record.clientSecret, { ...CLIENT_SECRET, tenantId: record.tenantId }),
      record.roleClaim,
      JSON.stringify(record.roleMappings),
      record.additionalScopes,
      record.configuredBy,
      record.configuredAt,
    ],
  );
}

/**
 * The organisation's identity provider with its secret opened (one stored in clear before
 * secrets were sealed is given as it is, and sealed when next saved), or null when it has none.
 */
export async function identityProviderOf(
  db: Queryable,
  tenantId: string,
  secretsKey: Buffer,
): Promise<IdentityProviderRecord | null> {
  const row = await rowOf(db, tenantId);
  if (!row) return null;
  return {
    ...settingsOf(row),
    clientSecret: openSecret(secretsKey, row.client_secret, { ...CLIENT_SECRET, tenantId }),
  };
}

async function rowOf(db: Queryable, tenantId: string): Promise<IdentityProviderRow | null> {
  const { rows } = await db.query<IdentityProviderRow>(
    'SELECT * FROM identity_providers WHERE tenant_id = $1',
    [tenantId],
  );
  return rows[0] ?? null;
}

function settingsOf(row: IdentityProviderRow): Omit<IdentityProviderRecord, 'clientSecret'> {
  return {
    tenantId: row.tenant_id,
    issuer: row.issuer,
    clientId: row.client_id,
    roleClaim: row.role_claim,
    roleMappings: row.role_mappings,
    additionalScopes: row.additional_scopes,
    configuredBy: row.configured_by,
    configuredAt: row.configured_at,
  };
}

/** The view of a record an admin is given: no secret. */
export function identityProviderView(
  record: Omit<IdentityProviderRecord, 'clientSecret'>,
): IdentityProviderView {
  const { issuer, clientId, roleClaim, roleMappings, additionalScopes, configuredBy } = record;
  return {
    issuer,
    clientId,
    roleClaim,
    roleMappings,
    additionalScopes,
    configuredBy,
    configuredAt: record.configuredAt.toISOString(),
  };
}

/** Answers ShowIdentityProvider: the tenant's settings without the secret; 404 when none. */
export async function readIdentityProvider(
  db: Queryable,
  tenantId: string,
): Promise<IdentityProviderView> {
  const row = await rowOf(db, tenantId);
  if (!row) throw new NotFoundError('Your organisation has no identity provider set up');
  return identityProviderView(settingsOf(row));
}
