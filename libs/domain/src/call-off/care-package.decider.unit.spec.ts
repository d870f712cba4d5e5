import { deciderSpecification } from '@kpi/testing';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../calendar/bank-holidays';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { foldEvents } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type DomainError,
} from '../shared/domain-errors';
import type {
  CallOffRotation,
  CarePackageAccepted,
  CarePackageDeclined,
  CarePackageEvent,
  CarePackageFamilyContacted,
  CarePackageOffered,
  CarePackageRegistered,
  CarePackageUnplaced,
  OfferRound,
} from './call-off.events';
import { heldUntil } from './call-off-windows';
import type {
  AcceptCarePackage,
  CarePackageCommand,
  DeclineCarePackage,
  MoveCarePackageOffer,
  RecordCareStarted,
  RecordFamilyContact,
  RegisterCarePackage,
} from './care-package.commands';
import { carePackageDecider, nextOfferMoveAt } from './care-package.decider';

const spec = deciderSpecification(carePackageDecider);
const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);

const PACKAGE = 'pkg-1';
const FIRST = 'alpha-care';
const SECOND = 'beta-care';
const OTHERS = ['gamma-care', 'delta-care'];
const ROTATION: CallOffRotation = { firstRefusal: FIRST, second: SECOND, others: OTHERS };
const TWO_PROVIDERS: CallOffRotation = { firstRefusal: FIRST, second: SECOND, others: [] };
const ONE_PROVIDER: CallOffRotation = { firstRefusal: FIRST, second: null, others: [] };

/** An instant `hours` (and `minutes`) after `base`, as an ISO string. */
const plus = (base: string, hours: number, minutes = 0, ms = 0) =>
  new Date(Date.parse(base) + hours * 3_600_000 + minutes * 60_000 + ms).toISOString();

// Tuesday 12 May 2026, 10:00 BST: an ordinary working day.
const T = '2026-05-12T09:00:00.000Z';

const details = {
  hoursPerWeek: 10,
  outcomes: 'Personal care mornings and evenings; support to get ready for school',
  startDate: '2026-05-18',
  endDate: null,
  urgent: false,
  communicationNeeds: null,
  specialRequirements: null,
};

const register = (
  at: string,
  data: Partial<RegisterCarePackage['data']> = {},
): RegisterCarePackage => {
  const now = new Date(at);
  return {
    type: 'RegisterCarePackage',
    data: {
      ...details,
      packageId: PACKAGE,
      frameworkId: 'care-at-home-2026',
      rotation: ROTATION,
      // The use case works the hold out from the calendar in force; so does every test here.
      heldUntil: heldUntil(now, calendar),
      registeredBy: 'user:placements-1',
      now,
      ...data,
    },
  };
};
const registered = (
  at: string,
  data: Partial<CarePackageRegistered['data']> = {},
): CarePackageRegistered => ({
  type: 'CarePackageRegistered',
  data: {
    packageId: PACKAGE,
    frameworkId: 'care-at-home-2026',
    ...details,
    rotation: ROTATION,
    heldUntil: null,
    registeredBy: 'user:placements-1',
    registeredAt: at,
    ...data,
  },
});
const offered = (
  round: OfferRound,
  providers: string[],
  offeredAt: string,
  closesAt: string | null,
): CarePackageOffered => ({
  type: 'CarePackageOffered',
  data: { packageId: PACKAGE, round, providers, offeredAt, closesAt },
});
const move = (at: string): MoveCarePackageOffer => ({
  type: 'MoveCarePackageOffer',
  data: { packageId: PACKAGE, now: new Date(at) },
});
const accept = (providerId: string, at: string): AcceptCarePackage => ({
  type: 'AcceptCarePackage',
  data: {
    packageId: PACKAGE,
    providerId,
    acceptedBy: `user:${providerId}-manager`,
    now: new Date(at),
  },
});
const accepted = (
  providerId: string,
  round: OfferRound,
  offeredAt: string,
  at: string,
): CarePackageAccepted => ({
  type: 'CarePackageAccepted',
  data: {
    packageId: PACKAGE,
    providerId,
    round,
    offeredAt,
    acceptedBy: `user:${providerId}-manager`,
    acceptedAt: at,
  },
});
const decline = (providerId: string, at: string, reason?: unknown): DeclineCarePackage => ({
  type: 'DeclineCarePackage',
  data: {
    packageId: PACKAGE,
    providerId,
    reason,
    declinedBy: `user:${providerId}-manager`,
    now: new Date(at),
  },
});
const declined = (
  providerId: string,
  round: OfferRound,
  at: string,
  reason: string | null = null,
): CarePackageDeclined => ({
  type: 'CarePackageDeclined',
  data: {
    packageId: PACKAGE,
    providerId,
    round,
    reason,
    declinedBy: `user:${providerId}-manager`,
    declinedAt: at,
  },
});
const unplaced = (at: string): CarePackageUnplaced => ({
  type: 'CarePackageUnplaced',
  data: { packageId: PACKAGE, unplacedAt: at },
});
const recordContact = (
  providerId: string,
  contactedAt: unknown,
  at: string,
): RecordFamilyContact => ({
  type: 'RecordFamilyContact',
  data: {
    packageId: PACKAGE,
    providerId,
    contactedAt,
    recordedBy: 'user:coordinator-1',
    now: new Date(at),
  },
});
const familyContacted = (contactedAt: string, at: string): CarePackageFamilyContacted => ({
  type: 'CarePackageFamilyContacted',
  data: {
    packageId: PACKAGE,
    providerId: FIRST,
    contactedAt,
    recordedBy: 'user:coordinator-1',
    recordedAt: at,
  },
});
const recordStart = (providerId: string, startedOn: unknown, at: string): RecordCareStarted => ({
  type: 'RecordCareStarted',
  data: {
    packageId: PACKAGE,
    providerId,
    startedOn,
    recordedBy: 'user:coordinator-1',
    now: new Date(at),
  },
});

