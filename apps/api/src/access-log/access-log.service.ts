import type { Principal } from '@kpi/auth';
import { ForbiddenError, NotFoundError } from '@kpi/domain';
import { recordAccess, type AccessKind, type AccessOutcome } from '@kpi/features/access-log';
import type { Queryable } from '@kpi/projections';
import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Clock } from '../http/buses';
import { CLOCK, PG_POOL } from '../infrastructure/injection-tokens';
import { currentCorrelationId } from '../request-context';

/** What a read is of, for its access-log entry. */
export interface AccessSubject {
  kind: AccessKind;
  subjectId: string;
  /** Whose data it is; null when the request named no tenant's. */
  ownerTenantId: string | null;
  detail?: string | null;
  grantId?: string | null;
}

/**
 * Writes the access log for the controllers that answer reads of people's records and audit
 * data (the API and the pages). Each entry is written before the answer leaves, and when it
 * cannot be written the read fails with it (500, or 503 while the database is away): a read
 * that went out unrecorded could never be accounted for.
 */
@Injectable()
export class AccessLog {
  constructor(
    @Inject(PG_POOL) private readonly db: Queryable,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records that `principal` read `subject`, or was refused it. */
  async record(
    principal: Principal,
    subject: AccessSubject,
    outcome: AccessOutcome,
  ): Promise<void> {
    await recordAccess(this.db, {
      at: this.clock(),
      ownerTenantId: subject.ownerTenantId,
      reader: { tenantId: principal.tenantId, userId: principal.userId, roles: principal.roles },
      kind: subject.kind,
      subjectId: subject.subjectId,
      detail: subject.detail ?? null,
      grantId: subject.grantId ?? null,
      outcome,
      requestId: currentCorrelationId(),
    });
  }

  /**
   * Runs `read` and records it before answering; when it is refused (403, or 404: not there for
   * this reader) records the refusal — in the log of `ownerIfRefused`, by default the subject's
   * owner — and passes the refusal on. Other failures (bad input, an outage) read nothing and
   * are not recorded.
   */
  async recorded<Result>(
    principal: Principal,
    subject: AccessSubject,
    read: () => Promise<Result>,
    ownerIfRefused: string | null = subject.ownerTenantId,
  ): Promise<Result> {
    let result: Result;
    try {
      result = await read();
    } catch (error) {
      if (isRefusal(error)) {
        await this.record(principal, { ...subject, ownerTenantId: ownerIfRefused }, 'refused');
      }
      throw error;
    }
    await this.record(principal, subject, 'read');
    return result;
  }
}

/** A read refused to this reader, as opposed to a bad request or a failure. */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof ForbiddenError ||
    error instanceof NotFoundError ||
    error instanceof ForbiddenException ||
    error instanceof NotFoundException
  );
}
