import { createHash } from 'node:crypto';
import { registeredService, type CommandContext } from '@kpi/command-handling';
import { addDays, InvalidCommandError, londonDateOf } from '@kpi/domain';
import type { Queryable } from '@kpi/projections';
import type { ExportPeriod, GrantBounds } from './audit-export';
import type { AuditExportAccepted, RequestAuditExportInput } from './audit-exports.commands';
import { findAuditExport, insertAuditExport, markAttemptFailed } from './audit-exports.table';

/** What a request needs besides the event store: the table, and a way onto the queue. */
export interface ExportRequestPorts {
  db: Queryable;
  /** Puts the export's job on the queue (`enqueueAuditExport`). */
  enqueue(exportId: string): Promise<void>;
}

/**
 * Asks for an export of the tenant's own trail, or of a grantor's under a grant (checked by
 * the caller): the period must have ended (an event is visible only once its transaction
 * commits, so today's trail is not yet complete) and, under a grant, lie within the grant's;
 * the services must be the organisation's, and under a grant among those it opens. The export
 * is stored queued, then its job is queued; if that fails the export is marked failed and the
 * error passed on. Its id derives from the command id: a request retried with its
 * Idempotency-Key is the same export.
 */
export async function requestAuditExport(
  context: CommandContext,
  ports: ExportRequestPorts,
  input: RequestAuditExportInput,
): Promise<AuditExportAccepted> {
  const grant = input.underGrant;
  const period = exportPeriod(input, grant, lastEndedDay(context.now));
  const serviceIds = await exportServices(context, input, grant);
  const exportId = exportIdFor(context.commandId);
  const added = await insertAuditExport(ports.db, {
    exportId,
    tenantId: grant?.grantorTenantId ?? context.tenantId,
    requesterTenantId: context.tenantId,
    requestedBy: context.actor,
    grantId: grant?.grantId ?? null,
    serviceIds,
    period,
    requestedAt: context.now,
  });
  const stored = (await findAuditExport(ports.db, exportId))!;
  if (stored.status === 'queued') {
    try {
      await ports.enqueue(exportId);
    } catch (error) {
      const reason = `The export could not be queued: ${(error as Error).message}`;
      await markAttemptFailed(ports.db, exportId, {
        reason,
        final: true,
        attempt: 0,
        at: context.now,
      });
      throw error;
    }
  }
  const { requesterTenantId: _requester, ...view } = stored;
  return { ...view, replayed: !added };
}

/** `export-` and 16 hex digits of the command id's hash: the same on a retry. */
export function exportIdFor(commandId: string): string {
  return `export-${createHash('sha256').update(commandId).digest('hex').slice(0, 16)}`;
}

/** The last London day that has ended at `now`: yesterday. */
function lastEndedDay(now: Date): string {
  return addDays(londonDateOf(now), -1);
}

function exportPeriod(
  { from, to }: RequestAuditExportInput,
  grant: GrantBounds | null,
  lastEnded: string,
): ExportPeriod {
  const invalid = (field: string, reason: string) => InvalidCommandError.of(field, reason);
  let period: ExportPeriod;
  if (grant === null) {
    if (from === null) throw invalid('from', 'is required');
    if (to === null) throw invalid('to', 'is required');
    period = { from, to };
  } else {
    if (from !== null && from < grant.period.from) {
      throw invalid('from', `must be within the grant's period: not before ${grant.period.from}`);
    }
    if (to !== null && to > grant.period.to) {
      throw invalid('to', `must be within the grant's period: not after ${grant.period.to}`);
    }
    const lastOfGrant = grant.period.to < lastEnded ? grant.period.to : lastEnded;
    period = { from: from ?? grant.period.from, to: to ?? lastOfGrant };
  }
  if (period.to > lastEnded) {
    throw invalid(
      'to',
      `must be a day that has ended (${lastEnded} or before): events recorded today are not all committed yet`,
    );
  }
  if (period.to < period.from) {
    throw invalid(
      'to',
      to === null
        ? `none of the grant's period has ended yet (it starts ${period.from})`
        : `must not be before from (${period.from})`,
    );
  }
  return period;
}

/**
 * The services exported, sorted, or null for the whole organisation. Each must be one of the
 * organisation's (404 naming the first that is not); under a grant for some services, among them.
 */
async function exportServices(
  context: CommandContext,
  { serviceIds }: RequestAuditExportInput,
  grant: GrantBounds | null,
): Promise<string[] | null> {
  if (serviceIds === null) return grant?.serviceIds ? [...grant.serviceIds].sort() : null;
  const asked = [...new Set(serviceIds)].sort();
  const opened = grant?.serviceIds;
  const outside = opened ? asked.filter((id) => !opened.includes(id)) : [];
  if (opened && outside.length > 0) {
    throw InvalidCommandError.of(
      'serviceIds',
      `must be among the services the grant opens (${opened.join(', ')}); not ${outside.join(', ')}`,
    );
  }
  const owner = { store: context.store, tenantId: grant?.grantorTenantId ?? context.tenantId };
  for (const serviceId of asked) await registeredService(owner, serviceId);
  return asked;
}
