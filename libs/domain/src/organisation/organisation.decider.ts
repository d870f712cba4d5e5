import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError } from '../shared/domain-errors';
import { PLATFORM_TENANT_ID } from '../shared/platform-tenant';

/**
 * The organisation a tenant is: a care provider (children's homes, care at home) or a council
 * (in-house services, commissioning). Registered once; regions and services hang off it.
 */
export const ORGANISATION_KINDS = ['provider', 'council'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface OrganisationRegistered {
  type: 'OrganisationRegistered';
  data: {
    tenantId: string;
    name: string;
    kind: OrganisationKind;
    registeredBy: string;
    registeredAt: string;
  };
}

export type OrganisationEvent = OrganisationRegistered;

export interface RegisterOrganisation {
  type: 'RegisterOrganisation';
  /** `kind` is parsed at the edge; the name's rule (1 to 200 characters) is checked here. */
  data: {
    tenantId: string;
    name: unknown;
    kind: OrganisationKind;
    registeredBy: string;
    now: Date;
  };
}

export type OrganisationCommand = RegisterOrganisation;

export type OrganisationState =
  { status: 'none' } | { status: 'registered'; name: string; kind: OrganisationKind };

export const organisationDecider: Decider<
  OrganisationCommand,
  OrganisationState,
  OrganisationEvent
> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterOrganisation': {
        const { tenantId, name, kind, registeredBy, now } = command.data;
        if (tenantId === PLATFORM_TENANT_ID) {
          throw InvalidCommandError.of(
            'tenantId',
            `"${PLATFORM_TENANT_ID}" is reserved for the platform's own data (the bank-holiday calendar); an organisation needs another tenant id`,
          );
        }
        if (state.status === 'registered')
          throw new ConflictError(`The organisation is already registered as "${state.name}"`);
        if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
          throw InvalidCommandError.of('name', 'is required: 1 to 200 characters');
        }
        return [
          {
            type: 'OrganisationRegistered',
            data: {
              tenantId,
              name: name.trim(),
              kind,
              registeredBy,
              registeredAt: now.toISOString(),
            },
          },
        ];
      }
    }
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'OrganisationRegistered':
        return { status: 'registered', name: event.data.name, kind: event.data.kind };
      default: {
        const unexpected: never = event.type;
        return unexpected;
      }
    }
  },
};