/** The first-refusal round of an ordinary package registered at T, nothing else recorded. */
const onOffer = (): CarePackageEvent[] => [
  registered(T),
  offered('first-refusal', [FIRST], T, plus(T, 2)),
];
/** Both windows passed and recorded: the package is offered to all the others. */
const broadcast = (): CarePackageEvent[] => [
  ...onOffer(),
  offered('second', [SECOND], plus(T, 2), plus(T, 4)),
  offered('all', OTHERS, plus(T, 4), null),
];

/** The error `command` is refused with after `history`. */
function refusal(history: readonly CarePackageEvent[], command: CarePackageCommand): DomainError {
  try {
    carePackageDecider.decide(command, foldEvents(carePackageDecider, history));
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`expected ${command.type} to be refused`);
}
const conflict = (history: readonly CarePackageEvent[], command: CarePackageCommand) => {
  const error = refusal(history, command);
  expect(error).toBeInstanceOf(ConflictError);
  return error as ConflictError;
};
const fieldsRefused = (history: readonly CarePackageEvent[], command: CarePackageCommand) => {
  const error = refusal(history, command);
  expect(error).toBeInstanceOf(InvalidCommandError);
  return (error as InvalidCommandError).problems.map((p) => p.field);
};

describe('a care package on call-off', () => {
  describe('when it is registered', () => {
    it('offers it at once to the first-refusal provider, for 2 hours', () => {
      spec
        .given([])
        .when(register(T))
        .then([registered(T), offered('first-refusal', [FIRST], T, plus(T, 2))]);
    });

    it('is registered once', () => {
      spec
        .given(onOffer())
        .when(register(T))
        .thenThrows(ConflictError, /already registered/);
    });

    it('keeps the communication needs and special requirements, trimmed', () => {
      spec
        .given([])
        .when(
          register(T, {
            communicationNeeds: '  Makaton  ',
            specialRequirements: ' ',
            endDate: '2026-08-31',
            urgent: true,
          }),
        )
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            communicationNeeds: 'Makaton',
            specialRequirements: null,
            endDate: '2026-08-31',
            urgent: true,
          }),
        );
    });

    it('gives the only provider on a framework of one an offer open until it answers', () => {
      spec
        .given([])
        .when(register(T, { rotation: ONE_PROVIDER }))
        .then([
          registered(T, { rotation: ONE_PROVIDER }),
          offered('first-refusal', [FIRST], T, null),
        ]);
    });

    describe('with details that will not do', () => {
      it('names each field at fault', () => {
        expect(
          fieldsRefused(
            [],
            register(T, {
              hoursPerWeek: 0,
              outcomes: '  ',
              startDate: 'next Monday',
              urgent: 'yes',
            }),
          ),
        ).toEqual(['hoursPerWeek', 'outcomes', 'startDate', 'urgent']);
      });

      it.each([
        ['negative', -3],
        ['more than the hours in a week', 168.5],
        ['not a number', '10'],
        ['not finite', Number.POSITIVE_INFINITY],
        ['missing', undefined],
      ])('refuses hours a week that are %s', (_what, hoursPerWeek) => {
        expect(fieldsRefused([], register(T, { hoursPerWeek }))).toEqual(['hoursPerWeek']);
      });

      it('takes a package of every hour of the week', () => {
        spec
          .given([])
          .when(register(T, { hoursPerWeek: 168 }))
          .thenEvents(([event]) => expect(event?.data).toMatchObject({ hoursPerWeek: 168 }));
      });

      it('refuses an end date before the start date', () => {
        const error = refusal([], register(T, { endDate: '2026-05-17' }));
        expect(error).toBeInstanceOf(InvalidCommandError);
        expect((error as InvalidCommandError).problems).toEqual([
          { field: 'endDate', reason: 'is before the start date (2026-05-18)' },
        ]);
      });

      it('takes an end date on the start date', () => {
        spec
          .given([])
          .when(register(T, { endDate: '2026-05-18' }))
          .thenEvents(([event]) => expect(event?.data).toMatchObject({ endDate: '2026-05-18' }));
      });

      it('refuses an end date that is not a date', () => {
        expect(fieldsRefused([], register(T, { endDate: '2026-02-30' }))).toEqual(['endDate']);
      });

      it('refuses outcomes that are not text, and needs that are not text', () => {
        expect(
          fieldsRefused([], register(T, { outcomes: 42, communicationNeeds: ['BSL'] })),
        ).toEqual(['outcomes', 'communicationNeeds']);
      });

      it('refuses urgency left out', () => {
        expect(fieldsRefused([], register(T, { urgent: undefined }))).toEqual(['urgent']);
      });
    });
  });

  describe('when the first-refusal window closes', () => {
    it('records nothing while it is open', () => {
      spec
        .given(onOffer())
        .when(move(plus(T, 2, 0, -1)))
        .thenNothingHappened();
    });

    it('offers the package to the next provider in rotation for 2 hours', () => {
      spec
        .given(onOffer())
        .when(move(plus(T, 2)))
        .then([offered('second', [SECOND], plus(T, 2), plus(T, 4))]);
    });

    it('dates that offer from the moment the first window closed, not from when the timer ran', () => {
      spec
        .given(onOffer())
        .when(move(plus(T, 2, 37)))
        .then([offered('second', [SECOND], plus(T, 2), plus(T, 4))]);
    });

    it('offers it to all the other providers together when the second window closes, open until taken', () => {
      spec
        .given([...onOffer(), offered('second', [SECOND], plus(T, 2), plus(T, 4))])
        .when(move(plus(T, 4)))
        .then([offered('all', OTHERS, plus(T, 4), null)]);
    });

    it('records both rounds, in order, when the timer was down for hours', () => {
      spec
        .given(onOffer())
        .when(move(plus(T, 9)))
        .then([
          offered('second', [SECOND], plus(T, 2), plus(T, 4)),
          offered('all', OTHERS, plus(T, 4), null),
        ]);
    });

    it('records nothing more once it is offered to all', () => {
      spec
        .given(broadcast())
        .when(move(plus(T, 72)))
        .thenNothingHappened();
    });

    it('records nothing once the package is placed', () => {
      spec
        .given([...onOffer(), accepted(FIRST, 'first-refusal', T, plus(T, 1))])
        .when(move(plus(T, 5)))
        .thenNothingHappened();
    });

    it('needs the package to exist', () => {
      spec
        .given([])
        .when(move(T))
        .thenThrows(NotFoundError, /No care package pkg-1/);
    });

    it('tells the timer when the offer moves on next', () => {
      const pkg = (history: CarePackageEvent[]) => foldEvents(carePackageDecider, history).package!;
      expect(nextOfferMoveAt(pkg(onOffer()))).toBe(plus(T, 2));
      expect(nextOfferMoveAt(pkg(broadcast()))).toBeNull();
      expect(
        nextOfferMoveAt(pkg([...onOffer(), accepted(FIRST, 'first-refusal', T, plus(T, 1))])),
      ).toBeNull();
    });
  });

  describe('on a framework of two providers', () => {
    const twoOnOffer = (): CarePackageEvent[] => [
      registered(T, { rotation: TWO_PROVIDERS }),
      offered('first-refusal', [FIRST], T, plus(T, 2)),
    ];

    it('leaves the package unplaced when the second window closes: there is nobody else', () => {
      spec
        .given([...twoOnOffer(), offered('second', [SECOND], plus(T, 2), plus(T, 4))])
        .when(move(plus(T, 4)))
        .then([unplaced(plus(T, 4))]);
    });

    it('records the second round and then the end of offers when the timer was down', () => {
      spec
        .given(twoOnOffer())
        .when(move(plus(T, 6)))
        .then([offered('second', [SECOND], plus(T, 2), plus(T, 4)), unplaced(plus(T, 4))]);
    });

    it('leaves it unplaced at once when the second provider declines', () => {
      spec
        .given([...twoOnOffer(), offered('second', [SECOND], plus(T, 2), plus(T, 4))])
        .when(decline(SECOND, plus(T, 3)))
        .then([declined(SECOND, 'second', plus(T, 3)), unplaced(plus(T, 3))]);
    });
  });

  describe('on a framework of one provider', () => {
    const alone = (): CarePackageEvent[] => [
      registered(T, { rotation: ONE_PROVIDER }),
      offered('first-refusal', [FIRST], T, null),
    ];

    it('never moves the offer on', () => {
      spec
        .given(alone())
        .when(move(plus(T, 48)))
        .thenNothingHappened();
    });

    it('lets the provider accept days later', () => {
      spec
        .given(alone())
        .when(accept(FIRST, plus(T, 50)))
        .then([accepted(FIRST, 'first-refusal', T, plus(T, 50))]);
    });

    it('leaves the package unplaced when the provider declines', () => {
      spec
        .given(alone())
        .when(decline(FIRST, plus(T, 1)))
        .then([declined(FIRST, 'first-refusal', plus(T, 1)), unplaced(plus(T, 1))]);
    });

    it('leaves it unplaced at once when the provider declines during a Friday hold (nobody to hold it for)', () => {
      const friday = '2026-05-15T11:01:00.000Z';
      const monday = '2026-05-18T08:00:00.000Z';
      spec
        .given([
          registered(friday, { rotation: ONE_PROVIDER, heldUntil: monday }),
          offered('first-refusal', [FIRST], friday, null),
        ])
        .when(decline(FIRST, plus(friday, 3)))
        .then([declined(FIRST, 'first-refusal', plus(friday, 3)), unplaced(plus(friday, 3))]);
    });
  });

  describe('when a package becomes available on a Friday', () => {
    // Friday 15 May 2026 (BST): 11:59 is 10:59 UTC, 12:01 is 11:01 UTC; Monday 09:00 is 08:00 UTC.
    const FRIDAY_1159 = '2026-05-15T10:59:00.000Z';
    const FRIDAY_1201 = '2026-05-15T11:01:00.000Z';
    const MONDAY_0900 = '2026-05-18T08:00:00.000Z';
    const held = (): CarePackageEvent[] => [
      registered(FRIDAY_1201, { heldUntil: MONDAY_0900 }),
      offered('first-refusal', [FIRST], FRIDAY_1201, MONDAY_0900),
    ];

    it('at 11:59 offers it on as on any day: 2 hours each, then to all on Friday afternoon', () => {
      spec
        .given([])
        .when(register(FRIDAY_1159))
        .then([
          registered(FRIDAY_1159),
          offered('first-refusal', [FIRST], FRIDAY_1159, plus(FRIDAY_1159, 2)),
        ]);
      spec
        .given([
          registered(FRIDAY_1159),
          offered('first-refusal', [FIRST], FRIDAY_1159, plus(FRIDAY_1159, 2)),
        ])
        .when(move(plus(FRIDAY_1159, 4)))
        .then([
          offered('second', [SECOND], plus(FRIDAY_1159, 2), plus(FRIDAY_1159, 4)),
          offered('all', OTHERS, plus(FRIDAY_1159, 4), null),
        ]);
    });

    it('at 12:01 gives the first-refusal provider the package until 09:00 on Monday', () => {
      spec.given([]).when(register(FRIDAY_1201)).then(held());
    });

    it('offers it to nobody else over the weekend', () => {
      spec.given(held()).when(move('2026-05-17T20:00:00.000Z')).thenNothingHappened();
      spec
        .given(held())
        .when(move(plus(MONDAY_0900, 0, 0, -1)))
        .thenNothingHappened();
    });

    it('offers it to the next provider from 09:00 to 11:00 on Monday, then to all the others', () => {
      spec
        .given(held())
        .when(move(MONDAY_0900))
        .then([offered('second', [SECOND], MONDAY_0900, plus(MONDAY_0900, 2))]);
      spec
        .given([...held(), offered('second', [SECOND], MONDAY_0900, plus(MONDAY_0900, 2))])
        .when(move(plus(MONDAY_0900, 2)))
        .then([offered('all', OTHERS, plus(MONDAY_0900, 2), null)]);
    });

    it('records both Monday rounds at once when the timer only runs at Monday noon', () => {
      spec
        .given(held())
        .when(move(plus(MONDAY_0900, 3)))
        .then([
          offered('second', [SECOND], MONDAY_0900, plus(MONDAY_0900, 2)),
          offered('all', OTHERS, plus(MONDAY_0900, 2), null),
        ]);
    });

    it('lets the first-refusal provider accept on Sunday', () => {
      spec
        .given(held())
        .when(accept(FIRST, '2026-05-17T10:00:00.000Z'))
        .then([accepted(FIRST, 'first-refusal', FRIDAY_1201, '2026-05-17T10:00:00.000Z')]);
    });

    it('tells the next provider it is not its turn until Monday 09:00', () => {
      const error = conflict(held(), accept(SECOND, '2026-05-16T09:00:00.000Z'));
      expect(error.details).toEqual({ reason: 'not-your-turn', offeredToOthersUntil: MONDAY_0900 });
    });

    it('holds a first refusal declined during the hold until Monday 09:00', () => {
      spec
        .given(held())
        .when(decline(FIRST, '2026-05-15T15:00:00.000Z', 'No carers free in that area'))
        .then([
          declined(
            FIRST,
            'first-refusal',
            '2026-05-15T15:00:00.000Z',
            'No carers free in that area',
          ),
        ]);
      const afterDecline = [
        ...held(),
        declined(FIRST, 'first-refusal', '2026-05-15T15:00:00.000Z'),
      ];
      spec.given(afterDecline).when(move('2026-05-16T12:00:00.000Z')).thenNothingHappened();
      expect(conflict(afterDecline, accept(SECOND, '2026-05-16T12:00:00.000Z')).details).toEqual({
        reason: 'not-your-turn',
        offeredToOthersUntil: MONDAY_0900,
      });
      spec
        .given(afterDecline)
        .when(move(MONDAY_0900))
        .then([offered('second', [SECOND], MONDAY_0900, plus(MONDAY_0900, 2))]);
    });

    it('at 14:00 before the summer bank holiday holds it until 09:00 on Tuesday', () => {
      // Friday 28 August 2026 14:00 BST; Monday 31 August is the summer bank holiday.
      const friday = '2026-08-28T13:00:00.000Z';
      const tuesday = '2026-09-01T08:00:00.000Z';
      spec
        .given([])
        .when(register(friday))
        .then([
          registered(friday, { heldUntil: tuesday }),
          offered('first-refusal', [FIRST], friday, tuesday),
        ]);
      const heldOverBankHoliday = [
        registered(friday, { heldUntil: tuesday }),
        offered('first-refusal', [FIRST], friday, tuesday),
      ];
      spec.given(heldOverBankHoliday).when(move('2026-08-31T09:00:00.000Z')).thenNothingHappened();
      spec
        .given(heldOverBankHoliday)
        .when(move(tuesday))
        .then([offered('second', [SECOND], tuesday, plus(tuesday, 2))]);
    });

    it('lets the next provider accept at 09:00 on Monday after a first refusal declined in the hold, before the timer ran', () => {
      const afterDecline = [
        ...held(),
        declined(FIRST, 'first-refusal', '2026-05-15T15:00:00.000Z'),
      ];
      spec
        .given(afterDecline)
        .when(accept(SECOND, plus(MONDAY_0900, 0, 5)))
        .then([
          offered('second', [SECOND], MONDAY_0900, plus(MONDAY_0900, 2)),
          accepted(SECOND, 'second', MONDAY_0900, plus(MONDAY_0900, 0, 5)),
        ]);
    });

    it('holds a package registered on Saturday for the first refusal until Monday 09:00', () => {
      const saturday = '2026-05-16T10:00:00.000Z';
      spec
        .given([])
        .when(register(saturday))
        .then([
          registered(saturday, { heldUntil: MONDAY_0900 }),
          offered('first-refusal', [FIRST], saturday, MONDAY_0900),
        ]);
    });

    it('gives a package registered on Monday at 08:00 its full 2 hours, which outlast the hold', () => {
      const monday0800 = '2026-05-18T07:00:00.000Z';
      spec
        .given([])
        .when(register(monday0800))
        .then([
          registered(monday0800, { heldUntil: MONDAY_0900 }),
          offered('first-refusal', [FIRST], monday0800, plus(monday0800, 2)),
        ]);
    });

    it('moves a first refusal declined on Monday at 08:30 on at 09:00, when the hold ends', () => {
      const monday0800 = '2026-05-18T07:00:00.000Z';
      const history = [
        registered(monday0800, { heldUntil: MONDAY_0900 }),
        offered('first-refusal', [FIRST], monday0800, plus(monday0800, 2)),
      ];
      spec
        .given(history)
        .when(decline(FIRST, plus(monday0800, 0, 30)))
        .then([declined(FIRST, 'first-refusal', plus(monday0800, 0, 30))]);
      spec
        .given([...history, declined(FIRST, 'first-refusal', plus(monday0800, 0, 30))])
        .when(move(MONDAY_0900))
        .then([offered('second', [SECOND], MONDAY_0900, plus(MONDAY_0900, 2))]);
    });
  });

  describe('when a provider declines', () => {
    it('moves the offer on to the next provider at once, for 2 hours from the decline', () => {
      spec
        .given(onOffer())
        .when(decline(FIRST, plus(T, 0, 30), '  Full this week  '))
        .then([
          declined(FIRST, 'first-refusal', plus(T, 0, 30), 'Full this week'),
          offered('second', [SECOND], plus(T, 0, 30), plus(T, 2, 30)),
        ]);
    });

    it('moves it on to all the others at once when the next provider declines', () => {
      spec
        .given([...onOffer(), offered('second', [SECOND], plus(T, 2), plus(T, 4))])
        .when(decline(SECOND, plus(T, 2, 10)))
        .then([
          declined(SECOND, 'second', plus(T, 2, 10)),
          offered('all', OTHERS, plus(T, 2, 10), null),
        ]);
    });

    it('records a decline by one of all the others and waits for the rest', () => {
      spec
        .given(broadcast())
        .when(decline('gamma-care', plus(T, 5)))
        .then([declined('gamma-care', 'all', plus(T, 5))]);
    });

    it('leaves the package unplaced when the last of all the others declines', () => {
      spec
        .given([...broadcast(), declined('gamma-care', 'all', plus(T, 5))])
        .when(decline('delta-care', plus(T, 6)))
        .then([declined('delta-care', 'all', plus(T, 6)), unplaced(plus(T, 6))]);
    });

    it('refuses a first refusal declined after its window closed, the offer gone on', () => {
      const error = conflict(onOffer(), decline(FIRST, plus(T, 2, 5)));
      expect(error.details).toMatchObject({ reason: 'window-closed', closedAt: plus(T, 2) });
    });

    it('refuses a second decline', () => {
      const history = [...broadcast(), declined('gamma-care', 'all', plus(T, 5))];
      expect(conflict(history, decline('gamma-care', plus(T, 6))).details).toEqual({
        reason: 'declined-by-you',
        declinedAt: plus(T, 5),
      });
    });

    it('refuses a decline from a provider whose turn has not come', () => {
      expect(conflict(onOffer(), decline('gamma-care', plus(T, 1))).details).toMatchObject({
        reason: 'not-your-turn',
      });
    });

    it('refuses a reason that is not text or is too long', () => {
      expect(fieldsRefused(onOffer(), decline(FIRST, plus(T, 1), 'x'.repeat(1001)))).toEqual([
        'reason',
      ]);
      expect(fieldsRefused(onOffer(), decline(FIRST, plus(T, 1), { why: 'full' }))).toEqual([
        'reason',
      ]);
    });
  });

  describe('when a provider accepts', () => {
    it('places the package with the first-refusal provider within its window', () => {
      spec
        .given(onOffer())
        .when(accept(FIRST, plus(T, 1, 59)))
        .then([accepted(FIRST, 'first-refusal', T, plus(T, 1, 59))]);
    });

    it('takes an acceptance a millisecond before the window closes', () => {
      spec
        .given(onOffer())
        .when(accept(FIRST, plus(T, 2, 0, -1)))
        .then([accepted(FIRST, 'first-refusal', T, plus(T, 2, 0, -1))]);
    });

    it('refuses an acceptance after the window closed, before any timer recorded it', () => {
      const error = conflict(onOffer(), accept(FIRST, plus(T, 2, 0, 1000)));
      expect(error.details).toEqual({
        reason: 'window-closed',
        round: 'first-refusal',
        offeredAt: T,
        closedAt: plus(T, 2),
      });
    });

    it('refuses an acceptance at the very moment the window closes', () => {
      expect(conflict(onOffer(), accept(FIRST, plus(T, 2))).details).toMatchObject({
        reason: 'window-closed',
        closedAt: plus(T, 2),
      });
    });

    it('lets the next provider accept once the first window closed, recording its offer first', () => {
      spec
        .given(onOffer())
        .when(accept(SECOND, plus(T, 2, 0, 1000)))
        .then([
          offered('second', [SECOND], plus(T, 2), plus(T, 4)),
          accepted(SECOND, 'second', plus(T, 2), plus(T, 2, 0, 1000)),
        ]);
    });

    it('tells the next provider it is not its turn while the first window is open', () => {
      expect(conflict(onOffer(), accept(SECOND, plus(T, 1))).details).toEqual({
        reason: 'not-your-turn',
        offeredToOthersUntil: plus(T, 2),
      });
    });

    it('tells one of the others it is not its turn yet', () => {
      expect(conflict(onOffer(), accept('gamma-care', plus(T, 1))).details).toMatchObject({
        reason: 'not-your-turn',
      });
    });

    it('refuses a provider that joined the framework after the package was referred', () => {
      expect(conflict(broadcast(), accept('epsilon-care', plus(T, 5))).details).toEqual({
        reason: 'not-in-rotation',
      });
    });

    it('gives the package to the first of all the others to accept', () => {
      spec
        .given(broadcast())
        .when(accept('delta-care', plus(T, 4, 20)))
        .then([accepted('delta-care', 'all', plus(T, 4), plus(T, 4, 20))]);
    });

    it('records both rounds first when one of the others accepts before any timer ran', () => {
      spec
        .given(onOffer())
        .when(accept('gamma-care', plus(T, 4, 1)))
        .then([
          offered('second', [SECOND], plus(T, 2), plus(T, 4)),
          offered('all', OTHERS, plus(T, 4), null),
          accepted('gamma-care', 'all', plus(T, 4), plus(T, 4, 1)),
        ]);
    });

    it('tells a later provider it has been placed with another, without saying which', () => {
      const history = [...broadcast(), accepted('delta-care', 'all', plus(T, 4), plus(T, 4, 20))];
      const error = conflict(history, accept('gamma-care', plus(T, 4, 21)));
      expect(error.details).toEqual({ reason: 'placed-with-another-provider' });
      expect(error.message).not.toContain('delta-care');
      const declining = conflict(history, decline('gamma-care', plus(T, 4, 21)));
      expect(declining.details).toEqual({ reason: 'placed-with-another-provider' });
    });

    it('tells the winner it accepted already', () => {
      const history = [...broadcast(), accepted('delta-care', 'all', plus(T, 4), plus(T, 4, 20))];
      expect(conflict(history, accept('delta-care', plus(T, 5))).details).toEqual({
        reason: 'accepted-by-you',
        acceptedAt: plus(T, 4, 20),
      });
    });

    it('refuses the first-refusal provider once the package is offered to all', () => {
      expect(conflict(broadcast(), accept(FIRST, plus(T, 5))).details).toMatchObject({
        reason: 'window-closed',
        round: 'first-refusal',
        closedAt: plus(T, 2),
      });
    });

    it('refuses a provider that declined', () => {
      const history = [
        ...onOffer(),
        declined(FIRST, 'first-refusal', plus(T, 1)),
        offered('second', [SECOND], plus(T, 1), plus(T, 3)),
      ];
      expect(conflict(history, accept(FIRST, plus(T, 1, 30))).details).toEqual({
        reason: 'declined-by-you',
        declinedAt: plus(T, 1),
      });
    });

    it('refuses everyone once the package is unplaced', () => {
      const history = [
        ...broadcast(),
        declined('gamma-care', 'all', plus(T, 5)),
        declined('delta-care', 'all', plus(T, 6)),
        unplaced(plus(T, 6)),
      ];
      expect(conflict(history, accept(FIRST, plus(T, 7))).details).toEqual({
        reason: 'unplaced',
        unplacedAt: plus(T, 6),
      });
    });

    it('needs the package to exist', () => {
      spec.given([]).when(accept(FIRST, T)).thenThrows(NotFoundError);
    });
  });

  describe('when the family contact is recorded', () => {
    const placed = (): CarePackageEvent[] => [
      ...onOffer(),
      accepted(FIRST, 'first-refusal', T, plus(T, 1)),
    ];

    it('records the instant of the contact, given with its offset', () => {
      spec
        .given(placed())
        .when(recordContact(FIRST, '2026-05-12T15:30:00+01:00', plus(T, 8)))
        .then([familyContacted('2026-05-12T14:30:00.000Z', plus(T, 8))]);
    });

    it('takes a contact made before the acceptance, during the provider’s assessment', () => {
      spec
        .given(placed())
        .when(recordContact(FIRST, plus(T, 0, 30), plus(T, 2)))
        .then([familyContacted(plus(T, 0, 30), plus(T, 2))]);
    });

    it.each([
      ['without an offset', '2026-05-12T15:30:00'],
      ['as a date only', '2026-05-12'],
      ['as nonsense', 'this afternoon'],
      ['as a number', 1_747_000_000_000],
      ['on a day that does not exist (not rolled on to 2 May)', '2026-04-32T10:00:00+01:00'],
      ['on 30 February', '2026-02-30T10:00:00Z'],
      ['at an hour that does not exist', '2026-05-12T24:30:00+01:00'],
    ])('refuses a contact time given %s', (_how, contactedAt) => {
      expect(fieldsRefused(placed(), recordContact(FIRST, contactedAt, plus(T, 8)))).toEqual([
        'contactedAt',
      ]);
    });

    it('refuses a contact in the future', () => {
      spec
        .given(placed())
        .when(recordContact(FIRST, plus(T, 9), plus(T, 8)))
        .thenThrows(InvalidCommandError, /contactedAt: is in the future/);
    });

    it('refuses a contact before the package was referred', () => {
      spec
        .given(placed())
        .when(recordContact(FIRST, plus(T, 0, -1), plus(T, 8)))
        .thenThrows(InvalidCommandError, /contactedAt: is before the package was referred/);
    });

    it('records it once', () => {
      const history = [...placed(), familyContacted(plus(T, 3), plus(T, 4))];
      expect(conflict(history, recordContact(FIRST, plus(T, 5), plus(T, 6))).details).toEqual({
        contactedAt: plus(T, 3),
      });
    });

    it('takes it only from the provider holding the package', () => {
      expect(conflict(placed(), recordContact(SECOND, plus(T, 3), plus(T, 4))).details).toEqual({
        reason: 'placed-with-another-provider',
      });
    });

    it('takes none before the package is accepted', () => {
      expect(conflict(onOffer(), recordContact(FIRST, plus(T, 1), plus(T, 1))).details).toEqual({
        reason: 'not-accepted',
      });
    });
  });

  describe('when the start of care is recorded', () => {
    const contacted = (): CarePackageEvent[] => [
      ...onOffer(),
      accepted(FIRST, 'first-refusal', T, plus(T, 1)),
      familyContacted(plus(T, 3), plus(T, 4)),
    ];
    const started = (startedOn: string, at: string) => ({
      type: 'CarePackageCareStarted' as const,
      data: {
        packageId: PACKAGE,
        providerId: FIRST,
        startedOn,
        recordedBy: 'user:coordinator-1',
        recordedAt: at,
      },
    });

    it('records the day care began', () => {
      spec
        .given(contacted())
        .when(recordStart(FIRST, '2026-05-18', '2026-05-18T17:00:00.000Z'))
        .then([started('2026-05-18', '2026-05-18T17:00:00.000Z')]);
    });

    it('takes the day of the referral itself', () => {
      spec
        .given(contacted())
        .when(recordStart(FIRST, '2026-05-12', plus(T, 10)))
        .then([started('2026-05-12', plus(T, 10))]);
    });

    it('refuses a day in the future (London time)', () => {
      spec
        .given(contacted())
        .when(recordStart(FIRST, '2026-05-13', '2026-05-12T22:59:00.000Z'))
        .thenThrows(InvalidCommandError, /startedOn: is in the future/);
    });

    it('takes tomorrow in UTC when it is already today in London', () => {
      // 23:30 UTC on 12 May is 00:30 BST on 13 May.
      spec
        .given(contacted())
        .when(recordStart(FIRST, '2026-05-13', '2026-05-12T23:30:00.000Z'))
        .then([started('2026-05-13', '2026-05-12T23:30:00.000Z')]);
    });

    it('refuses a day before the referral', () => {
      spec
        .given(contacted())
        .when(recordStart(FIRST, '2026-05-11', plus(T, 10)))
        .thenThrows(
          InvalidCommandError,
          /startedOn: is before the package was referred \(2026-05-12\)/,
        );
    });

    it('refuses something that is not a date', () => {
      expect(fieldsRefused(contacted(), recordStart(FIRST, '18/05/2026', plus(T, 200)))).toEqual([
        'startedOn',
      ]);
    });

    it('records it once', () => {
      const history = [...contacted(), started('2026-05-18', '2026-05-18T17:00:00.000Z')];
      expect(
        conflict(history, recordStart(FIRST, '2026-05-19', '2026-05-19T17:00:00.000Z')).details,
      ).toEqual({
        startedOn: '2026-05-18',
      });
    });

    it('takes it only from the provider holding the package', () => {
      expect(conflict(contacted(), recordStart(SECOND, '2026-05-12', plus(T, 10))).details).toEqual(
        {
          reason: 'placed-with-another-provider',
        },
      );
    });
  });
});
