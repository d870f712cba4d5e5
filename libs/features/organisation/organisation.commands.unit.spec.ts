import { ConflictError, InvalidCommandError, NotFoundError } from '@kpi/domain';
import { commandSpecification, id } from '@kpi/testing';
import {
  appointManager,
  assignRegionalManager,
  endManagerAppointment,
  registerOrganisation,
  registerRegion,
  registerService,
} from './organisation.use-cases';

/**
 * The organisation's commands, given / when / then on the in-memory event store: what each
 * wrote, what it answered, what it refuses, and that a retry with the same command id writes
 * nothing.
 */
const north = { regionId: id('north'), name: 'North Wales', regionalManagerId: id('rm-1') };
const home17 = {
  serviceId: id('home-17'),
  name: 'Tŷ Gwyn',
  regionId: id('north'),
  serviceType: 'childrens-home' as const,
  frameworkId: id('childrens-homes'),
  openedOn: '2024-04-01',
};

async function withRegion() {
  const spec = commandSpecification();
  await registerRegion(spec.context({ actor: 'user:admin' }), north);
  return spec;
}

async function withHome() {
  const spec = await withRegion();
  await registerService(spec.context({ actor: 'user:admin' }), home17);
  return spec;
}

describe('organisation commands (in memory)', () => {
  describe('registerOrganisation', () => {
    it("registers the caller's tenant, trimmed, and answers the stream written", async () => {
      const spec = commandSpecification();
      const { result, events } = await spec.when(registerOrganisation, {
        name: ' Bryn Melyn Care ',
        kind: 'provider',
      });
      expect(events).toMatchObject([
        {
          streamId: 'acme:organisation',
          type: 'OrganisationRegistered',
          data: { tenantId: 'acme', name: 'Bryn Melyn Care', kind: 'provider' },
          metadata: { tenantId: 'acme', actor: 'user:rm-1' },
        },
      ]);
      expect(result).toMatchObject({
        streamId: 'acme:organisation',
        streamVersion: 1,
        replayed: false,
        state: { status: 'registered', name: 'Bryn Melyn Care', kind: 'provider' },
      });
    });

    it('writes nothing twice: the same command again answers the first events, replayed', async () => {
      const spec = commandSpecification();
      const context = spec.context();
      const input = { name: 'Bryn Melyn Care', kind: 'provider' as const };
      const first = await registerOrganisation(context, input);
      const { result, events } = await spec.when(registerOrganisation, input, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toMatchObject({ events: first.events, replayed: true, streamVersion: 1 });
    });

    it('refuses a second registration (409) and a blank name', async () => {
      const spec = commandSpecification();
      await spec.when(registerOrganisation, { name: 'Bryn Melyn Care', kind: 'provider' });
      await expect(
        spec.when(registerOrganisation, { name: 'Other', kind: 'council' }),
      ).rejects.toThrow(ConflictError);
      await expect(
        commandSpecification().when(registerOrganisation, { name: ' ', kind: 'council' }),
      ).rejects.toThrow('name: is required');
    });

    it('refuses the tenant id "platform"', async () => {
      const spec = commandSpecification({ tenantId: 'platform' });
      await expect(
        spec.when(registerOrganisation, { name: 'Platform', kind: 'provider' }),
      ).rejects.toThrow(InvalidCommandError);
    });
  });

  describe('registerRegion and assignRegionalManager', () => {
    it('registers a region with its regional manager', async () => {
      const spec = commandSpecification();
      const { result, events } = await spec.when(registerRegion, north);
      expect(events).toMatchObject([
        {
          streamId: 'acme:region:north',
          type: 'RegionRegistered',
          data: { regionId: 'north', name: 'North Wales', regionalManagerId: 'rm-1' },
        },
      ]);
      expect(result.state).toMatchObject({ status: 'registered', regionalManagerId: 'rm-1' });
    });

    it('refuses a region registered already (409)', async () => {
      const spec = await withRegion();
      await expect(spec.when(registerRegion, north)).rejects.toThrow(ConflictError);
    });

    it('changes the regional manager, and writes nothing when it is the same person', async () => {
      const spec = await withRegion();
      const { result, events } = await spec.when(assignRegionalManager, {
        regionId: id('north'),
        regionalManagerId: id('rm-2'),
      });
      expect(events).toMatchObject([
        { type: 'RegionalManagerAssigned', data: { regionId: 'north', regionalManagerId: 'rm-2' } },
      ]);
      expect(result).toMatchObject({ streamVersion: 2, state: { regionalManagerId: 'rm-2' } });
      const again = await spec.when(assignRegionalManager, {
        regionId: id('north'),
        regionalManagerId: id('rm-2'),
      });
      expect(again.events).toEqual([]);
      expect(again.result).toMatchObject({ events: [], streamVersion: 2, replayed: false });
    });

    it("answers 'not found' for a region the tenant does not have", async () => {
      const spec = commandSpecification();
      await expect(
        spec.when(assignRegionalManager, { regionId: id('south'), regionalManagerId: id('rm-2') }),
      ).rejects.toThrow(NotFoundError);
    });
  });

  describe('registerService', () => {
    it('registers a home in a region', async () => {
      const spec = await withRegion();
      const { result, events } = await spec.when(registerService, home17);
      expect(events).toMatchObject([
        {
          streamId: 'acme:service:home-17',
          type: 'ServiceRegistered',
          data: {
            serviceId: 'home-17',
            regionId: 'north',
            serviceType: 'childrens-home',
            frameworkId: 'childrens-homes',
            openedOn: '2024-04-01',
          },
        },
      ]);
      expect(result.state).toMatchObject({ status: 'registered', appointments: [] });
    });

    it('refuses a region the tenant does not have (404), a service registered already (409) and a date that is not one', async () => {
      const spec = await withHome();
      await expect(
        spec.when(registerService, { ...home17, serviceId: id('home-18'), regionId: id('south') }),
      ).rejects.toThrow(NotFoundError);
      await expect(spec.when(registerService, home17)).rejects.toThrow(ConflictError);
      await expect(
        spec.when(registerService, { ...home17, serviceId: id('home-18'), openedOn: '2024-02-30' }),
      ).rejects.toThrow('openedOn: must be a date written YYYY-MM-DD');
    });
  });

  describe('appointManager and endManagerAppointment', () => {
    it('appoints a manager; the next one takes over the day after the open appointment ends', async () => {
      const spec = await withHome();
      await spec.when(appointManager, {
        serviceId: id('home-17'),
        managerId: id('mgr-a'),
        from: '2026-01-01',
      });
      const { result, events } = await spec.when(appointManager, {
        serviceId: id('home-17'),
        managerId: id('mgr-b'),
        from: '2026-03-01',
      });
      expect(events).toMatchObject([
        { type: 'ManagerAppointmentEnded', data: { managerId: 'mgr-a', to: '2026-02-28' } },
        { type: 'ManagerAppointed', data: { managerId: 'mgr-b', from: '2026-03-01', to: null } },
      ]);
      expect(result.state).toMatchObject({
        appointments: [
          { managerId: 'mgr-a', from: '2026-01-01', to: '2026-02-28' },
          { managerId: 'mgr-b', from: '2026-03-01', to: null },
        ],
      });
    });

    it('refuses an overlapping appointment (409) and a service the tenant does not have (404)', async () => {
      const spec = await withHome();
      await spec.when(appointManager, {
        serviceId: id('home-17'),
        managerId: id('mgr-a'),
        from: '2026-01-01',
        to: '2026-06-30',
      });
      await expect(
        spec.when(appointManager, {
          serviceId: id('home-17'),
          managerId: id('mgr-b'),
          from: '2026-03-01',
        }),
      ).rejects.toThrow(ConflictError);
      await expect(
        spec.when(appointManager, {
          serviceId: id('home-99'),
          managerId: id('mgr-b'),
          from: '2026-03-01',
        }),
      ).rejects.toThrow(NotFoundError);
    });

    it('ends the open appointment; a retry with the same command id writes nothing', async () => {
      const spec = await withHome();
      await spec.when(appointManager, {
        serviceId: id('home-17'),
        managerId: id('mgr-a'),
        from: '2026-01-01',
      });
      const context = spec.context();
      const input = { serviceId: id('home-17'), to: '2026-08-31' };
      const { result, events } = await spec.when(endManagerAppointment, input, {
        commandId: context.commandId,
      });
      expect(events).toMatchObject([
        { type: 'ManagerAppointmentEnded', data: { managerId: 'mgr-a', to: '2026-08-31' } },
      ]);
      expect(result.replayed).toBe(false);
      const retry = await spec.when(endManagerAppointment, input, {
        commandId: context.commandId,
      });
      expect(retry.events).toEqual([]);
      expect(retry.result).toMatchObject({ events: result.events, replayed: true });
    });

    it('refuses to end an appointment when none is open (409)', async () => {
      const spec = await withHome();
      await expect(
        spec.when(endManagerAppointment, { serviceId: id('home-17'), to: '2026-08-31' }),
      ).rejects.toThrow(ConflictError);
    });
  });
});
