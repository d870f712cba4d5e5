import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { StaffCommand } from './staff.commands';
import { staffDecider } from './staff.decider';
import type {
  StaffAppraisalRecorded,
  StaffDbsCheckRecorded,
  StaffMemberLeft,
  StaffMemberRegistered,
  StaffTrainingCompleted,
} from './staff.events';

const spec = deciderSpecification(staffDecider);
const now = new Date('2026-06-15T09:00:00Z');
const recordedAt = now.toISOString();
const by = 'user:hr-sam';

const register = (
  data: Partial<Extract<StaffCommand, { type: 'RegisterStaffMember' }>['data']> = {},
): StaffCommand => ({
  type: 'RegisterStaffMember',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    role: 'care-worker',
    startedOn: '2026-01-05',
    dbsCheckedOn: '2025-12-10',
    registeredBy: by,
    now,
    ...data,
  },
});
const registered = (data: Partial<StaffMemberRegistered['data']> = {}): StaffMemberRegistered => ({
  type: 'StaffMemberRegistered',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    role: 'care-worker',
    startedOn: '2026-01-05',
    dbsCheckedOn: '2025-12-10',
    registeredBy: by,
    recordedAt,
    ...data,
  },
});
const leave = (leftOn: unknown = '2026-05-29', reason: unknown = 'Resigned'): StaffCommand => ({
  type: 'RecordStaffMemberLeft',
  data: { staffId: 'cw-alys', leftOn, reason, recordedBy: by, now },
});
const left = (leftOn = '2026-05-29'): StaffMemberLeft => ({
  type: 'StaffMemberLeft',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    leftOn,
    reason: 'Resigned',
    recordedBy: by,
    recordedAt,
  },
});
const appraise = (
  heldOn: unknown = '2026-04-20',
  appraiserId: unknown = 'mgr-siwan',
): StaffCommand => ({
  type: 'RecordAppraisal',
  data: { staffId: 'cw-alys', heldOn, appraiserId, recordedBy: by, now },
});
const appraised = (heldOn = '2026-04-20'): StaffAppraisalRecorded => ({
  type: 'StaffAppraisalRecorded',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    heldOn,
    appraiserId: 'mgr-siwan',
    recordedBy: by,
    recordedAt,
  },
});
const train = (
  course: unknown = 'safeguarding',
  completedOn: unknown = '2026-02-02',
): StaffCommand => ({
  type: 'RecordTraining',
  data: { staffId: 'cw-alys', course, completedOn, recordedBy: by, now },
});
const trained = (
  course: StaffTrainingCompleted['data']['course'] = 'safeguarding',
  completedOn = '2026-02-02',
): StaffTrainingCompleted => ({
  type: 'StaffTrainingCompleted',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    course,
    completedOn,
    recordedBy: by,
    recordedAt,
  },
});
const checkDbs = (checkedOn: unknown = '2026-03-03'): StaffCommand => ({
  type: 'RecordDbsCheck',
  data: { staffId: 'cw-alys', checkedOn, recordedBy: by, now },
});
const dbsChecked = (checkedOn = '2026-03-03'): StaffDbsCheckRecorded => ({
  type: 'StaffDbsCheckRecorded',
  data: { staffId: 'cw-alys', serviceId: 'plas-newydd', checkedOn, recordedBy: by, recordedAt },
});

