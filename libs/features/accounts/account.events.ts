import type { Role } from '@kpi/domain';

/*
 * What happens to a person's account in an organisation, on the stream
 * `<tenant>:account:<accountId>`. Nothing secret is stored here: no password hash and no
 * invitation token (the log can never be erased; those live in mutable tables).
 */

/** An admin invited a person by email, with the roles they will have. */
export interface PersonInvited {
  type: 'PersonInvited';
  data: {
    accountId: string;
    email: string;
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

/** An admin changed what the person may do. */
export interface RolesChanged {
  type: 'RolesChanged';
  data: { accountId: string; roles: Role[]; changedBy: string; changedAt: string };
}

/** An admin removed the person's access: every session ends and sign-in is refused. */
export interface AccessRemoved {
  type: 'AccessRemoved';
  data: { accountId: string; removedBy: string; removedAt: string };
}

export type AccountEvent = PersonInvited | InvitationAccepted | RolesChanged | AccessRemoved;
