import { ConflictError, InvalidCommandError, NotFoundError } from '@kpi/domain';
import { deciderSpecification } from '@kpi/testing';
import {
  grantStatusAt,
  regulatorGrantDecider,
  type RegulatorGrantCommand,
} from './regulator-grant.decider';
import type { RegulatorAccessGranted, RegulatorAccessRevoked } from './regulator-grant.events';

const spec = deciderSpecification(regulatorGrantDecider);
const now = new Date('2026-05-11T08:30:00Z');
type GrantData = Extract<RegulatorGrantCommand, { type: 'GrantRegulatorAccess' }>['data'];

const grant = (data: Partial<GrantData> = {}): RegulatorGrantCommand => ({
  type: 'GrantRegulatorAccess',
  data: {
    grantId: 'grant-1',
    grantorTenantId: 'acme',
    regulatorTenantId: 'ofsted',
    scope: { kind: 'organisation' },
    period: { from: '2025-04-01', to: '2026-03-31' },
    expiresAt: new Date('2026-07-31T17:00:00Z'),
    reference: 'SC123456/2026-05',
    grantedBy: 'acc-admin',
    now,
    ...data,
  },
});
const revoke = (at = now): RegulatorGrantCommand => ({
  type: 'RevokeRegulatorAccess',
  data: { grantId: 'grant-1', revokedBy: 'acc-admin', now: at },
});

const granted: RegulatorAccessGranted = {
  type: 'RegulatorAccessGranted',
  data: {
    grantId: 'grant-1',
    regulatorTenantId: 'ofsted',
    scope: { kind: 'organisation' },
    period: { from: '2025-04-01', to: '2026-03-31' },
    expiresAt: '2026-07-31T17:00:00.000Z',
    reference: 'SC123456/2026-05',
    grantedBy: 'acc-admin',
    grantedAt: now.toISOString(),
  },
};
const revoked: RegulatorAccessRevoked = {
  type: 'RegulatorAccessRevoked',
  data: { grantId: 'grant-1', revokedBy: 'acc-admin', revokedAt: now.toISOString() },
};

describe('a grant of read access to a regulator', () => {
  describe('when an organisation grants it', () => {
    it('records the regulator, scope, period, expiry and reference', () => {
      spec.given([]).when(grant()).then([granted]);
    });

    it('names each service of a service-scoped grant once', () => {
      spec
        .given([])
        .when(grant({ scope: { kind: 'services', serviceIds: ['ty-gwyn', 'ty-gwyn', 'plas'] } }))
        .thenEvents(([event]) =>
          expect(event!.data).toMatchObject({
            scope: { kind: 'services', serviceIds: ['ty-gwyn', 'plas'] },
          }),
        );
    });

    it('refuses a grant to the organisation itself, naming the field', () => {
      spec
        .given([])
        .when(grant({ regulatorTenantId: 'acme' }))
        .thenThrows(InvalidCommandError, /^regulatorTenantId:/);
    });

    it('refuses an expiry that is not after now', () => {
      spec
        .given([])
        .when(grant({ expiresAt: now }))
        .thenThrows(InvalidCommandError, /^expiresAt: must be after now/);
    });

    it('refuses a period that ends before it starts', () => {
      spec
        .given([])
        .when(grant({ period: { from: '2026-04-01', to: '2026-03-31' } }))
        .thenThrows(InvalidCommandError, /^period\.to: must not be before period\.from/);
    });

    it('refuses a service-scoped grant naming no service', () => {
      spec
        .given([])
        .when(grant({ scope: { kind: 'services', serviceIds: [] } }))
        .thenThrows(InvalidCommandError, /^serviceIds:/);
    });

    it('refuses to make the same grant twice', () => {
      spec.given([granted]).when(grant()).thenThrows(ConflictError);
    });
  });

  describe('when the organisation revokes it', () => {
    it('records the revocation', () => {
      spec.given([granted]).when(revoke()).then([revoked]);
    });

    it('changes nothing the second time', () => {
      spec.given([granted, revoked]).when(revoke()).thenNothingHappened();
    });

    it('does not know a grant never made', () => {
      spec
        .given([])
        .when(revoke())
        .thenThrows(NotFoundError, /No grant grant-1/);
    });
  });

  describe('its status at an instant', () => {
    const terms = { expiresAt: '2026-07-31T17:00:00.000Z', revokedAt: null };

    it('is active until the expiry', () => {
      expect(grantStatusAt(terms, new Date('2026-07-31T16:59:59.999Z'))).toBe('active');
    });

    it('is expired from the expiry on', () => {
      expect(grantStatusAt(terms, new Date('2026-07-31T17:00:00.000Z'))).toBe('expired');
    });

    it('is revoked once revoked, whatever the time', () => {
      expect(grantStatusAt({ ...terms, revokedAt: now.toISOString() }, now)).toBe('revoked');
    });
  });
});
