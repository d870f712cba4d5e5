import { parseCalendarDate } from '../shared/calendar-date';
import { optionalText, pastDate, requiredText } from '../shared/command-fields';
import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { londonDateOf } from '../shared/period';
import type {
  CallOffRotation,
  CarePackageEvent,
  CarePackageOffered,
  CarePackageUnplaced,
  OfferRound,
} from './call-off.events';
import { OFFER_WINDOW_MS } from './call-off-windows';
import type { CarePackageCommand, CarePackageDetailsInput } from './care-package.commands';

/** An offer as it stands: who may accept, since when, until when (null: until taken). */
export interface CurrentOffer {
  round: OfferRound;
  providers: string[];
  offeredAt: string;
  closesAt: string | null;
}

export interface CarePackage {
  packageId: string;
  frameworkId: string;
  urgent: boolean;
  startDate: string;
  registeredAt: string;
  rotation: CallOffRotation;
  heldUntil: string | null;
  /** Every offer made, in order; the last is the current one until the package is placed. */
  offers: CurrentOffer[];
  /** Provider → when it declined. */
  declined: Record<string, string>;
  accepted: { providerId: string; acceptedAt: string; round: OfferRound; offeredAt: string } | null;
  unplacedAt: string | null;
  familyContactedAt: string | null;
  careStartedOn: string | null;
}

export interface CarePackageState {
  package: CarePackage | null;
}

export interface CarePackageDetails {
  hoursPerWeek: number;
  outcomes: string;
  startDate: string;
  endDate: string | null;
  urgent: boolean;
  communicationNeeds: string | null;
  specialRequirements: string | null;
}

const MAX_HOURS_PER_WEEK = 168;
const MAX_OUTCOMES = 4000;
const MAX_NEEDS = 2000;
const MAX_REASON = 1000;

/**
 * Checks a new package's details (docs/rules/care-at-home-call-off.md#new-package), every
 * problem named by field. Run before the framework gives the package its turn of the rotation,
 * so a bad request uses up no turn.
 */
export function carePackageDetails(input: CarePackageDetailsInput): CarePackageDetails {
  const problems: FieldProblem[] = [];
  const hours = input.hoursPerWeek;
  if (
    typeof hours !== 'number' ||
    !Number.isFinite(hours) ||
    hours <= 0 ||
    hours > MAX_HOURS_PER_WEEK
  ) {
    problems.push({
      field: 'hoursPerWeek',
      reason: `must be a number of hours a week above 0 and at most ${MAX_HOURS_PER_WEEK}`,
    });
  }
  const outcomes = requiredText(input.outcomes, 'outcomes', MAX_OUTCOMES, problems);
  const startDate = dateField(input.startDate, 'startDate', problems);
  const endDate =
    input.endDate === undefined || input.endDate === null
      ? null
      : dateField(input.endDate, 'endDate', problems);
  if (startDate && endDate && endDate < startDate)
    problems.push({ field: 'endDate', reason: `is before the start date (${startDate})` });
  if (typeof input.urgent !== 'boolean')
    problems.push({ field: 'urgent', reason: 'must be true or false' });
  const communicationNeeds = optionalText(
    input.communicationNeeds,
    'communicationNeeds',
    MAX_NEEDS,
    problems,
  );
  const specialRequirements = optionalText(
    input.specialRequirements,
    'specialRequirements',
    MAX_NEEDS,
    problems,
  );
  if (problems.length > 0) throw new InvalidCommandError(problems);
  return {
    hoursPerWeek: hours as number,
    outcomes: outcomes!,
    startDate: startDate!,
    endDate: endDate ?? null,
    urgent: input.urgent as boolean,
    communicationNeeds: communicationNeeds ?? null,
    specialRequirements: specialRequirements ?? null,
  };
}

/**
 * One care package's call-off (docs/rules/care-at-home-call-off.md#offer-windows): offered to
 * the first-refusal provider for 2 hours, then to the next in rotation for 2 hours, then to all
 * the others, first to accept wins.
 *
 * Windows are judged by the clock, not by whether the timer has fired: a provider accepting one
 * second after its window closed is refused even if the move on is not recorded yet, and the
 * provider next in turn may accept before it is. Whatever should have happened by `now` is
 * recorded first ({@link offerMovesBy}), so the history always reads in the order of the world.
 */
