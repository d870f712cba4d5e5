import type { RecipientRef } from '@kpi/domain';
import type { Queryable } from '@kpi/projections';

/** An account a notification reaches: the organisation it is in, and its id. */
export interface RecipientAccount {
  tenantId: string;
  accountId: string;
}

/** A reference's key in the answer of {@link resolveRecipients}. */
export const refKey = (ref: RecipientRef): string => JSON.stringify(ref);

const refId = (ref: RecipientRef): string => {
  switch (ref.kind) {
    case 'account':
      return ref.accountId;
    case 'manager':
      return ref.managerId;
    case 'person':
      return ref.personId;
    case 'role':
      return ref.role;
    case 'regional-manager':
      return ref.regionId;
    case 'service-manager':
      return ref.serviceId;
  }
};

/**
 * The active accounts each reference means, in one query for a whole batch: an account id as
 * is; a manager id → the accounts linked to that manager; a person → the account that is, or
 * the accounts linked to, that id; a role → the organisation's accounts with it; a region's
 * regional manager and a service's manager → as the organisation has them now (the read models
 * `rm_regions` and `rm_services`, read by name: nobody when this database has none yet).
 * Invited, removed and erased accounts (their access removed) are never among them.
 */
export async function resolveRecipients(
  db: Queryable,
  refs: readonly RecipientRef[],
): Promise<Map<string, RecipientAccount[]>> {
  const unique = [...new Map(refs.map((ref) => [refKey(ref), ref])).values()];
  const answer = new Map<string, RecipientAccount[]>(unique.map((ref) => [refKey(ref), []]));
  if (unique.length === 0) return answer;
  const { rows: tables } = await db.query<{ regions: boolean; services: boolean }>(
    `SELECT to_regclass('rm_regions') IS NOT NULL AS regions,
            to_regclass('rm_services') IS NOT NULL AS services`,
  );
  const { regions, services } = tables[0]!;
  const managersFrom = [
    `SELECT ref_key, tenant_id, ref_id AS manager_id FROM refs WHERE kind = 'manager'`,
    ...(regions
      ? [
          `SELECT r.ref_key, r.tenant_id, g.regional_manager_id FROM refs r
             JOIN rm_regions g ON g.tenant_id = r.tenant_id AND g.region_id = r.ref_id
            WHERE r.kind = 'regional-manager'`,
        ]
      : []),
    ...(services
      ? [
          `SELECT r.ref_key, r.tenant_id, s.current_manager_id FROM refs r
             JOIN rm_services s ON s.tenant_id = r.tenant_id AND s.service_id = r.ref_id
            WHERE r.kind = 'service-manager' AND s.current_manager_id IS NOT NULL`,
        ]
      : []),
  ];
  const { rows } = await db.query<{ ref_key: string; tenant_id: string; account_id: string }>(
    `WITH refs (ref_key, kind, tenant_id, ref_id) AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ), managers (ref_key, tenant_id, manager_id) AS (
       ${managersFrom.join('\n       UNION ALL ')}
     )
     SELECT r.ref_key, a.tenant_id, a.account_id
       FROM refs r
       JOIN accounts a ON a.tenant_id = r.tenant_id AND a.status = 'active'
      WHERE (r.kind = 'account' AND a.account_id = r.ref_id)
         OR (r.kind = 'person' AND (a.account_id = r.ref_id OR a.manager_id = r.ref_id))
         OR (r.kind = 'role' AND r.ref_id = ANY (a.roles))
     UNION
     SELECT m.ref_key, a.tenant_id, a.account_id
       FROM managers m
       JOIN accounts a ON a.tenant_id = m.tenant_id AND a.manager_id = m.manager_id
                      AND a.status = 'active'
     ORDER BY 1, 2, 3`,
    [
      unique.map(refKey),
      unique.map((ref) => ref.kind),
      unique.map((ref) => ref.tenantId),
      unique.map(refId),
    ],
  );
  for (const row of rows) {
    answer.get(row.ref_key)!.push({ tenantId: row.tenant_id, accountId: row.account_id });
  }
  return answer;
}
