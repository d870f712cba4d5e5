import { ConflictError, InvalidCommandError, NotFoundError, type Role } from '@kpi/domain';
import { deciderSpecification } from '@kpi/testing';
import { accountDecider, type AccountCommand } from './account.decider';
import type {
  AccessRemoved,
  InvitationAccepted,
  PersonInvited,
  PersonJoinedThroughIdentityProvider,
} from './account.events';

const spec = deciderSpecification(accountDecider);
const now = new Date('2026-03-02T10:00:00Z');
const aWeekLater = '2026-03-09T10:00:00.000Z';

const invite = (data: Partial<Extract<AccountCommand, { type: 'InvitePerson' }>['data']> = {}) =>
  ({
    type: 'InvitePerson',
    data: {
      accountId: 'acc-1',
      email: 'ann@example.org',
      roles: ['hr'],
      managerId: null,
      invitedBy: 'admin-1',
      now,
      ...data,
    },
  }) satisfies AccountCommand;
const accept = (at = now): AccountCommand => ({
  type: 'AcceptInvitation',
  data: { accountId: 'acc-1', now: at },
});
const remove: AccountCommand = { type: 'RemoveAccess', data: { removedBy: 'admin-1', now } };

const invited: PersonInvited = {
  type: 'PersonInvited',
  data: {
    accountId: 'acc-1',
    email: 'ann@example.org',
    roles: ['hr'],
    managerId: null,
    invitedBy: 'admin-1',
    invitedAt: now.toISOString(),
    invitationExpiresAt: aWeekLater,
  },
};
const accepted: InvitationAccepted = {
  type: 'InvitationAccepted',
  data: { accountId: 'acc-1', acceptedAt: now.toISOString() },
};
const removed: AccessRemoved = {
  type: 'AccessRemoved',
  data: { accountId: 'acc-1', removedBy: 'admin-1', removedAt: now.toISOString() },
};

