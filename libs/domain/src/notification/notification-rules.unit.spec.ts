import { monthlyReturnDeadline, type Deadline } from '../deadline/deadline';
import type { Period } from '../shared/period';
import {
  isStillNews,
  uniqueDeliveries,
  type NotifiableEvent,
  type Notification,
  type RecipientRef,
} from './notification';
import { notificationsFor } from './notification-rules';

/**
 * Given a stored event, when the rules read it, then these notifications (docs/decisions/0036).
 */
const rules = {
  given(event: NotifiableEvent) {
    return {
      then(expected: readonly Partial<Notification>[]) {
        expect(notificationsFor(event)).toEqual(expected.map((n) => expect.objectContaining(n)));
      },
      thenNothing() {
        expect(notificationsFor(event)).toEqual([]);
      },
    };
  },
};

let sequence = 0;
function stored(type: string, data: object, tenantId = 'acme'): NotifiableEvent {
  sequence += 1;
  return {
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    type,
    data,
    metadata: { tenantId },
    recordedAt: '2026-11-13T09:00:00.000Z',
  };
}

const returnDeadline = monthlyReturnDeadline(
  { serviceId: 'home-01', regionId: 'north' },
  '2026-10' as Period,
);
const actionDeadline: Deadline = {
  key: 'action:act-7:2026-11-30',
  kind: 'action' as Deadline['kind'],
  serviceId: 'home-01',
  subjectId: 'act-7',
  period: null,
  dueOn: '2026-11-30',
  workAfter: null,
  regionId: null,
};
const complaintDeadline: Deadline = {
  key: 'complaint-response:c-1:2026-11-20',
  kind: 'complaint-response',
  serviceId: 'home-01',
  subjectId: 'c-1',
  period: null,
  dueOn: '2026-11-20',
  workAfter: null,
  regionId: null,
};

const reminder = (deadline: Deadline, to: string | null, name = '5-working-days-before') =>
  stored('DeadlineReminderSent', {
    deadline,
    reminder: name,
    to,
    sentAt: '2026-11-13T09:00:00.000Z',
  });
const passed = (deadline: Deadline, to: string | null, outcome: object = { outcome: 'missed' }) =>
  stored('DeadlinePassed', {
    deadline,
    to,
    judgedAt: '2026-11-21T00:00:00.000Z',
    ...outcome,
  });

