import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { AuditExportView, GrantBounds } from './audit-export';

/*
 * Asking for an export. Formats (dates, ids) are checked at the edge; the rules that relate the
 * period to now and to a grant, and the services to the organisation's, by the use case, which
 * names the field.
 */

export interface RequestAuditExportInput {
  /** null: the organisation's own trail; else the grant it is asked under, already checked. */
  underGrant: GrantBounds | null;
  /** null: the whole organisation (under a grant: all the grant opens). */
  serviceIds: EntityId[] | null;
  /** Each left out only under a grant: its first day, and its last day that has ended. */
  from: string | null;
  to: string | null;
}

/** An export as the request left it; `replayed` when it was a retry that added nothing. */
export type AuditExportAccepted = AuditExportView & { replayed: boolean };

/** An organisation, or a regulator under a grant, asks for an evidence bundle. */
export class RequestAuditExport extends FeatureCommand<
  RequestAuditExportInput,
  AuditExportAccepted
> {}
