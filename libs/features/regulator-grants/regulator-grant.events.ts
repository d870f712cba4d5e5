/*
 * What an organisation grants a regulator, on the stream `<grantor>:regulator-grant:<grantId>`.
 * Each read made under a grant is not an event: it is a row of the access log, naming the grant.
 */

/**
 * What a grant opens: the whole organisation's trail, or only the streams of the named
 * services (which streams belong to a service: `streamBelongsToServices`).
 */
export type GrantScope = { kind: 'organisation' } | { kind: 'services'; serviceIds: string[] };

/**
 * The days whose events a grant shows, both included, as dates in Europe/London
 * (`YYYY-MM-DD`): an event is in the period when it was recorded on one of them.
 */
export interface GrantPeriod {
  from: string;
  to: string;
}

/** An organisation granted a regulator organisation read access to (part of) its trail. */
export interface RegulatorAccessGranted {
  type: 'RegulatorAccessGranted';
  data: {
    grantId: string;
    /** The regulator organisation (its tenant id) whose people with role `regulator` may read. */
    regulatorTenantId: string;
    scope: GrantScope;
    period: GrantPeriod;
    /** ISO date-time: the grant opens nothing from this instant on. */
    expiresAt: string;
    /** What the grant is for, e.g. the inspection's reference number. */
    reference: string;
    grantedBy: string;
    grantedAt: string;
  };
}

/** The organisation withdrew a grant before it expired: it opens nothing from now on. */
export interface RegulatorAccessRevoked {
  type: 'RegulatorAccessRevoked';
  data: { grantId: string; revokedBy: string; revokedAt: string };
}

export type RegulatorGrantEvent = RegulatorAccessGranted | RegulatorAccessRevoked;