describe('notification rules', () => {
  describe('given a return’s reminder sent to the regional manager rm-gwen', () => {
    it('tells rm-gwen (a manager id) the return is due, linking to its form; the generic rule names them too', () => {
      const event = reminder(returnDeadline, 'rm-gwen');
      rules.given(event).then([
        {
          notificationId: `return-due-soon~${event.eventId}`,
          kind: 'return-due-soon',
          tenantId: 'acme',
          recipients: [{ kind: 'manager', tenantId: 'acme', managerId: 'rm-gwen' }],
          subject: 'The October 2026 return of home-01 is due by 20 November 2026',
          link: '/app/services/home-01/returns/2026-10/submit',
        },
        {
          kind: 'deadline-reminder',
          recipients: [{ kind: 'person', tenantId: 'acme', personId: 'rm-gwen' }],
        },
      ]);
    });

    it('the day before too (the 1-working-day reminder)', () => {
      const [first] = notificationsFor(reminder(returnDeadline, 'rm-gwen', '1-working-day-before'));
      expect(first).toMatchObject({
        kind: 'return-due-soon',
        facts: { Reminder: '1 working day before' },
      });
    });

    it('nobody when the region has no regional manager on record', () => {
      rules.given(reminder(returnDeadline, null)).thenNothing();
    });
  });

  describe('given a return’s deadline passed', () => {
    it('missed: overdue, to the regional manager, linking to returns due', () => {
      rules.given(passed(returnDeadline, 'rm-gwen')).then([
        {
          kind: 'return-overdue',
          recipients: [{ kind: 'manager', tenantId: 'acme', managerId: 'rm-gwen' }],
          subject: 'The October 2026 return of home-01 is overdue: it was due by 20 November 2026',
          link: '/app/returns-due',
        },
        { kind: 'deadline-missed' },
      ]);
    });

    it('met or cancelled: nothing', () => {
      const work = { on: '2026-11-18', eventId: 'e-1' };
      rules.given(passed(returnDeadline, 'rm-gwen', { outcome: 'met', work })).thenNothing();
      rules
        .given(passed(returnDeadline, 'rm-gwen', { outcome: 'cancelled', reason: 'closed' }))
        .thenNothing();
    });
  });

  describe('given a complaint’s response deadline', () => {
    it('missed: to the home’s manager now', () => {
      rules.given(passed(complaintDeadline, null)).then([
        {
          kind: 'complaint-response-overdue',
          recipients: [{ kind: 'service-manager', tenantId: 'acme', serviceId: 'home-01' }],
          subject:
            'The response to complaint c-1 at home-01 is overdue: it was due by 20 November 2026',
        },
      ]);
    });

    it('a reminder before it (when one is sent): due', () => {
      rules
        .given(reminder(complaintDeadline, null, '2-working-days-before'))
        .then([{ kind: 'complaint-response-due' }]);
    });

    it('the acknowledgement missed, naming nobody: nothing', () => {
      rules
        .given(passed({ ...complaintDeadline, kind: 'complaint-acknowledgement' }, null))
        .thenNothing();
    });
  });

  describe('given any other deadline whose `to` names someone', () => {
    it('an action overdue reaches its owner’s account (the generic rule)', () => {
      rules.given(passed(actionDeadline, 'acc-owner')).then([
        {
          kind: 'deadline-missed',
          recipients: [{ kind: 'person', tenantId: 'acme', personId: 'acc-owner' }],
          subject: 'Overdue: an action (act-7) was due by 30 November 2026',
        },
      ]);
    });

    it('named as an actor (`user:<account id>`), the same person', () => {
      const [overdue] = notificationsFor(passed(actionDeadline, 'user:acc-owner'));
      expect(overdue!.recipients).toEqual([
        { kind: 'person', tenantId: 'acme', personId: 'acc-owner' },
      ]);
    });

    it('its reminder too', () => {
      rules.given(reminder(actionDeadline, 'acc-owner', '2-days-before')).then([
        {
          kind: 'deadline-reminder',
          subject: 'Reminder: an action (act-7) is due by 30 November 2026',
        },
      ]);
    });

    it('a staff deadline that names nobody: nothing', () => {
      rules
        .given(passed({ ...actionDeadline, kind: 'supervision', key: 'supervision:s-1' }, null))
        .thenNothing();
    });
  });

  describe('given a manager entered a stage', () => {
    const entered = (stage: number, reviewDue: boolean) =>
      stored('CapabilityStageEntered', {
        managerId: 'mgr-home-02',
        serviceId: 'home-02',
        regionId: 'west-midlands',
        indicatorCode: 'EDU',
        entryId: 'entry-3',
        stage,
        period: '2026-10',
        consecutiveMisses: 4,
        reviewDue,
      });

    it('Stage 3 with a review due: HR and the region’s regional manager', () => {
      rules.given(entered(3, true)).then([
        {
          kind: 'stage-3-review-due',
          recipients: [
            { kind: 'role', tenantId: 'acme', role: 'hr' },
            { kind: 'regional-manager', tenantId: 'acme', regionId: 'west-midlands' },
          ],
          subject:
            'A Stage 3 review is due: manager mgr-home-02 missed EDU at home-02 4 months running',
          link: '/app/capability/managers/mgr-home-02/timeline',
        },
      ]);
    });

    it('Stage 1 or 2: nothing', () => {
      rules.given(entered(2, false)).thenNothing();
    });
  });

  describe('given a Stage 3 review recorded', () => {
    const review = (outcome: string, nextReviewDue: string | null) =>
      stored('CapabilityReviewRecorded', {
        managerId: 'mgr-home-02',
        serviceId: 'home-02',
        regionId: 'west-midlands',
        indicatorCode: 'EDU',
        outcome,
        heldOn: '2026-11-10',
        nextReviewDue,
      });

    it('mitigating circumstances: the next review’s date, to HR and the regional manager', () => {
      rules.given(review('mitigating-circumstances', '2027-02-10')).then([
        {
          kind: 'further-review-due',
          subject: 'The next Stage 3 review of manager mgr-home-02 is due on 10 February 2027',
        },
      ]);
    });

    it('a closing outcome: nothing', () => {
      rules.given(review('standards-met', null)).thenNothing();
    });
  });

  describe('given a council offered a care package', () => {
    it('each provider offered it: its provider admins, in its own organisation', () => {
      const event = stored(
        'CarePackageOffered',
        {
          packageId: 'pkg-9',
          round: 'all',
          providers: ['bright-care', 'cwtch-care'],
          offeredAt: '2026-11-13T09:00:00.000Z',
          closesAt: null,
        },
        'demo-council',
      );
      rules.given(event).then([
        {
          kind: 'package-offered',
          tenantId: 'demo-council',
          recipients: [
            { kind: 'role', tenantId: 'bright-care', role: 'provider-admin' },
            { kind: 'role', tenantId: 'cwtch-care', role: 'provider-admin' },
          ],
        },
      ]);
    });
  });

  it('given an event no rule reads: nothing', () => {
    rules.given(stored('MonthlyReturnSubmitted', { serviceId: 'home-01' })).thenNothing();
  });

  it('the same event read again gives the same notifications, with the same ids', () => {
    const event = reminder(returnDeadline, 'rm-gwen');
    expect(notificationsFor(structuredClone(event))).toEqual(notificationsFor(event));
  });
});

