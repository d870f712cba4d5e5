import { toDomainEvent } from '@kpi/command-handling';
import {
  carePackageDecider,
  foldEvents,
  nextOfferMoveAt,
  type CarePackage,
  type CarePackageEvent,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import { timerJobOptions, type TimerJobOptions } from '@kpi/scheduling';

/** The BullMQ queue every call-off timer goes through. */
export const CALL_OFF_QUEUE = 'call-off';

export const CALL_OFF_JOB_NAME = 'care-package-offer-moves';

export interface CallOffJobData {
  /** The council: every care-package stream is in its tenant. */
  tenantId: string;
  packageId: string;
  /** When the window this job closes ends (ISO instant): the offer moves on then. */
  moveAt: string;
}

/** A job ready for Queue.addBulk. */
export interface CallOffJob {
  name: typeof CALL_OFF_JOB_NAME;
  data: CallOffJobData;
  /** The deadline jobs' retries and retention (docs/decisions/0012), with this job's id and delay. */
  opts: TimerJobOptions;
  runAt: Date;
}

/**
 * The job id: the council, the package and the instant its window closes. Whichever event (or
 * replay of it) asks for the timer, the same window gives the same id, so it is added once.
 * (BullMQ ids may not hold `:`.)
 */
export function callOffJobId(tenantId: string, packageId: string, moveAt: string): string {
  return `${tenantId}~care-package~${packageId}~${moveAt.replaceAll(':', '.')}`;
}

/**
 * The timer a package needs now: one job when its current window closes, or null when it waits
 * for nobody (placed, unplaced, or offered to all until taken). A window already closed (the
 * worker was down) runs at once.
 */
export function callOffJobFor(tenantId: string, pkg: CarePackage, now: Date): CallOffJob | null {
  const moveAt = nextOfferMoveAt(pkg);
  if (moveAt === null) return null;
  const runAt = new Date(moveAt);
  return {
    name: CALL_OFF_JOB_NAME,
    data: { tenantId, packageId: pkg.packageId, moveAt },
    opts: timerJobOptions(callOffJobId(tenantId, pkg.packageId, moveAt), runAt, now),
    runAt,
  };
}

/** `callOffJobFor` the package a care-package stream holds (none yet: no job). */
export function callOffJobOfStream(
  tenantId: string,
  history: readonly RecordedEvent[],
  now: Date,
): CallOffJob | null {
  const pkg = foldEvents(carePackageDecider, history.map(toDomainEvent<CarePackageEvent>)).package;
  return pkg ? callOffJobFor(tenantId, pkg, now) : null;
}
