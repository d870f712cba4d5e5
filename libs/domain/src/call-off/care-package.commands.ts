import type { CallOffRotation } from './call-off.events';

/** What the council says of a new package (docs/rules/care-at-home-call-off.md#new-package). */
export interface CarePackageDetailsInput {
  hoursPerWeek: unknown;
  outcomes: unknown;
  startDate: unknown;
  endDate?: unknown;
  urgent: unknown;
  communicationNeeds?: unknown;
  specialRequirements?: unknown;
}

export interface RegisterCarePackage {
  type: 'RegisterCarePackage';
  data: CarePackageDetailsInput & {
    packageId: string;
    frameworkId: string;
    rotation: CallOffRotation;
    /** From {@link heldUntil} on the calendar in force: the Friday-after-midday hold, or null. */
    heldUntil: Date | null;
    registeredBy: string;
    now: Date;
  };
}

/** Issued by the call-off timer when a window should have closed: records what has happened since. */
export interface MoveCarePackageOffer {
  type: 'MoveCarePackageOffer';
  data: { packageId: string; now: Date };
}

export interface AcceptCarePackage {
  type: 'AcceptCarePackage';
  data: { packageId: string; providerId: string; acceptedBy: string; now: Date };
}

export interface DeclineCarePackage {
  type: 'DeclineCarePackage';
  data: {
    packageId: string;
    providerId: string;
    reason?: unknown;
    declinedBy: string;
    now: Date;
  };
}

export interface RecordFamilyContact {
  type: 'RecordFamilyContact';
  data: {
    packageId: string;
    providerId: string;
    /** An instant (ISO 8601 with offset): the 24-hour (12 if urgent) KPI counts in hours. */
    contactedAt: unknown;
    recordedBy: string;
    now: Date;
  };
}

export interface RecordCareStarted {
  type: 'RecordCareStarted';
  data: {
    packageId: string;
    providerId: string;
    startedOn: unknown;
    recordedBy: string;
    now: Date;
  };
}

export type CarePackageCommand =
  | RegisterCarePackage
  | MoveCarePackageOffer
  | AcceptCarePackage
  | DeclineCarePackage
  | RecordFamilyContact
  | RecordCareStarted;
