import {
  carePackageDecider,
  type CarePackageCommand,
  type CarePackageEvent,
  type CarePackageState,
} from '@kpi/domain';
import type { RecordedEvent } from '@kpi/event-store';
import {
  evolveCareFramework,
  evolveCarePackage,
  type CareFrameworkRow,
  type CarePackageRow,
} from './care-call-off.projection';
import type { Recorded } from '@kpi/projections';

const recorded = (type: string, data: object) =>
  ({ type, data, metadata: { tenantId: 'southwark' } }) as unknown as Recorded<never> &
    RecordedEvent;

describe('the care-frameworks read model', () => {
  it('keeps the rotation in order, adds providers at the end and counts the referrals', () => {
    const row = [
      recorded('CareFrameworkEstablished', {
        frameworkId: 'cah',
        name: 'Care at home',
        contractStartDate: '2026-04-01',
        providers: ['a', 'b'],
      }),
      recorded('CareFrameworkProviderAdded', { frameworkId: 'cah', providerId: 'c' }),
      recorded('CarePackageReferred', { frameworkId: 'cah', packageId: 'k0' }),
      recorded('CarePackageReferred', { frameworkId: 'cah', packageId: 'k1' }),
    ].reduce<CareFrameworkRow | null>((r, e) => evolveCareFramework(r, e as never), null);
    expect(row).toEqual({
      tenantId: 'southwark',
      frameworkId: 'cah',
      name: 'Care at home',
      contractStartDate: '2026-04-01',
      providers: ['a', 'b', 'c'],
      packagesReferred: 2,
    });
  });
});

describe('the care-packages read model', () => {
  const T = new Date('2026-05-05T09:00:00Z');
  const hours = (n: number) => new Date(T.getTime() + n * 3_600_000);
  /** Events as the decider makes them, so the row is what the KPIs will read. */
  function run(commands: CarePackageCommand[]): CarePackageEvent[] {
    let state: CarePackageState = carePackageDecider.initialState();
    const events: CarePackageEvent[] = [];
    for (const command of commands) {
      for (const event of carePackageDecider.decide(command, state)) {
        state = carePackageDecider.evolve(state, event);
        events.push(event);
      }
    }
    return events;
  }
  const fold = (events: CarePackageEvent[]) =>
    events
      .map((e) => recorded(e.type, e.data))
      .reduce<CarePackageRow | null>((row, e) => evolveCarePackage(row, e as never), null);

  const register: CarePackageCommand = {
    type: 'RegisterCarePackage',
    data: {
      packageId: 'k0',
      frameworkId: 'cah',
      hoursPerWeek: 10,
      outcomes: 'Personal care',
      startDate: '2026-05-18',
      urgent: false,
      rotation: { firstRefusal: 'a', second: 'b', others: ['c'] },
      heldUntil: null,
      registeredBy: 'user:commissioner',
      now: T,
    },
  };

  it('is the decider’s own fold of the package, with its status and who took it', () => {
    const events = run([
      register,
      {
        type: 'AcceptCarePackage',
        data: { packageId: 'k0', providerId: 'b', acceptedBy: 'u', now: hours(3) },
      },
    ]);
    const row = fold(events)!;
    expect(row).toMatchObject({
      tenantId: 'southwark',
      packageId: 'k0',
      frameworkId: 'cah',
      status: 'accepted',
      registeredAt: T.toISOString(),
      acceptedProviderId: 'b',
      // the acceptance, after the second offer (+2 h): what bounds the quarters it counts in
      lastActivityAt: hours(3).toISOString(),
    });
    expect(row.state.offers.map((o) => o.round)).toEqual(['first-refusal', 'second']);
    // What the KPIs sum: a lets its window pass (missed), b answers in 1 h (met), b has 24 h
    // from its acceptance to contact the family (open until then).
    expect(row.kpiItems).toEqual([
      {
        providerId: 'a',
        code: 'acceptance-within-4-hours',
        countedAt: T.toISOString(),
        outcome: 'missed',
        missedFrom: null,
      },
      {
        providerId: 'b',
        code: 'acceptance-within-4-hours',
        countedAt: hours(2).toISOString(),
        outcome: 'met',
        missedFrom: null,
      },
      {
        providerId: 'b',
        code: 'family-contact-in-time',
        countedAt: hours(3).toISOString(),
        outcome: 'open',
        missedFrom: new Date(hours(27).getTime() + 1).toISOString(),
      },
    ]);
    expect(row.state).toEqual(
      events.reduce((s, e) => carePackageDecider.evolve(s, e), carePackageDecider.initialState())
        .package,
    );
  });

  it('marks a package nobody could take as unplaced, and ignores events of a package it never saw registered', () => {
    const events = run([
      register,
      { type: 'MoveCarePackageOffer', data: { packageId: 'k0', now: hours(5) } },
      {
        type: 'DeclineCarePackage',
        data: { packageId: 'k0', providerId: 'c', declinedBy: 'u', now: hours(5) },
      },
    ]);
    expect(fold(events)).toMatchObject({ status: 'unplaced', acceptedProviderId: null });
    expect(fold(events.slice(1))).toBeNull();
  });
});
