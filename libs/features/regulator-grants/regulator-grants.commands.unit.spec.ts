import { NotFoundError, type ServiceRegistered } from '@kpi/domain';
import { commandSpecification, id } from '@kpi/testing';
import type { GrantRegulatorAccessInput } from './regulator-grants.commands';
import { grantRegulatorAccess, revokeRegulatorAccess } from './regulator-grants.use-cases';

/** The grant commands, given / when / then on the in-memory event store. */
const tyGwyn: ServiceRegistered = {
  type: 'ServiceRegistered',
  data: {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
    registeredBy: 'user:admin',
    registeredAt: '2024-03-01T09:00:00.000Z',
  },
};

const now = new Date('2026-05-11T08:30:00Z');
const input: GrantRegulatorAccessInput = {
  regulatorTenantId: 'ofsted',
  serviceIds: null,
  period: { from: '2025-04-01', to: '2026-03-31' },
  expiresAt: new Date('2026-07-31T17:00:00Z'),
  reference: 'SC123456/2026-05',
};

describe('granting a regulator access', () => {
  it('records the grant on its own stream, by the admin, and answers it active', async () => {
    const spec = commandSpecification({ tenantId: 'acme', actor: 'acc-admin', now });
    const { result, events } = await spec.when(grantRegulatorAccess, input);
    expect(result).toMatchObject({
      grantId: expect.stringMatching(/^grant-[0-9a-f]{16}$/),
      grantorTenantId: 'acme',
      regulatorTenantId: 'ofsted',
      scope: { kind: 'organisation' },
      status: 'active',
      grantedBy: 'acc-admin',
      replayed: false,
    });
    expect(events).toEqual([
      expect.objectContaining({
        streamId: `acme:regulator-grant:${result.grantId}`,
        type: 'RegulatorAccessGranted',
        metadata: expect.objectContaining({ tenantId: 'acme', actor: 'acc-admin' }),
      }),
    ]);
  });

  it('is the same grant when retried with the same command id', async () => {
    const spec = commandSpecification({ now });
    const commandId = '2f0c6a4e-8b1d-4c3e-9f5a-7d6e8c9b0a1f';
    const first = await spec.when(grantRegulatorAccess, input, { commandId });
    const retry = await spec.when(grantRegulatorAccess, input, { commandId });
    expect(retry.result).toMatchObject({ grantId: first.result.grantId, replayed: true });
    expect(retry.events).toEqual([]);
  });

  it('opens only services of the organisation: another is 404 naming it', async () => {
    const spec = commandSpecification({ tenantId: 'acme', now });
    await spec.given('acme:service:ty-gwyn', [tyGwyn]);
    const scoped = { ...input, serviceIds: [id('ty-gwyn'), id('home-99')] };
    await expect(spec.when(grantRegulatorAccess, scoped)).rejects.toThrow(
      new NotFoundError('No service home-99'),
    );
    const { result } = await spec.when(grantRegulatorAccess, {
      ...scoped,
      serviceIds: [id('ty-gwyn')],
    });
    expect(result.scope).toEqual({ kind: 'services', serviceIds: ['ty-gwyn'] });
  });
});

describe('revoking a grant', () => {
  it('records the revocation and answers it revoked', async () => {
    const spec = commandSpecification({ tenantId: 'acme', actor: 'acc-admin', now });
    const { result: grant } = await spec.when(grantRegulatorAccess, input);
    const { result, events } = await spec.when(revokeRegulatorAccess, { grantId: grant.grantId });
    expect(result).toMatchObject({ status: 'revoked', revokedBy: 'acc-admin' });
    expect(events.map((event) => event.type)).toEqual(['RegulatorAccessRevoked']);
  });

  it("does not know another organisation's grant", async () => {
    const spec = commandSpecification({ tenantId: 'acme', now });
    const { result: grant } = await spec.when(grantRegulatorAccess, input);
    await expect(
      spec.when(revokeRegulatorAccess, { grantId: grant.grantId }, { tenantId: 'other' }),
    ).rejects.toThrow(NotFoundError);
  });
});
