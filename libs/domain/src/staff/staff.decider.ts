import { ENTITY_ID } from '../event-types';
import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { pastDate, requiredText } from '../shared/command-fields';
import type { StaffCommand } from './staff.commands';
import {
  STAFF_ROLES,
  TRAINING_COURSES,
  type StaffEvent,
  type StaffRole,
  type TrainingCourse,
} from './staff.events';

export const MAX_LEAVING_REASON_LENGTH = 500;

/**
 * One staff member's entry in the register: where and since when they work, when they left
 * (their last day in post), and the appraisals, training and DBS checks recorded for them.
 */
export type StaffState =
  | { status: 'none' }
  | {
      status: 'registered';
      staffId: string;
      serviceId: string;
      role: StaffRole;
      startedOn: string;
      /** null while in post. */
      leftOn: string | null;
      appraisals: { heldOn: string; appraiserId: string }[];
      training: { course: TrainingCourse; completedOn: string }[];
      /** Every DBS check's date, the pre-employment one included. */
      dbsChecks: string[];
    };

type Registered = Extract<StaffState, { status: 'registered' }>;

export const staffDecider: Decider<StaffCommand, StaffState, StaffEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    const { now } = command.data;
    const recordedAt = now.toISOString();
    switch (command.type) {
      case 'RegisterStaffMember': {
        const { staffId, serviceId, registeredBy } = command.data;
        if (state.status === 'registered') {
          throw new ConflictError(
            `Staff member ${staffId} is already registered (at ${state.serviceId} from ${state.startedOn})`,
            { staffMember: { serviceId: state.serviceId, startedOn: state.startedOn } },
          );
        }
        const problems: FieldProblem[] = [];
        const role = command.data.role;
        if (!(STAFF_ROLES as readonly unknown[]).includes(role)) {
          problems.push({ field: 'role', reason: `must be one of ${STAFF_ROLES.join(', ')}` });
        }
        const startedOn = pastDate(command.data.startedOn, 'startedOn', now, problems);
        // The pre-employment check is usually made before the first day, so it may be earlier.
        const dbsCheckedOn =
          command.data.dbsCheckedOn === undefined || command.data.dbsCheckedOn === null
            ? null
            : pastDate(command.data.dbsCheckedOn, 'dbsCheckedOn', now, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'StaffMemberRegistered',
            data: {
              staffId,
              serviceId,
              role: role as StaffRole,
              startedOn: startedOn!,
              dbsCheckedOn: dbsCheckedOn ?? null,
              registeredBy,
              recordedAt,
            },
          },
        ];
      }

      case 'RecordStaffMemberLeft': {
        const staff = requireRegistered(state, command.data.staffId);
        if (staff.leftOn !== null) {
          throw new ConflictError(`Staff member ${staff.staffId} already left on ${staff.leftOn}`, {
            leftOn: staff.leftOn,
          });
        }
        const problems: FieldProblem[] = [];
        const leftOn = recordDate(command.data.leftOn, 'leftOn', staff, now, problems);
        const lastRecord = lastRecordOn(staff);
        if (leftOn !== undefined && lastRecord !== null && leftOn < lastRecord) {
          problems.push({
            field: 'leftOn',
            reason: `is before the last date on their record (${lastRecord})`,
          });
        }
        const reason = requiredText(
          command.data.reason,
          'reason',
          MAX_LEAVING_REASON_LENGTH,
          problems,
        );
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'StaffMemberLeft',
            data: {
              staffId: staff.staffId,
              serviceId: staff.serviceId,
              leftOn: leftOn!,
              reason: reason!,
              recordedBy: command.data.recordedBy,
              recordedAt,
            },
          },
        ];
      }

      case 'RecordAppraisal': {
        const staff = requireRegistered(state, command.data.staffId);
        const problems: FieldProblem[] = [];
        const heldOn = recordDate(command.data.heldOn, 'heldOn', staff, now, problems);
        const appraiserId = command.data.appraiserId;
        if (typeof appraiserId !== 'string' || !ENTITY_ID.test(appraiserId)) {
          problems.push({ field: 'appraiserId', reason: 'must be a person id' });
        } else if (appraiserId === staff.staffId) {
          problems.push({
            field: 'appraiserId',
            reason: 'must be someone other than the appraisee',
          });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        // The same appraisal recorded again (a double submission) is already on the record.
        if (staff.appraisals.some((a) => a.heldOn === heldOn && a.appraiserId === appraiserId))
          return [];
        return [
          {
            type: 'StaffAppraisalRecorded',
            data: {
              staffId: staff.staffId,
              serviceId: staff.serviceId,
              heldOn: heldOn!,
              appraiserId: appraiserId as string,
              recordedBy: command.data.recordedBy,
              recordedAt,
            },
          },
        ];
      }

      case 'RecordTraining': {
        const staff = requireRegistered(state, command.data.staffId);
        const problems: FieldProblem[] = [];
        const course = command.data.course;
        if (!(TRAINING_COURSES as readonly unknown[]).includes(course)) {
          problems.push({
            field: 'course',
            reason: `must be one of ${TRAINING_COURSES.join(', ')}`,
          });
        }
        const completedOn = recordDate(
          command.data.completedOn,
          'completedOn',
          staff,
          now,
          problems,
        );
        if (problems.length > 0) throw new InvalidCommandError(problems);
        if (staff.training.some((t) => t.course === course && t.completedOn === completedOn))
          return [];
        return [
          {
            type: 'StaffTrainingCompleted',
            data: {
              staffId: staff.staffId,
              serviceId: staff.serviceId,
              course: course as TrainingCourse,
              completedOn: completedOn!,
              recordedBy: command.data.recordedBy,
              recordedAt,
            },
          },
        ];
      }

      case 'RecordDbsCheck': {
        const staff = requireRegistered(state, command.data.staffId);
        const problems: FieldProblem[] = [];
        const checkedOn = recordDate(command.data.checkedOn, 'checkedOn', staff, now, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        if (staff.dbsChecks.includes(checkedOn!)) return [];
        return [
          {
            type: 'StaffDbsCheckRecorded',
            data: {
              staffId: staff.staffId,
              serviceId: staff.serviceId,
              checkedOn: checkedOn!,
              recordedBy: command.data.recordedBy,
              recordedAt,
            },
          },
        ];
      }

      default: {
        const unexpected: never = command;
        return unexpected;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'StaffMemberRegistered': {
        const { staffId, serviceId, role, startedOn, dbsCheckedOn } = event.data;
        return {
          status: 'registered',
          staffId,
          serviceId,
          role,
          startedOn,
          leftOn: null,
          appraisals: [],
          training: [],
          dbsChecks: dbsCheckedOn === null ? [] : [dbsCheckedOn],
        };
      }
      case 'StaffMemberLeft':
        if (state.status !== 'registered') return state;
        return { ...state, leftOn: event.data.leftOn };
      case 'StaffAppraisalRecorded':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          appraisals: [
            ...state.appraisals,
            { heldOn: event.data.heldOn, appraiserId: event.data.appraiserId },
          ],
        };
      case 'StaffTrainingCompleted':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          training: [
            ...state.training,
            { course: event.data.course, completedOn: event.data.completedOn },
          ],
        };
      case 'StaffDbsCheckRecorded':
        if (state.status !== 'registered') return state;
        return { ...state, dbsChecks: [...state.dbsChecks, event.data.checkedOn] };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

function requireRegistered(state: StaffState, staffId: string): Registered {
  if (state.status !== 'registered') throw new NotFoundError(`No staff member ${staffId}`);
  return state;
}

/** The latest appraisal, training or DBS check date on the record, or null. */
function lastRecordOn(staff: Registered): string | null {
  const dates = [
    ...staff.appraisals.map((a) => a.heldOn),
    ...staff.training.map((t) => t.completedOn),
    ...staff.dbsChecks,
  ].sort();
  return dates.at(-1) ?? null;
}

/** A past date within the staff member's time in post: from `startedOn` to `leftOn`, inclusive. */
function recordDate(
  value: unknown,
  field: string,
  staff: Registered,
  now: Date,
  problems: FieldProblem[],
): string | undefined {
  const date = pastDate(value, field, now, problems);
  if (date === undefined) return undefined;
  if (date < staff.startedOn) {
    problems.push({ field, reason: `is before the staff member started (${staff.startedOn})` });
    return undefined;
  }
  if (staff.leftOn !== null && date > staff.leftOn) {
    problems.push({ field, reason: `is after the staff member left (${staff.leftOn})` });
    return undefined;
  }
  return date;
}