export const carePackageDecider: Decider<CarePackageCommand, CarePackageState, CarePackageEvent> = {
  initialState: () => ({ package: null }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterCarePackage': {
        const { packageId, frameworkId, rotation, heldUntil, registeredBy, now } = command.data;
        if (state.package) throw new ConflictError(`Package ${packageId} is already registered`);
        const details = carePackageDetails(command.data);
        const registeredAt = now.toISOString();
        const anyoneAfter = rotation.second !== null || rotation.others.length > 0;
        const windowEnds = new Date(now.getTime() + OFFER_WINDOW_MS);
        const closesAt = !anyoneAfter
          ? null
          : heldUntil && heldUntil > windowEnds
            ? heldUntil
            : windowEnds;
        return [
          {
            type: 'CarePackageRegistered',
            data: {
              packageId,
              frameworkId,
              ...details,
              rotation,
              heldUntil: heldUntil ? heldUntil.toISOString() : null,
              registeredBy,
              registeredAt,
            },
          },
          {
            type: 'CarePackageOffered',
            data: {
              packageId,
              round: 'first-refusal',
              providers: [rotation.firstRefusal],
              offeredAt: registeredAt,
              closesAt: closesAt ? closesAt.toISOString() : null,
            },
          },
        ];
      }

      case 'MoveCarePackageOffer': {
        const pkg = existing(state, command.data.packageId);
        return offerMovesBy(pkg, command.data.now);
      }

      case 'AcceptCarePackage': {
        const { packageId, providerId, acceptedBy, now } = command.data;
        const pkg = existing(state, packageId);
        refuseIfPlaced(pkg, providerId);
        const moves = offerMovesBy(pkg, now);
        const current = openOfferTo(applyAll(pkg, moves), providerId, now);
        return [
          ...moves,
          {
            type: 'CarePackageAccepted',
            data: {
              packageId,
              providerId,
              round: current.round,
              offeredAt: current.offeredAt,
              acceptedBy,
              acceptedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'DeclineCarePackage': {
        const { packageId, providerId, declinedBy, now } = command.data;
        const pkg = existing(state, packageId);
        const problems: FieldProblem[] = [];
        const reason = optionalText(command.data.reason, 'reason', MAX_REASON, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        refuseIfPlaced(pkg, providerId);
        const moves = offerMovesBy(pkg, now);
        const moved = applyAll(pkg, moves);
        const current = openOfferTo(moved, providerId, now);
        const declined: CarePackageEvent = {
          type: 'CarePackageDeclined',
          data: {
            packageId,
            providerId,
            round: current.round,
            reason: reason ?? null,
            declinedBy,
            declinedAt: now.toISOString(),
          },
        };
        const after = applyAll(moved, [declined]);
        if (current.round === 'all' && current.providers.every((p) => p in after.declined)) {
          const unplaced: CarePackageUnplaced = {
            type: 'CarePackageUnplaced',
            data: { packageId, unplacedAt: now.toISOString() },
          };
          return [...moves, declined, unplaced];
        }
        return [...moves, declined, ...offerMovesBy(after, now)];
      }

      case 'RecordFamilyContact': {
        const { packageId, providerId, recordedBy, now } = command.data;
        const pkg = placedWith(state, packageId, providerId);
        if (pkg.familyContactedAt)
          throw new ConflictError(
            `The family contact for package ${packageId} is recorded already (${pkg.familyContactedAt})`,
            { contactedAt: pkg.familyContactedAt },
          );
        const contactedAt = instantField(command.data.contactedAt, 'contactedAt');
        if (contactedAt > now)
          throw InvalidCommandError.of(
            'contactedAt',
            `is in the future (now is ${now.toISOString()})`,
          );
        if (contactedAt.toISOString() < pkg.registeredAt)
          throw InvalidCommandError.of(
            'contactedAt',
            `is before the package was referred (${pkg.registeredAt})`,
          );
        return [
          {
            type: 'CarePackageFamilyContacted',
            data: {
              packageId,
              providerId,
              contactedAt: contactedAt.toISOString(),
              recordedBy,
              recordedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'RecordCareStarted': {
        const { packageId, providerId, recordedBy, now } = command.data;
        const pkg = placedWith(state, packageId, providerId);
        if (pkg.careStartedOn)
          throw new ConflictError(
            `Care under package ${packageId} is recorded as started already (${pkg.careStartedOn})`,
            { startedOn: pkg.careStartedOn },
          );
        const problems: FieldProblem[] = [];
        const startedOn = pastDate(command.data.startedOn, 'startedOn', now, problems, {
          date: londonDateOf(new Date(pkg.registeredAt)),
          what: 'the package was referred',
        });
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'CarePackageCareStarted',
            data: {
              packageId,
              providerId,
              startedOn: startedOn!,
              recordedBy,
              recordedAt: now.toISOString(),
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'CarePackageRegistered') {
      const d = event.data;
      return {
        package: {
          packageId: d.packageId,
          frameworkId: d.frameworkId,
          urgent: d.urgent,
          startDate: d.startDate,
          registeredAt: d.registeredAt,
          rotation: d.rotation,
          heldUntil: d.heldUntil,
          offers: [],
          declined: {},
          accepted: null,
          unplacedAt: null,
          familyContactedAt: null,
          careStartedOn: null,
        },
      };
    }
    const pkg = state.package;
    if (!pkg) return state;
    switch (event.type) {
      case 'CarePackageOffered': {
        const { round, providers, offeredAt, closesAt } = event.data;
        return {
          package: { ...pkg, offers: [...pkg.offers, { round, providers, offeredAt, closesAt }] },
        };
      }
      case 'CarePackageDeclined': {
        const { providerId, declinedAt, round } = event.data;
        const declined = { ...pkg.declined, [providerId]: declinedAt };
        const offers = [...pkg.offers];
        const current = offers[offers.length - 1];
        // A provider offered the package on its own who declines closes its window now (or,
        // for the first refusal in a Friday hold, when the hold ends).
        if (current && round !== 'all') {
          const someoneAfter = pkg.rotation.second !== null || pkg.rotation.others.length > 0;
          const holdEnds = round === 'first-refusal' && someoneAfter ? pkg.heldUntil : null;
          offers[offers.length - 1] = {
            ...current,
            closesAt: holdEnds && holdEnds > declinedAt ? holdEnds : declinedAt,
          };
        }
        return { package: { ...pkg, declined, offers } };
      }
      case 'CarePackageAccepted': {
        const { providerId, acceptedAt, round, offeredAt } = event.data;
        return { package: { ...pkg, accepted: { providerId, acceptedAt, round, offeredAt } } };
      }
      case 'CarePackageUnplaced':
        return { package: { ...pkg, unplacedAt: event.data.unplacedAt } };
      case 'CarePackageFamilyContacted':
        return { package: { ...pkg, familyContactedAt: event.data.contactedAt } };
      case 'CarePackageCareStarted':
        return { package: { ...pkg, careStartedOn: event.data.startedOn } };
    }
  },
};

/** The offer the package is on now (before any move on that is due). */
export function currentOffer(pkg: CarePackage): CurrentOffer {
  const offer = pkg.offers[pkg.offers.length - 1];
  if (!offer) throw new Error(`Package ${pkg.packageId} has no offer`);
  return offer;
}

/**
 * The offers (or the end of offers) that should have been made by `now` and are not recorded:
 * each window that has closed opens the next round at the moment it closed. Empty when the
 * package is placed, unplaced, or its current window is still open. The call-off timer issues
 * this at each window's close; accept and decline record it first too.
 */
export function offerMovesBy(
  pkg: CarePackage,
  now: Date,
): (CarePackageOffered | CarePackageUnplaced)[] {
  const moves: (CarePackageOffered | CarePackageUnplaced)[] = [];
  if (pkg.accepted || pkg.unplacedAt) return moves;
  let offer = currentOffer(pkg);
  const at = now.toISOString();
  while (offer.closesAt !== null && offer.closesAt <= at) {
    const next = offerAfter(pkg, offer.round, offer.closesAt);
    moves.push(next);
    if (next.type === 'CarePackageUnplaced') break;
    offer = next.data;
  }
  return moves;
}

/** The round after `round`, opened at `openedAt`. */
function offerAfter(
  pkg: CarePackage,
  round: OfferRound,
  openedAt: string,
): CarePackageOffered | CarePackageUnplaced {
  const { packageId, rotation } = pkg;
  if (round === 'first-refusal' && rotation.second !== null) {
    return {
      type: 'CarePackageOffered',
      data: {
        packageId,
        round: 'second',
        providers: [rotation.second],
        offeredAt: openedAt,
        closesAt: new Date(Date.parse(openedAt) + OFFER_WINDOW_MS).toISOString(),
      },
    };
  }
  if (round !== 'all') {
    const providers = rotation.others.filter((p) => !(p in pkg.declined));
    if (providers.length > 0) {
      return {
        type: 'CarePackageOffered',
        data: { packageId, round: 'all', providers, offeredAt: openedAt, closesAt: null },
      };
    }
  }
  return { type: 'CarePackageUnplaced', data: { packageId, unplacedAt: openedAt } };
}

/** When the offer moves on next (the timer's due time), or null when it waits for nobody. */
export function nextOfferMoveAt(pkg: CarePackage): string | null {
  if (pkg.accepted || pkg.unplacedAt || pkg.offers.length === 0) return null;
  return currentOffer(pkg).closesAt;
}

function applyAll(pkg: CarePackage, events: readonly CarePackageEvent[]): CarePackage {
  return events.reduce((state, event) => carePackageDecider.evolve(state, event), {
    package: pkg,
  } as CarePackageState).package!;
}

function existing(state: CarePackageState, packageId: string): CarePackage {
  if (!state.package) throw new NotFoundError(`No care package ${packageId}`);
  return state.package;
}

function refuseIfPlaced(pkg: CarePackage, providerId: string): void {
  if (pkg.accepted) {
    if (pkg.accepted.providerId === providerId)
      throw new ConflictError(
        `You accepted package ${pkg.packageId} at ${pkg.accepted.acceptedAt}`,
        {
          reason: 'accepted-by-you',
          acceptedAt: pkg.accepted.acceptedAt,
        },
      );
    // Which provider won is the council's to tell, not the losing provider's to read.
    throw new ConflictError(`Package ${pkg.packageId} has been placed with another provider`, {
      reason: 'placed-with-another-provider',
    });
  }
}

/**
 * The offer `providerId` may answer at `now` (after the moves due by then), or a 409 saying
 * why not: declined already, its window closed, not its turn yet, or no offers left.
 */
function openOfferTo(pkg: CarePackage, providerId: string, now: Date): CurrentOffer {
  const at = now.toISOString();
  if (pkg.unplacedAt)
    throw new ConflictError(
      `Package ${pkg.packageId} is no longer offered: nobody took it by ${pkg.unplacedAt}`,
      { reason: 'unplaced', unplacedAt: pkg.unplacedAt },
    );
  if (providerId in pkg.declined)
    throw new ConflictError(
      `You declined package ${pkg.packageId} at ${pkg.declined[providerId]}`,
      {
        reason: 'declined-by-you',
        declinedAt: pkg.declined[providerId],
      },
    );
  const current = currentOffer(pkg);
  if (
    current.providers.includes(providerId) &&
    (current.closesAt === null || at < current.closesAt)
  )
    return current;
  const mine = pkg.offers.find((offer) => offer.providers.includes(providerId));
  if (mine) {
    throw new ConflictError(
      `The offer of package ${pkg.packageId} to you closed at ${mine.closesAt} (offered at ${mine.offeredAt}, ${mine.round === 'first-refusal' ? 'first refusal' : 'next in rotation'}); it has been offered on`,
      {
        reason: 'window-closed',
        round: mine.round,
        offeredAt: mine.offeredAt,
        closedAt: mine.closesAt,
      },
    );
  }
  const { rotation } = pkg;
  const inRotation =
    rotation.firstRefusal === providerId ||
    rotation.second === providerId ||
    rotation.others.includes(providerId);
  if (!inRotation)
    throw new ConflictError(
      `Package ${pkg.packageId} is not offered to you: it was referred before you joined the framework`,
      { reason: 'not-in-rotation' },
    );
  throw new ConflictError(
    `Package ${pkg.packageId} is not offered to you yet: it is with ${current.round === 'first-refusal' ? 'the first-refusal provider' : 'the next provider in rotation'} until ${current.closesAt}`,
    { reason: 'not-your-turn', offeredToOthersUntil: current.closesAt },
  );
}

function placedWith(state: CarePackageState, packageId: string, providerId: string): CarePackage {
  const pkg = existing(state, packageId);
  if (!pkg.accepted)
    throw new ConflictError(`Package ${packageId} has not been accepted yet`, {
      reason: 'not-accepted',
    });
  if (pkg.accepted.providerId !== providerId)
    throw new ConflictError(`Package ${packageId} has been placed with another provider`, {
      reason: 'placed-with-another-provider',
    });
  return pkg;
}

function dateField(value: unknown, field: string, problems: FieldProblem[]): string | undefined {
  try {
    return parseCalendarDate(value, field);
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A date and time with its offset; a day that does not exist (2026-02-30) is refused, not rolled on. */
function instantField(value: unknown, field: string): Date {
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  let real = false;
  if (match) {
    try {
      parseCalendarDate(match[1], field);
      real = true;
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
    }
  }
  if (!match || !real)
    throw InvalidCommandError.of(
      field,
      `must be a date and time with its offset, like 2026-04-02T14:30:00+01:00; got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  return new Date(value as string);
}