describe('deliveries: once per event and person', () => {
  /** rm-gwen's account, reached as a manager and as a person; HR has two accounts. */
  const accountsOf = (ref: RecipientRef) => {
    switch (ref.kind) {
      case 'manager':
      case 'person':
        return ref.tenantId === 'acme' ? [{ tenantId: 'acme', accountId: 'acc-gwen' }] : [];
      case 'role':
        return [
          { tenantId: ref.tenantId, accountId: 'acc-hr-1' },
          { tenantId: ref.tenantId, accountId: 'acc-gwen' },
        ];
      default:
        return [];
    }
  };
  const keys = (notifications: Notification[]) =>
    uniqueDeliveries(notifications, accountsOf).map((d) => [d.notification.kind, d.accountId]);

  it('given two rules on one event reaching the same person, then they get the first (most specific) only', () => {
    const notifications = notificationsFor(passed(returnDeadline, 'rm-gwen'));
    expect(notifications.map((n) => n.kind)).toEqual(['return-overdue', 'deadline-missed']);
    expect(keys(notifications)).toEqual([['return-overdue', 'acc-gwen']]);
  });

  it('given the same event twice in a batch (read again), then each person once', () => {
    const event = passed(returnDeadline, 'rm-gwen');
    expect(keys([...notificationsFor(event), ...notificationsFor(event)])).toEqual([
      ['return-overdue', 'acc-gwen'],
    ]);
  });

  it('given two references of one notification naming the same account, then that account once', () => {
    const notifications = notificationsFor(
      stored('CapabilityStageEntered', {
        managerId: 'mgr-1',
        serviceId: 'home-02',
        regionId: 'north',
        indicatorCode: 'EDU',
        stage: 3,
        period: '2026-10',
        consecutiveMisses: 4,
        reviewDue: true,
      }),
    );
    expect(
      uniqueDeliveries(notifications, (ref) =>
        ref.kind === 'regional-manager'
          ? [{ tenantId: 'acme', accountId: 'acc-hr-1' }]
          : accountsOf(ref),
      ).map((d) => d.accountId),
    ).toEqual(['acc-hr-1', 'acc-gwen']);
  });

  it('given two events for the same person, then one delivery each', () => {
    const notifications = [
      ...notificationsFor(passed(returnDeadline, 'rm-gwen')),
      ...notificationsFor(reminder(returnDeadline, 'rm-gwen')),
    ];
    expect(keys(notifications)).toEqual([
      ['return-overdue', 'acc-gwen'],
      ['return-due-soon', 'acc-gwen'],
    ]);
  });
});

