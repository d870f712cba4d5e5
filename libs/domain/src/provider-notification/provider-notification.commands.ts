import type { WorkingDayCalendar } from '../calendar/working-day-calendar';

/**
 * A provider tells the council of something under a package it holds (the use case checks the
 * package is the provider's); the decider checks the kind, the times and the texts.
 */
export interface LogProviderNotification {
  type: 'LogProviderNotification';
  data: {
    notificationId: string;
    frameworkId: string;
    packageId: string;
    providerId: string;
    kind: unknown;
    occurredAt: unknown;
    /** When the council was told; by default now (told as it is logged). */
    notifiedAt: unknown;
    /** Who it concerns (checked here, sealed by the use case). */
    serviceUser: unknown;
    details: unknown;
    /** A data subject already known to seal the texts under, when the request names one. */
    subjectId: unknown;
    /** The data subject when the request names none (new per notification). */
    newSubjectId: string;
    /**
     * When the package returns (returned) to the council under a hand-back notice (§51), if one
     * was given: what happens from then on is not the provider's to tell.
     */
    handBackAt: string | null;
    /** The bank-holiday calendar in force: the next working day of §73. */
    calendar: WorkingDayCalendar;
    loggedBy: string;
    now: Date;
  };
}

export interface AcknowledgeProviderNotification {
  type: 'AcknowledgeProviderNotification';
  data: { notificationId: string; acknowledgedBy: string; now: Date };
}

export type ProviderNotificationCommand = LogProviderNotification | AcknowledgeProviderNotification;

/**
 * A provider gives notice to hand a package back (§51). `holder` is the provider the package is
 * placed with now, read from the package's call-off by the use case (null: placed with nobody).
 */
export interface GiveHandBackNotice {
  type: 'GiveHandBackNotice';
  data: {
    packageId: string;
    frameworkId: string;
    providerId: string;
    holder: string | null;
    reason: unknown;
    subjectId: string;
    givenBy: string;
    now: Date;
  };
}

export type HandBackCommand = GiveHandBackNotice;
