import { deciderSpecification } from '@kpi/testing';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type {
  AcknowledgeProviderNotification,
  GiveHandBackNotice,
  LogProviderNotification,
} from './provider-notification.commands';
import {
  handBackDecider,
  handBackStatus,
  providerNotificationDecider,
} from './provider-notification.decider';
import type {
  PackageHandBackNoticeGiven,
  ProviderNotificationAcknowledged,
  ProviderNotificationLogged,
} from './provider-notification.events';

const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const spec = deciderSpecification(providerNotificationDecider);
const SUBJECT = '5d1c8f0e-2b7a-4c3d-9e6f-0a1b2c3d4e5f';

/** Logged on Thursday 2 April 2026 at 15:00 (BST), unless the test says otherwise. */
const log = (data: Partial<LogProviderNotification['data']> = {}): LogProviderNotification => ({
  type: 'LogProviderNotification',
  data: {
    notificationId: 'n-1',
    frameworkId: 'cah-2026',
    packageId: 'pkg-1',
    providerId: 'bright-care',
    kind: 'hospital-admission',
    occurredAt: '2026-04-02T09:30:00+01:00',
    notifiedAt: undefined,
    serviceUser: 'Rhys, 9',
    details: 'Admitted to the children’s ward after a fall at home.',
    subjectId: undefined,
    newSubjectId: SUBJECT,
    handBackAt: null,
    calendar,
    loggedBy: 'user:coordinator@bright-care',
    now: new Date('2026-04-02T14:00:00Z'),
    ...data,
  },
});

const logged = (
  data: Partial<ProviderNotificationLogged['data']> = {},
): ProviderNotificationLogged => ({
  type: 'ProviderNotificationLogged',
  data: {
    notificationId: 'n-1',
    frameworkId: 'cah-2026',
    packageId: 'pkg-1',
    providerId: 'bright-care',
    kind: 'hospital-admission',
    occurredAt: '2026-04-02T08:30:00.000Z',
    notifiedAt: '2026-04-02T14:00:00.000Z',
    // The next working day after Thursday 2 April is Tuesday 7 April (Good Friday, Easter Monday).
    dueBy: '2026-04-07T23:00:00.000Z',
    late: false,
    subjectId: SUBJECT,
    serviceUser: 'Rhys, 9',
    details: 'Admitted to the children’s ward after a fall at home.',
    loggedBy: 'user:coordinator@bright-care',
    loggedAt: '2026-04-02T14:00:00.000Z',
    ...data,
  },
});

const acknowledge: AcknowledgeProviderNotification = {
  type: 'AcknowledgeProviderNotification',
  data: {
    notificationId: 'n-1',
    acknowledgedBy: 'user:placements',
    now: new Date('2026-04-02T16:00:00Z'),
  },
};

const acknowledged: ProviderNotificationAcknowledged = {
  type: 'ProviderNotificationAcknowledged',
  data: {
    notificationId: 'n-1',
    acknowledgedBy: 'user:placements',
    acknowledgedAt: '2026-04-02T16:00:00.000Z',
  },
};

