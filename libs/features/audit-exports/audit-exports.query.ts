import { ConflictError, NotFoundError } from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import type { AuditExportBundle, AuditExportView } from './audit-export';
import { findAuditExport } from './audit-exports.table';

export interface AuditExportParams {
  exportId: string;
  /** The grant it was asked under (the caller has checked the grant); null for an own export. */
  grantId: string | null;
}

/**
 * An export, to the organisation that asked for it: its own export (no grant), or one its
 * people asked for under the grant named. Any other is 404, alike.
 */
export class ReadAuditExport extends FeatureQuery<AuditExportParams, AuditExportView> {}

/** A finished export's bundle, to download: 409 until the export is done, and once expired. */
export class OpenAuditExportBundle extends FeatureQuery<
  AuditExportParams,
  { view: AuditExportView; bundle: AuditExportBundle }
> {}

export async function readAuditExport(
  db: Queryable,
  tenantId: string,
  { exportId, grantId }: AuditExportParams,
): Promise<AuditExportView> {
  const found = await findAuditExport(db, exportId);
  if (!found || found.requesterTenantId !== tenantId || found.grantId !== grantId) {
    throw new NotFoundError(
      grantId === null
        ? `No export ${exportId} was found`
        : `No export "${exportId}" was found under grant ${grantId}`,
    );
  }
  const { requesterTenantId: _requester, ...view } = found;
  return view;
}

export async function openAuditExportBundle(
  db: Queryable,
  tenantId: string,
  params: AuditExportParams,
): Promise<{ view: AuditExportView; bundle: AuditExportBundle }> {
  const view = await readAuditExport(db, tenantId, params);
  if (view.status === 'expired') {
    throw new ConflictError(
      `The bundle of export ${view.exportId} was deleted on ${view.expiredAt!.slice(0, 10)}, its retention over: ask for a new export of the same period (the events are all still in the trail)`,
      { exportStatus: view.status },
    );
  }
  if (view.bundle === null) {
    throw new ConflictError(
      `Export ${view.exportId} is ${view.status}: its bundle can be downloaded once it is done`,
      { exportStatus: view.status },
    );
  }
  return { view, bundle: view.bundle };
}
