/**
 * Care-at-home call-off (docs/rules/care-at-home-call-off.md). A council keeps a
 * framework agreement of providers in rotation order; each new package is offered to the
 * first-refusal provider for 2 hours, then the next in rotation for 2 hours, then to all the
 * others, first to accept wins. All of it lives in the council's tenant; providers' acts are
 * recorded there with the provider named in the data.
 */

/** The council set up a framework agreement: its providers in rotation order. */
export interface CareFrameworkEstablished {
  type: 'CareFrameworkEstablished';
  data: {
    frameworkId: string;
    name: string;
    /** `YYYY-MM-DD`: contract year 1 starts that day; year 2 a year later, and so on. */
    contractStartDate: string;
    /** Provider tenant ids in rotation order. */
    providers: string[];
    establishedBy: string;
    establishedAt: string;
  };
}

/** A provider joined the framework, at the end of the rotation. */
export interface CareFrameworkProviderAdded {
  type: 'CareFrameworkProviderAdded';
  data: { frameworkId: string; providerId: string; addedBy: string; addedAt: string };
}

/** Who a package is offered to, in order, fixed when it is referred. */
export interface CallOffRotation {
  firstRefusal: string;
  /** The next provider in rotation; null when the framework has only one. */
  second: string | null;
  /** Every other provider, offered the package together when neither accepts. */
  others: string[];
}

/**
 * The framework took a package in its turn of the rotation (on the framework's rotation stream,
 * one append at a time, so two packages referred at once never get the same first-refusal
 * provider).
 */
export interface CarePackageReferred {
  type: 'CarePackageReferred';
  data: {
    frameworkId: string;
    packageId: string;
    /** 0 for the framework's first package: the rotation starts at provider n mod count. */
    rotationPosition: number;
    rotation: CallOffRotation;
    referredAt: string;
  };
}

export type CareFrameworkEvent = CareFrameworkEstablished | CareFrameworkProviderAdded;

export type CallOffRotationEvent = CarePackageReferred;

export const OFFER_ROUNDS = ['first-refusal', 'second', 'all'] as const;
export type OfferRound = (typeof OFFER_ROUNDS)[number];

/** A new package: hours, outcomes, start date, urgency, communication needs. */
export interface CarePackageRegistered {
  type: 'CarePackageRegistered';
  data: {
    packageId: string;
    frameworkId: string;
    /** Planned care and support hours a week. */
    hoursPerWeek: number;
    outcomes: string;
    /** `YYYY-MM-DD`: when the service should start. */
    startDate: string;
    endDate: string | null;
    urgent: boolean;
    communicationNeeds: string | null;
    specialRequirements: string | null;
    rotation: CallOffRotation;
    /**
     * Set when the package became available on a Friday after 12:00 (or at the weekend): the
     * first-refusal provider has it until then, and it is offered on no earlier (09:00 on the
     * next working day after that Friday). Null otherwise.
     */
    heldUntil: string | null;
    registeredBy: string;
    /** When the package became available: the first offer is made at once. */
    registeredAt: string;
  };
}

/** The package was offered: to one provider for a window, or to all the others until taken. */
export interface CarePackageOffered {
  type: 'CarePackageOffered';
  data: {
    packageId: string;
    round: OfferRound;
    providers: string[];
    /** When the offer was made (the moment the previous window closed, not when it was recorded). */
    offeredAt: string;
    /** When this provider's window closes; null for the offer to all (open until taken). */
    closesAt: string | null;
  };
}

/** A provider said it cannot take the package (which then moves on at once, or after a hold). */
export interface CarePackageDeclined {
  type: 'CarePackageDeclined';
  data: {
    packageId: string;
    providerId: string;
    round: OfferRound;
    reason: string | null;
    declinedBy: string;
    declinedAt: string;
  };
}

/** A provider took the package: it is theirs, and nobody else can. */
export interface CarePackageAccepted {
  type: 'CarePackageAccepted';
  data: {
    packageId: string;
    providerId: string;
    round: OfferRound;
    /** When the package was offered to this provider (the KPI counts 4 hours from here). */
    offeredAt: string;
    acceptedBy: string;
    acceptedAt: string;
  };
}

/** Every provider it could go to declined or let the offer pass: the council must act. */
export interface CarePackageUnplaced {
  type: 'CarePackageUnplaced';
  data: { packageId: string; unplacedAt: string };
}

/** The provider contacted the family to plan the care assessment (in 24 hours, 12 if urgent). */
export interface CarePackageFamilyContacted {
  type: 'CarePackageFamilyContacted';
  data: {
    packageId: string;
    providerId: string;
    contactedAt: string;
    recordedBy: string;
    recordedAt: string;
  };
}

/** Care began (within a week of the first contact, unless agreed otherwise). */
export interface CarePackageCareStarted {
  type: 'CarePackageCareStarted';
  data: {
    packageId: string;
    providerId: string;
    /** `YYYY-MM-DD`. */
    startedOn: string;
    recordedBy: string;
    recordedAt: string;
  };
}

export type CarePackageEvent =
  | CarePackageRegistered
  | CarePackageOffered
  | CarePackageDeclined
  | CarePackageAccepted
  | CarePackageUnplaced
  | CarePackageFamilyContacted
  | CarePackageCareStarted;

export const CARE_FRAMEWORK_EVENT_TYPES = [
  'CareFrameworkEstablished',
  'CareFrameworkProviderAdded',
] as const;

export const CARE_PACKAGE_EVENT_TYPES = [
  'CarePackageRegistered',
  'CarePackageOffered',
  'CarePackageDeclined',
  'CarePackageAccepted',
  'CarePackageUnplaced',
  'CarePackageFamilyContacted',
  'CarePackageCareStarted',
] as const;
