import { registeredService, type CommandContext } from '@kpi/command-handling';
import {
  evidenceTargetKey,
  NotFoundError,
  streamIds,
  type ComplaintLogged,
  type EvidenceTarget,
} from '@kpi/domain';

/** The stream of the evidence of one record. */
export function evidenceStreamId(tenantId: string, target: EvidenceTarget): string {
  return streamIds.evidence(tenantId, target.kind, evidenceTargetKey(target));
}

/**
 * Checks that the record evidence is attached to is the tenant's, as far as it can be: a
 * complaint must be logged (its complainant is the default data subject of a personal file), a
 * return's service registered (a file may come before the return it supports). Reviews are
 * not checked (their ids live inside the capability counters' streams), nor actions (another
 * feature, built alongside). Another tenant's record is not found, like one that does not exist.
 */
export async function evidenceTargetOf(
  context: Pick<CommandContext, 'store' | 'tenantId'>,
  target: EvidenceTarget,
): Promise<{ defaultSubjectId: string | null }> {
  switch (target.kind) {
    case 'complaint': {
      const history = await context.store.readStream(
        streamIds.complaint(context.tenantId, target.complaintId),
      );
      const logged = history.find((event) => event.type === 'ComplaintLogged');
      if (!logged) throw new NotFoundError(`No complaint ${target.complaintId}`);
      return {
        defaultSubjectId: (logged.data as ComplaintLogged['data']).complainant.subjectId,
      };
    }
    case 'monthly-return':
      await registeredService(context, target.serviceId);
      return { defaultSubjectId: null };
    case 'capability-review':
    case 'action':
      return { defaultSubjectId: null };
    default: {
      const unexpected: never = target;
      return unexpected;
    }
  }
}