describe('the staff register', () => {
  describe('when a staff member is registered', () => {
    it('records their service, role, first day and pre-employment DBS check', () => {
      spec.given([]).when(register()).then([registered()]);
    });

    it('records no DBS check when none is given', () => {
      spec
        .given([])
        .when(register({ dbsCheckedOn: undefined }))
        .then([registered({ dbsCheckedOn: null })]);
      spec
        .given([])
        .when(register({ dbsCheckedOn: null }))
        .then([registered({ dbsCheckedOn: null })]);
    });

    it('accepts a first day that is today, London time', () => {
      spec
        .given([])
        .when(register({ startedOn: '2026-06-15' }))
        .then([registered({ startedOn: '2026-06-15' })]);
    });

    it('refuses to register the same person twice', () => {
      spec
        .given([registered()])
        .when(register({ serviceId: 'ty-gwyn' }))
        .thenThrows(
          ConflictError,
          'cw-alys is already registered (at plas-newydd from 2026-01-05)',
        );
    });

    it.each([
      [{ role: 'chef' }, 'role: must be one of care-worker, senior-care-worker'],
      [{ role: undefined }, 'role: must be one of'],
      [{ startedOn: '2026-02-30' }, 'startedOn: must be a date written YYYY-MM-DD'],
      [{ startedOn: 20260105 }, 'startedOn: must be a date written YYYY-MM-DD'],
      [{ startedOn: '2026-06-16' }, 'startedOn: is in the future (today is 2026-06-15)'],
      [{ dbsCheckedOn: '2026-07-01' }, 'dbsCheckedOn: is in the future'],
      [{ dbsCheckedOn: 'yesterday' }, 'dbsCheckedOn: must be a date written YYYY-MM-DD'],
    ])('refuses %j, naming the field', (data, message) => {
      spec.given([]).when(register(data)).thenThrows(InvalidCommandError, message);
    });

    it('names every wrong field at once', () => {
      spec
        .given([])
        .when(register({ role: 'x', startedOn: 'x' }))
        .thenThrows(InvalidCommandError, /^role: .*; startedOn: /);
    });
  });

  describe('when a staff member leaves', () => {
    it('records their last day and why, with their service', () => {
      spec.given([registered()]).when(leave()).then([left()]);
    });

    it('may leave on the day they started', () => {
      spec
        .given([registered()])
        .when(leave('2026-01-05'))
        .then([left('2026-01-05')]);
    });

    it('refuses to record a second leaving', () => {
      spec
        .given([registered(), left()])
        .when(leave('2026-06-01'))
        .thenThrows(ConflictError, 'cw-alys already left on 2026-05-29');
    });

    it.each([
      ['2026-01-04', 'Resigned', 'leftOn: is before the staff member started (2026-01-05)'],
      ['2026-06-16', 'Resigned', 'leftOn: is in the future'],
      ['29/05/2026', 'Resigned', 'leftOn: must be a date'],
      ['2026-05-29', '  ', 'reason: is required'],
      ['2026-05-29', 7, 'reason: is required'],
      ['2026-05-29', 'x'.repeat(501), 'reason: is required: 1 to 500 characters'],
    ])('refuses leftOn %p with reason %p', (leftOn, reason, message) => {
      spec
        .given([registered()])
        .when(leave(leftOn, reason))
        .thenThrows(InvalidCommandError, message);
    });

    it('refuses a last day before something already on their record', () => {
      spec
        .given([registered(), appraised('2026-04-20')])
        .when(leave('2026-04-19'))
        .thenThrows(
          InvalidCommandError,
          'leftOn: is before the last date on their record (2026-04-20)',
        );
    });
  });

  describe('appraisals, training and DBS checks', () => {
    it('records each with the staff member’s service', () => {
      spec.given([registered()]).when(appraise()).then([appraised()]);
      spec.given([registered()]).when(train()).then([trained()]);
      spec
        .given([registered()])
        .when(train('care-certificate', '2026-03-20'))
        .then([trained('care-certificate', '2026-03-20')]);
      spec.given([registered()]).when(checkDbs()).then([dbsChecked()]);
    });

    it('may record them after the staff member left, for dates while in post', () => {
      spec
        .given([registered(), left()])
        .when(appraise('2026-05-29'))
        .then([appraised('2026-05-29')]);
    });

    it('records nothing new when the same record is made again', () => {
      spec.given([registered(), appraised()]).when(appraise()).thenNothingHappened();
      spec.given([registered(), trained()]).when(train()).thenNothingHappened();
      spec.given([registered(), dbsChecked()]).when(checkDbs()).thenNothingHappened();
      spec
        .given([registered()])
        .when(checkDbs('2025-12-10'))
        .thenThrows(InvalidCommandError, 'checkedOn: is before the staff member started');
    });

    it.each([
      [appraise('2026-01-04'), 'heldOn: is before the staff member started (2026-01-05)'],
      [appraise('2026-06-16'), 'heldOn: is in the future (today is 2026-06-15)'],
      [appraise('2026-04-20', 'Mgr Siwan'), 'appraiserId: must be a person id'],
      [appraise('2026-04-20', 'cw-alys'), 'appraiserId: must be someone other than the appraisee'],
      [train('first-aid'), 'course: must be one of care-certificate, safeguarding'],
      [train('safeguarding', '2025-12-31'), 'completedOn: is before the staff member started'],
      [train('safeguarding', '2026-13-01'), 'completedOn: must be a date written YYYY-MM-DD'],
      [checkDbs('2027-01-01'), 'checkedOn: is in the future'],
      [checkDbs(null), 'checkedOn: must be a date written YYYY-MM-DD'],
    ])('refuses %j, naming the field', (command, message) => {
      spec.given([registered()]).when(command).thenThrows(InvalidCommandError, message);
    });

    it('refuses dates after the staff member left', () => {
      for (const [command, field] of [
        [appraise('2026-06-01'), 'heldOn'],
        [train('safeguarding', '2026-06-01'), 'completedOn'],
        [checkDbs('2026-06-01'), 'checkedOn'],
      ] as const) {
        spec
          .given([registered(), left()])
          .when(command)
          .thenThrows(InvalidCommandError, `${field}: is after the staff member left (2026-05-29)`);
      }
    });
  });

  describe('when the staff member is not on the register', () => {
    it.each([leave(), appraise(), train(), checkDbs()])('refuses %j as not found', (command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, 'No staff member cw-alys');
    });
  });
});
