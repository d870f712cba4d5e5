import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import { regionDecider, type RegionRegistered } from './region.decider';
import type { AppointManager } from './service.commands';
import { managerOn, serviceDecider } from './service.decider';
import type { ManagerAppointed, ServiceRegistered } from './service.events';

const now = new Date('2026-01-10T09:00:00Z');
const services = deciderSpecification(serviceDecider);
const regions = deciderSpecification(regionDecider);

const registered: ServiceRegistered = {
  type: 'ServiceRegistered',
  data: {
    serviceId: 'home-17',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
    registeredBy: 'user:admin',
    registeredAt: now.toISOString(),
  },
};
const appointed = (
  managerId: string,
  from: string,
  to: string | null = null,
): ManagerAppointed => ({
  type: 'ManagerAppointed',
  data: {
    serviceId: 'home-17',
    managerId,
    from,
    to,
    appointedBy: 'user:admin',
    appointedAt: now.toISOString(),
  },
});
const appoint = (managerId: string, from: unknown, to: unknown = null): AppointManager => ({
  type: 'AppointManager',
  data: { serviceId: 'home-17', managerId, from, to, appointedBy: 'user:admin', now },
});

describe('a service (home)', () => {
  it('is registered once', () => {
    services
      .given([])
      .when({
        type: 'RegisterService',
        data: { ...registered.data, registeredBy: 'user:admin', now },
      })
      .then([registered]);
    services
      .given([registered])
      .when({ type: 'RegisterService', data: { ...registered.data, now } })
      .thenThrows(ConflictError, 'already registered');
  });

  // The service type is parsed at the edge: its refusal is in apps/api/src/organisation/organisation.dto.unit.spec.ts.
  it.each([
    [{ name: '' }, 'name: is required'],
    [{ openedOn: '2024-02-30' }, 'openedOn: must be a date written YYYY-MM-DD'],
  ])('refuses %j', (data, message) => {
    services
      .given([])
      .when({ type: 'RegisterService', data: { ...registered.data, now, ...data } })
      .thenThrows(InvalidCommandError, message);
  });

  describe('manager appointments: one manager per home at a time', () => {
    it('appoints a first manager, open-ended', () => {
      services
        .given([registered])
        .when(appoint('mgr-a', '2024-04-01'))
        .then([appointed('mgr-a', '2024-04-01')]);
    });

    it('ends the current open appointment the day before a new manager starts', () => {
      services
        .given([registered, appointed('mgr-a', '2024-04-01')])
        .when(appoint('mgr-b', '2026-03-01'))
        .then([
          {
            type: 'ManagerAppointmentEnded',
            data: {
              serviceId: 'home-17',
              managerId: 'mgr-a',
              to: '2026-02-28',
              endedBy: 'user:admin',
              endedAt: now.toISOString(),
            },
          },
          appointed('mgr-b', '2026-03-01'),
        ]);
    });

    it('refuses an appointment overlapping a closed one', () => {
      services
        .given([registered, appointed('mgr-a', '2025-01-01', '2025-06-30')])
        .when(appoint('mgr-b', '2025-06-01', '2025-12-31'))
        .thenThrows(ConflictError, 'mgr-a is appointed to home-17 from 2025-01-01 to 2025-06-30');
    });

    it('refuses to back-date before the current open appointment began', () => {
      services
        .given([registered, appointed('mgr-a', '2025-01-01')])
        .when(appoint('mgr-b', '2024-06-01', '2025-02-01'))
        .thenThrows(ConflictError, 'one manager per home at a time');
    });

    it('refuses a service that is not registered, and an end before the start', () => {
      services
        .given([])
        .when(appoint('mgr-a', '2024-04-01'))
        .thenThrows(NotFoundError, 'No service home-17');
      services
        .given([registered])
        .when(appoint('mgr-a', '2024-04-01', '2024-03-01'))
        .thenThrows(InvalidCommandError, 'to: must be on or after from');
    });

    it('says who was in charge on a date, and nobody in a gap', () => {
      const state = [
        registered,
        appointed('mgr-a', '2024-04-01', '2025-03-31'),
        appointed('mgr-b', '2025-05-01'),
      ].reduce(serviceDecider.evolve, serviceDecider.initialState());
      if (state.status !== 'registered') throw new Error('not registered');
      expect(managerOn(state.appointments, '2025-03-31')).toBe('mgr-a');
      expect(managerOn(state.appointments, '2025-04-30')).toBeNull();
      expect(managerOn(state.appointments, '2026-09-30')).toBe('mgr-b');
    });
  });
});

describe('a region', () => {
  const region: RegionRegistered = {
    type: 'RegionRegistered',
    data: {
      regionId: 'north',
      name: 'North Wales',
      regionalManagerId: 'rm-1',
      registeredBy: 'user:admin',
      registeredAt: now.toISOString(),
    },
  };

  it('is registered with its regional manager, who can be replaced', () => {
    regions
      .given([])
      .when({ type: 'RegisterRegion', data: { ...region.data, now } })
      .then([region]);
    regions
      .given([region])
      .when({
        type: 'AssignRegionalManager',
        data: { regionId: 'north', regionalManagerId: 'rm-2', assignedBy: 'user:admin', now },
      })
      .then([
        {
          type: 'RegionalManagerAssigned',
          data: {
            regionId: 'north',
            regionalManagerId: 'rm-2',
            assignedBy: 'user:admin',
            assignedAt: now.toISOString(),
          },
        },
      ]);
  });

  it('changes nothing when the same regional manager is assigned again', () => {
    regions
      .given([region])
      .when({
        type: 'AssignRegionalManager',
        data: { regionId: 'north', regionalManagerId: 'rm-1', assignedBy: 'user:admin', now },
      })
      .thenNothingHappened();
  });
});
