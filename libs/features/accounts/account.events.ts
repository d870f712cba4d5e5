import type { PersonalText, Role } from '@kpi/domain';

/*
 * What happens to a person's account in an organisation, on the stream
 * `<tenant>:account:<accountId>`. Nothing secret is stored here: no password hash and no
 * invitation token (the log can never be erased; those live in mutable tables), and no email
 * as text.
 */

/**
 * An admin invited a person by email, with the roles they will have. From schema version 2 the
 * email is sealed in the personal-data vault under the account's key (the account id is the
 * person's data subject id); the accounts table keeps it for sign-in. Version 1 held it as
 * text, still read as it was (it cannot be erased from the log).
 */
export interface PersonInvited {
  type: 'PersonInvited';
  data: {
    accountId: string;
    email: PersonalText;
    roles: Role[];
    /** The manager id this person is in capability records, when they are a home manager. */
    managerId: string | null;
    invitedBy: string;
    invitedAt: string;
    invitationExpiresAt: string;
  };
}

/** The person accepted their invitation and set a password: the account is active. */
export interface InvitationAccepted {
  type: 'InvitationAccepted';
  data: { accountId: string; acceptedAt: string };
}

/**
 * A person signed in for the first time through their organisation's identity provider
 * (OpenID Connect): their account is active at once, with the roles its claims gave. They are
 * known by the provider's issuer and their subject there; their email is kept in the accounts
 * table only.
 */
export interface PersonJoinedThroughIdentityProvider {
  type: 'PersonJoinedThroughIdentityProvider';
  data: { accountId: string; issuer: string; subject: string; roles: Role[]; joinedAt: string };
}

/**
 * An admin changed what the person may do; or, with `changedBy` `system:identity-provider`,
 * the claims their identity provider gave at sign-in map to other roles than before.
 */
export interface RolesChanged {
  type: 'RolesChanged';
  data: { accountId: string; roles: Role[]; changedBy: string; changedAt: string };
}

/**
 * An admin linked the person to the manager id they are in capability records and regions (or
 * unlinked them: `managerId` null) — for a person invited without one, or who joined through
 * the organisation's identity provider, which knows nothing of manager ids. A home manager then
 * reads their own capability record; a regional manager is told about their region's returns.
 */
export interface ManagerLinked {
  type: 'ManagerLinked';
  data: { accountId: string; managerId: string | null; linkedBy: string; linkedAt: string };
}

/** An admin removed the person's access: every session ends and sign-in is refused. */
export interface AccessRemoved {
  type: 'AccessRemoved';
  data: { accountId: string; removedBy: string; removedAt: string };
}

export type AccountEvent =
  | PersonInvited
  | InvitationAccepted
  | PersonJoinedThroughIdentityProvider
  | RolesChanged
  | ManagerLinked
  | AccessRemoved;