describe('a package offered with a window', () => {
  it('says by when to answer, in London time', () => {
    const [offer] = notificationsFor(
      stored(
        'CarePackageOffered',
        {
          packageId: 'pkg-3',
          round: 'first-refusal',
          providers: ['demo-care'],
          offeredAt: '2026-07-13T09:00:00.000Z',
          closesAt: '2026-07-13T11:00:00.000Z',
        },
        'demo-council',
      ),
    );
    expect(offer).toMatchObject({
      subject: 'demo-council offers you care package pkg-3: answer by 12:00 on 13 July 2026',
      facts: { Offer: 'first refusal', 'Answer by': '12:00 on 13 July 2026' },
    });
  });
});

describe('notifications are news', () => {
  const now = new Date('2026-12-08T09:00:00.000Z');

  it('an event recorded up to 7 days before it is read tells people', () => {
    expect(isStillNews('2026-12-01T09:00:00.000Z', now)).toBe(true);
  });

  it('an older one (history read the first time, a worker down for longer) tells nobody', () => {
    expect(isStillNews('2026-12-01T08:59:59.999Z', now)).toBe(false);
  });
});

describe('given a provider’s notification to the council', () => {
  it('a safeguarding concern: to the council’s commissioners and provider admins, naming no one', () => {
    rules
      .given(
        stored(
          'ProviderNotificationLogged',
          {
            notificationId: 'pn-1',
            frameworkId: 'care-at-home',
            packageId: 'pkg-9',
            providerId: 'demo-cwtch-care',
            kind: 'safeguarding-concern',
            occurredAt: '2026-07-13T08:00:00.000Z',
            notifiedAt: '2026-07-13T10:00:00.000Z',
            dueBy: '2026-07-13T10:00:00.000Z',
            late: false,
            subjectId: 'ds-1',
            serviceUser: { ref: 'sealed' },
            details: { ref: 'sealed' },
            loggedBy: 'user:x',
            loggedAt: '2026-07-13T10:00:00.000Z',
          },
          'demo-council',
        ),
      )
      .then([
        {
          kind: 'provider-notified',
          recipients: [
            { kind: 'role', tenantId: 'demo-council', role: 'commissioner' },
            { kind: 'role', tenantId: 'demo-council', role: 'provider-admin' },
          ],
          subject: 'demo-cwtch-care notifies a safeguarding concern under package pkg-9',
          link: '/app/councils/demo-council/care-frameworks/care-at-home/notices',
        },
      ]);
  });

  it('a hand-back notice: when the package comes back', () => {
    rules
      .given(
        stored(
          'PackageHandBackNoticeGiven',
          {
            packageId: 'pkg-9',
            frameworkId: 'care-at-home',
            providerId: 'demo-care',
            noticeGivenAt: '2026-07-13T10:00:00.000Z',
            handBackAt: '2026-07-20T10:00:00.000Z',
            subjectId: 'ds-2',
            reason: { ref: 'sealed' },
            givenBy: 'user:x',
          },
          'demo-council',
        ),
      )
      .then([
        {
          kind: 'package-hand-back',
          subject: 'demo-care hands package pkg-9 back at 11:00 on 20 July 2026',
        },
      ]);
  });
});