describe('an account in an organisation', () => {
  describe('when an admin invites a person', () => {
    it('records the invitation with its roles, expiring a week later', () => {
      spec.given([]).when(invite()).then([invited]);
    });

    it('records the manager id a home manager is linked to', () => {
      spec
        .given([])
        .when(invite({ roles: ['home-manager'], managerId: 'mgr-home-02' }))
        .thenEvents(([event]) => {
          expect(event).toMatchObject({ data: { managerId: 'mgr-home-02' } });
        });
    });

    it('refuses an invitation without roles, naming the field', () => {
      spec
        .given([])
        .when(invite({ roles: [] }))
        .thenThrows(InvalidCommandError, /^roles:/);
    });

    it('refuses to invite the same account twice', () => {
      spec.given([invited]).when(invite()).thenThrows(ConflictError);
    });
  });

  describe('when the person accepts the invitation', () => {
    it('activates the account', () => {
      spec.given([invited]).when(accept()).then([accepted]);
    });

    it('accepts it up to the moment it expires', () => {
      spec
        .given([invited])
        .when(accept(new Date(aWeekLater)))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('refuses it once expired', () => {
      spec
        .given([invited])
        .when(accept(new Date(Date.parse(aWeekLater) + 1)))
        .thenThrows(ConflictError, /expired/);
    });

    it('refuses it a second time: an invitation is used once', () => {
      spec
        .given([invited, accepted])
        .when(accept())
        .thenThrows(ConflictError, /used already/);
    });

    it('refuses it after access was removed', () => {
      spec.given([invited, removed]).when(accept()).thenThrows(ConflictError);
    });

    it('does not know an invitation never made', () => {
      spec.given([]).when(accept()).thenThrows(NotFoundError);
    });
  });

  describe('when a person signs in through their identity provider for the first time', () => {
    const join = (roles: Role[] = ['hr', 'hr', 'regulator']): AccountCommand => ({
      type: 'JoinThroughIdentityProvider',
      data: { accountId: 'acc-1', issuer: 'https://idp.example.org', subject: 's-1', roles, now },
    });
    const joined: PersonJoinedThroughIdentityProvider = {
      type: 'PersonJoinedThroughIdentityProvider',
      data: {
        accountId: 'acc-1',
        issuer: 'https://idp.example.org',
        subject: 's-1',
        roles: ['hr', 'regulator'],
        joinedAt: now.toISOString(),
      },
    };

    it('records who they are at the provider and their roles (each once), no email', () => {
      spec.given([]).when(join()).then([joined]);
    });

    it('makes the account active at once: its roles can change and its access be removed', () => {
      spec
        .given([joined])
        .when({ type: 'ChangeRoles', data: { roles: ['admin'], changedBy: 'x', now } })
        .thenEvents((events) => expect(events).toMatchObject([{ type: 'RolesChanged' }]));
      spec.given([joined]).when(remove).then([removed]);
      spec.given([joined, removed]).when(join()).thenThrows(ConflictError);
    });

    it('refuses a second join and a join without roles', () => {
      spec
        .given([joined])
        .when(join())
        .thenThrows(ConflictError, /already/);
      spec
        .given([])
        .when(join([]))
        .thenThrows(InvalidCommandError, /^roles:/);
    });

    it('has no invitation to accept', () => {
      spec.given([joined]).when(accept()).thenThrows(ConflictError);
    });
  });

  describe('when an admin changes the roles', () => {
    const change = (roles: Role[]): AccountCommand => ({
      type: 'ChangeRoles',
      data: { roles, changedBy: 'admin-1', now },
    });

    it('records the new roles', () => {
      spec
        .given([invited, accepted])
        .when(change(['hr', 'regulator']))
        .then([
          {
            type: 'RolesChanged',
            data: {
              accountId: 'acc-1',
              roles: ['hr', 'regulator'],
              changedBy: 'admin-1',
              changedAt: now.toISOString(),
            },
          },
        ]);
    });

    it('changes nothing when the roles are the same', () => {
      spec
        .given([invited, accepted])
        .when(change(['hr']))
        .thenNothingHappened();
    });

    it('refuses once access was removed', () => {
      spec
        .given([invited, accepted, removed])
        .when(change(['hr']))
        .thenThrows(ConflictError);
    });
  });

  describe('when an admin links the person to their manager id', () => {
    const link = (managerId: string | null): AccountCommand => ({
      type: 'LinkManager',
      data: { managerId, linkedBy: 'admin-1', now },
    });
    const linked = (managerId: string | null) => ({
      type: 'ManagerLinked' as const,
      data: { accountId: 'acc-1', managerId, linkedBy: 'admin-1', linkedAt: now.toISOString() },
    });
    const joined: PersonJoinedThroughIdentityProvider = {
      type: 'PersonJoinedThroughIdentityProvider',
      data: {
        accountId: 'acc-1',
        issuer: 'i',
        subject: 's',
        roles: ['home-manager'],
        joinedAt: '',
      },
    };

    it('records the link, for an invited, an active or an identity-provider account', () => {
      spec
        .given([invited])
        .when(link('mgr-home-02'))
        .then([linked('mgr-home-02')]);
      spec
        .given([invited, accepted])
        .when(link('mgr-home-02'))
        .then([linked('mgr-home-02')]);
      spec
        .given([joined])
        .when(link('mgr-home-02'))
        .then([linked('mgr-home-02')]);
    });

    it('unlinks with null, and changes nothing when the link is already so', () => {
      spec
        .given([invited, accepted, linked('mgr-home-02')])
        .when(link(null))
        .then([linked(null)]);
      spec
        .given([invited, accepted, linked('mgr-home-02')])
        .when(link('mgr-home-02'))
        .thenNothingHappened();
      spec.given([invited, accepted]).when(link(null)).thenNothingHappened();
    });

    it('refuses for an account never made, or whose access was removed', () => {
      spec.given([]).when(link('mgr-home-02')).thenThrows(NotFoundError);
      spec.given([invited, accepted, removed]).when(link('mgr-home-02')).thenThrows(ConflictError);
    });
  });

  describe('when an admin removes access', () => {
    it('records the removal', () => {
      spec.given([invited, accepted]).when(remove).then([removed]);
    });

    it('removes a pending invitation too', () => {
      spec.given([invited]).when(remove).then([removed]);
    });

    it('changes nothing the second time', () => {
      spec.given([invited, accepted, removed]).when(remove).thenNothingHappened();
    });

    it('does not know an account never invited', () => {
      spec.given([]).when(remove).thenThrows(NotFoundError);
    });

    it('refuses a person removing their own access, saying why', () => {
      const removeOwn: AccountCommand = {
        type: 'RemoveAccess',
        data: { removedBy: 'acc-1', now },
      };
      spec
        .given([invited, accepted])
        .when(removeOwn)
        .thenThrows(ConflictError, /cannot remove your own access/);
    });
  });
});
