import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError } from '../shared/domain-errors';
import {
  organisationDecider,
  type OrganisationRegistered,
  type RegisterOrganisation,
} from './organisation.decider';

const spec = deciderSpecification(organisationDecider);
const now = new Date('2026-01-02T09:00:00Z');
const register = (data: Partial<RegisterOrganisation['data']> = {}): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  data: {
    tenantId: 'bryn-melyn',
    name: 'Bryn Melyn Care',
    kind: 'provider',
    registeredBy: 'user:admin',
    now,
    ...data,
  },
});
const registered: OrganisationRegistered = {
  type: 'OrganisationRegistered',
  data: {
    tenantId: 'bryn-melyn',
    name: 'Bryn Melyn Care',
    kind: 'provider',
    registeredBy: 'user:admin',
    registeredAt: now.toISOString(),
  },
};

describe('an organisation (tenant)', () => {
  it('is registered once, as a provider or a council', () => {
    spec.given([]).when(register()).then([registered]);
    spec
      .given([registered])
      .when(register())
      .thenThrows(ConflictError, 'already registered as "Bryn Melyn Care"');
  });

  it('refuses the tenant id "platform", which is reserved for the platform\'s own data', () => {
    spec
      .given([])
      .when(register({ tenantId: 'platform' }))
      .thenThrows(InvalidCommandError, 'tenantId: "platform" is reserved');
  });

  // The kind is parsed at the edge: its refusal is in apps/api/src/organisation/organisation.dto.unit.spec.ts.
  it.each([[{ name: '' }, 'name: is required']])('refuses %j', (data, message) => {
    spec.given([]).when(register(data)).thenThrows(InvalidCommandError, message);
  });
});
