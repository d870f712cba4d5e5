import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type Decider,
  type Role,
} from '@kpi/domain';
import type { AccountEvent } from './account.events';

/**
 * Why no one may remove their own access: an admin doing so could leave the organisation with
 * no one to invite people or remove access.
 */
export const OWN_ACCESS_REFUSAL =
  'You cannot remove your own access: ask another admin of your organisation to do it, so that it always has an admin';

/** How long an invitation can be accepted for. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type AccountCommand =
  | {
      type: 'InvitePerson';
      data: {
        accountId: string;
        email: string;
        roles: Role[];
        managerId: string | null;
        invitedBy: string;
        now: Date;
      };
    }
  | { type: 'AcceptInvitation'; data: { accountId: string; now: Date } }
  | {
      type: 'JoinThroughIdentityProvider';
      data: { accountId: string; issuer: string; subject: string; roles: Role[]; now: Date };
    }
  | { type: 'ChangeRoles'; data: { roles: Role[]; changedBy: string; now: Date } }
  | { type: 'LinkManager'; data: { managerId: string | null; linkedBy: string; now: Date } }
  | { type: 'RemoveAccess'; data: { removedBy: string; now: Date } };

/**
 * A person's account in an organisation. `invited` until they accept (and set a password),
 * then `active`; `removed` for good once an admin removes access (invite them again under a
 * new account if they return), or the person is erased. No email here: the invitation's is
 * sealed in the event, and the accounts table keeps it for sign-in.
 */
export interface AccountState {
  status: 'none' | 'invited' | 'active' | 'removed';
  accountId: string | null;
  roles: Role[];
  managerId: string | null;
  invitationExpiresAt: string | null;
}

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent> = {
  initialState: () => ({
    status: 'none',
    accountId: null,
    roles: [],
    managerId: null,
    invitationExpiresAt: null,
  }),

  decide(command, state) {
    switch (command.type) {
      case 'InvitePerson': {
        if (state.status !== 'none') throw new ConflictError('This person is already invited');
        const { accountId, email, roles, managerId, invitedBy, now } = command.data;
        if (roles.length === 0) throw InvalidCommandError.of('roles', 'name at least one role');
        return [
          {
            type: 'PersonInvited',
            data: {
              accountId,
              email,
              roles: [...new Set(roles)],
              managerId,
              invitedBy,
              invitedAt: now.toISOString(),
              invitationExpiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
            },
          },
        ];
      }
      case 'AcceptInvitation': {
        const { now } = command.data;
        if (state.status === 'none') throw new NotFoundError('There is no such invitation');
        if (state.status !== 'invited') {
          throw new ConflictError('This invitation has been used already, or access was removed');
        }
        if (now.getTime() > Date.parse(state.invitationExpiresAt!)) {
          throw new ConflictError('This invitation has expired: ask your admin for a new one');
        }
        return [
          {
            type: 'InvitationAccepted',
            data: { accountId: state.accountId!, acceptedAt: now.toISOString() },
          },
        ];
      }
      case 'JoinThroughIdentityProvider': {
        if (state.status !== 'none') throw new ConflictError('This person has an account already');
        const { accountId, issuer, subject, roles, now } = command.data;
        if (roles.length === 0) throw InvalidCommandError.of('roles', 'name at least one role');
        return [
          {
            type: 'PersonJoinedThroughIdentityProvider',
            data: {
              accountId,
              issuer,
              subject,
              roles: [...new Set(roles)],
              joinedAt: now.toISOString(),
            },
          },
        ];
      }
      case 'ChangeRoles': {
        const { roles, changedBy, now } = command.data;
        if (state.status === 'none') throw new NotFoundError('There is no such account');
        if (state.status === 'removed') throw new ConflictError('Access was removed');
        if (roles.length === 0) throw InvalidCommandError.of('roles', 'name at least one role');
        const unique = [...new Set(roles)];
        if (sameRoles(unique, state.roles)) return [];
        return [
          {
            type: 'RolesChanged',
            data: {
              accountId: state.accountId!,
              roles: unique,
              changedBy,
              changedAt: now.toISOString(),
            },
          },
        ];
      }
      case 'LinkManager': {
        const { managerId, linkedBy, now } = command.data;
        if (state.status === 'none') throw new NotFoundError('There is no such account');
        if (state.status === 'removed') throw new ConflictError('Access was removed');
        if (state.managerId === managerId) return [];
        return [
          {
            type: 'ManagerLinked',
            data: { accountId: state.accountId!, managerId, linkedBy, linkedAt: now.toISOString() },
          },
        ];
      }
      case 'RemoveAccess': {
        if (state.status === 'none') throw new NotFoundError('There is no such account');
        const { removedBy, now } = command.data;
        if (removedBy === state.accountId) throw new ConflictError(OWN_ACCESS_REFUSAL);
        if (state.status === 'removed') return [];
        return [
          {
            type: 'AccessRemoved',
            data: { accountId: state.accountId!, removedBy, removedAt: now.toISOString() },
          },
        ];
      }
      default: {
        const unknown: never = command;
        throw new Error(`Unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PersonInvited':
        return {
          status: 'invited',
          accountId: event.data.accountId,
          roles: event.data.roles,
          managerId: event.data.managerId,
          invitationExpiresAt: event.data.invitationExpiresAt,
        };
      case 'InvitationAccepted':
        return { ...state, status: 'active' };
      case 'PersonJoinedThroughIdentityProvider':
        return {
          status: 'active',
          accountId: event.data.accountId,
          roles: event.data.roles,
          managerId: null,
          invitationExpiresAt: null,
        };
      case 'RolesChanged':
        return { ...state, roles: event.data.roles };
      case 'ManagerLinked':
        return { ...state, managerId: event.data.managerId };
      case 'AccessRemoved':
        return { ...state, status: 'removed' };
      default: {
        const unknown: never = event;
        throw new Error(`Unknown event ${JSON.stringify(unknown)}`);
      }
    }
  },
};

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}
