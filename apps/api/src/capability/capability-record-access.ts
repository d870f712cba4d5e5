import type { Principal } from '@kpi/auth';
import { ForbiddenError, mayReadCapabilityRecordOf } from '@kpi/domain';
import type { AccessSubject } from '../access-log/access-log.service';

/**
 * Refuses (403) a caller who may not read `managerId`'s capability record: a home manager
 * asking for anyone's but their own. The routes let home managers in by role; this decides.
 */
export function refuseUnlessMayReadRecordOf(principal: Principal, managerId: string): void {
  if (!mayReadCapabilityRecordOf(principal, managerId)) {
    throw new ForbiddenError(
      principal.managerId
        ? `You may read only your own capability record (${principal.managerId})`
        : 'Your account is linked to no manager id, so there is no capability record of yours to read: ask your organisation’s admin',
    );
  }
}

/** A read of `managerId`'s capability record (its `detail`: timeline, why…), for the access log. */
export function capabilityRecordRead(
  principal: Principal,
  managerId: string,
  detail: string,
): AccessSubject {
  return {
    kind: 'capability-record',
    subjectId: managerId,
    ownerTenantId: principal.tenantId,
    detail,
  };
}