describe('a provider’s notification to the council (seed 004 §72–73)', () => {
  it('is logged with when it happened, when the council was told and by when it had to be', () => {
    spec.given([]).when(log()).then([logged()]);
  });

  describe('§73 (hospital, safeguarding, missed call, death): immediately or the next working day', () => {
    it('is on time told at the end of the next working day, over Easter', () => {
      const told = new Date('2026-04-07T22:59:00Z'); // Tuesday 23:59 BST
      spec
        .given([])
        .when(log({ kind: 'death', notifiedAt: told.toISOString(), now: told }))
        .thenEvents(([event]) => expect(event!.data).toMatchObject({ kind: 'death', late: false }));
    });

    it('is late told the day after that', () => {
      const told = new Date('2026-04-08T08:00:00Z');
      spec
        .given([])
        .when(log({ kind: 'safeguarding-concern', now: told }))
        .thenEvents(([event]) =>
          expect(event!.data).toMatchObject({
            dueBy: '2026-04-07T23:00:00.000Z',
            notifiedAt: '2026-04-08T08:00:00.000Z',
            late: true,
          }),
        );
    });

    it('counts a missed call on a Friday to the Monday', () => {
      const friday = '2026-05-15T18:00:00+01:00';
      spec
        .given([])
        .when(
          log({ kind: 'missed-call', occurredAt: friday, now: new Date('2026-05-18T10:00:00Z') }),
        )
        .thenEvents(([event]) =>
          expect(event!.data).toMatchObject({ dueBy: '2026-05-18T23:00:00.000Z', late: false }),
        );
    });
  });

  describe('§72 (entry refused): no later than one day after', () => {
    it('is on time within 24 hours, and late after, whatever the day', () => {
      const occurredAt = '2026-04-03T10:00:00+01:00'; // Good Friday
      spec
        .given([])
        .when(log({ kind: 'refused-entry', occurredAt, now: new Date('2026-04-04T09:00:00Z') }))
        .thenEvents(([event]) =>
          expect(event!.data).toMatchObject({ dueBy: '2026-04-04T09:00:00.000Z', late: false }),
        );
      spec
        .given([])
        .when(log({ kind: 'refused-entry', occurredAt, now: new Date('2026-04-04T09:00:01Z') }))
        .thenEvents(([event]) => expect(event!.data).toMatchObject({ late: true }));
    });
  });

  it('takes when the council was told, if before it was logged (a phone call first)', () => {
    spec
      .given([])
      .when(log({ notifiedAt: '2026-04-02T11:00:00+01:00' }))
      .then([logged({ notifiedAt: '2026-04-02T10:00:00.000Z' })]);
  });

  it('keeps the texts under the data subject the provider names', () => {
    spec
      .given([])
      .when(log({ subjectId: 'service-user-17' }))
      .then([logged({ subjectId: 'service-user-17' })]);
  });

  it('refuses every bad field at once, naming each', () => {
    spec
      .given([])
      .when(
        log({
          kind: 'fire',
          occurredAt: '2026-04-02',
          details: '',
          subjectId: 'Not An Id',
        }),
      )
      .thenThrows(InvalidCommandError, /kind.*occurredAt.*details.*subjectId/);
  });

  it('refuses a time in the future, and a notification before what it tells of', () => {
    spec
      .given([])
      .when(log({ occurredAt: '2026-04-02T16:00:00+01:00' }))
      .thenThrows(InvalidCommandError, /occurredAt: is in the future/);
    spec
      .given([])
      .when(log({ notifiedAt: '2026-04-02T09:00:00+01:00' }))
      .thenThrows(InvalidCommandError, /notifiedAt: is before it happened/);
  });

  it('is refused (409) for what happened once the package was handed back, not before', () => {
    spec
      .given([])
      .when(log({ handBackAt: '2026-04-02T08:30:00.000Z' }))
      .thenThrows(ConflictError, /handed back to the council at 2026-04-02T08:30:00.000Z/);
    spec
      .given([])
      .when(log({ handBackAt: '2026-04-02T08:30:01.000Z' }))
      .then([logged()]);
  });

  it('is logged once (409 for the same id)', () => {
    spec.given([logged()]).when(log()).thenThrows(ConflictError);
  });

  describe('acknowledged by the council', () => {
    it('records who and when', () => {
      spec.given([logged()]).when(acknowledge).then([acknowledged]);
    });

    it('once (409), and only what was logged (404)', () => {
      spec
        .given([logged(), acknowledged])
        .when(acknowledge)
        .thenThrows(ConflictError, /already/);
      spec.given([]).when(acknowledge).thenThrows(NotFoundError);
    });
  });
});

describe('handing a package back (seed 004 §51): 7 days’ notice', () => {
  const handBack = deciderSpecification(handBackDecider);
  const now = new Date('2026-04-02T14:00:00Z');
  const give = (data: Partial<GiveHandBackNotice['data']> = {}): GiveHandBackNotice => ({
    type: 'GiveHandBackNotice',
    data: {
      packageId: 'pkg-1',
      frameworkId: 'cah-2026',
      providerId: 'bright-care',
      holder: 'bright-care',
      reason: 'We can no longer staff the evening calls.',
      subjectId: SUBJECT,
      givenBy: 'user:coordinator@bright-care',
      now,
      ...data,
    },
  });
  const given: PackageHandBackNoticeGiven = {
    type: 'PackageHandBackNoticeGiven',
    data: {
      packageId: 'pkg-1',
      frameworkId: 'cah-2026',
      providerId: 'bright-care',
      noticeGivenAt: '2026-04-02T14:00:00.000Z',
      // Seven calendar days, Easter or not.
      handBackAt: '2026-04-09T14:00:00.000Z',
      subjectId: SUBJECT,
      reason: 'We can no longer staff the evening calls.',
      givenBy: 'user:coordinator@bright-care',
    },
  };

  it('keeps the package the provider’s for seven calendar days from the notice', () => {
    handBack.given([]).when(give()).then([given]);
  });

  it('returns it to the council when the seven days are up, not a moment before', () => {
    const notice = given.data;
    expect(handBackStatus(null, now)).toBe('none');
    expect(handBackStatus(notice, new Date('2026-04-09T13:59:59Z'))).toBe('notice-pending');
    expect(handBackStatus(notice, new Date('2026-04-09T14:00:00Z'))).toBe('handed-back');
  });

  it('is refused to a provider the package is not placed with (409)', () => {
    handBack
      .given([])
      .when(give({ holder: 'demo-care' }))
      .thenThrows(ConflictError, /not placed with bright-care/);
    handBack
      .given([])
      .when(give({ holder: null }))
      .thenThrows(ConflictError);
  });

  it('is given once: again while pending, or after the hand-back, is 409', () => {
    handBack
      .given([given])
      .when(give({ now: new Date('2026-04-05T09:00:00Z') }))
      .thenThrows(ConflictError, /returns to the council at 2026-04-09T14:00:00.000Z/);
    handBack
      .given([given])
      .when(give({ now: new Date('2026-04-10T09:00:00Z') }))
      .thenThrows(ConflictError, /was handed back/);
  });

  it('needs a reason', () => {
    handBack
      .given([])
      .when(give({ reason: ' ' }))
      .thenThrows(InvalidCommandError, /reason/);
  });
});
