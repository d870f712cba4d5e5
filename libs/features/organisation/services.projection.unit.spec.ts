import { managerOn, type ServiceEvent } from '@kpi/domain';
import {
  managerAppointed,
  managerAppointmentEnded,
  recorded,
  serviceRegistered,
} from '@kpi/testing/fixtures';
import { evolveService, serviceKeyOf, type ServiceRow } from './services.projection';

const given = (events: ServiceEvent[], tenantId = 'acme'): ServiceRow | null =>
  events.reduce<ServiceRow | null>(
    (row, event) => evolveService(row, recorded(event, { tenantId })),
    null,
  );

describe('the services read model', () => {
  describe('when a service is registered', () => {
    it('holds where it sits and what judges it, with no manager yet', () => {
      expect(given([serviceRegistered()])).toEqual({
        tenantId: 'acme',
        serviceId: 'home-17',
        name: 'Oak House',
        regionId: 'north',
        serviceType: 'childrens-home',
        frameworkId: 'childrens-homes',
        openedOn: '2025-01-06',
        currentManagerId: null,
        appointments: [],
      });
    });
  });

  describe('when a manager is appointed open-ended', () => {
    it('is the current manager, with the appointment listed', () => {
      expect(given([serviceRegistered(), managerAppointed({ managerId: 'hm-1' })])).toMatchObject({
        currentManagerId: 'hm-1',
        appointments: [{ managerId: 'hm-1', from: '2025-01-06', to: null }],
      });
    });
  });

  describe('when the manager hands over to another', () => {
    const row = given([
      serviceRegistered(),
      managerAppointed({ managerId: 'hm-1', from: '2025-01-06' }),
      managerAppointmentEnded({ managerId: 'hm-1', to: '2026-06-30' }),
      managerAppointed({ managerId: 'hm-2', from: '2026-07-01' }),
    ])!;

    it('closes the first appointment on its end date and makes the new manager current', () => {
      expect(row.currentManagerId).toBe('hm-2');
      expect(row.appointments).toEqual([
        { managerId: 'hm-1', from: '2025-01-06', to: '2026-06-30' },
        { managerId: 'hm-2', from: '2026-07-01', to: null },
      ]);
    });

    it('keeps the history that tells who managed the home on any date', () => {
      expect(managerOn(row.appointments, '2025-01-05')).toBeNull();
      expect(managerOn(row.appointments, '2026-06-30')).toBe('hm-1');
      expect(managerOn(row.appointments, '2026-07-01')).toBe('hm-2');
    });
  });

  describe("when the only manager's appointment ends", () => {
    it('has no current manager', () => {
      expect(
        given([serviceRegistered(), managerAppointed(), managerAppointmentEnded()]),
      ).toMatchObject({ currentManagerId: null });
    });
  });

  describe('when a past, closed appointment is recorded after the current one', () => {
    it('lists appointments in date order and keeps the open one current', () => {
      const row = given([
        serviceRegistered(),
        managerAppointed({ managerId: 'hm-2', from: '2026-07-01' }),
        managerAppointed({ managerId: 'hm-1', from: '2025-01-06', to: '2026-06-30' }),
      ])!;
      expect(row.appointments.map((a) => a.managerId)).toEqual(['hm-1', 'hm-2']);
      expect(row.currentManagerId).toBe('hm-2');
    });
  });

  describe('when the same appointment arrives twice', () => {
    it('lists it once', () => {
      const appointed = managerAppointed();
      expect(given([serviceRegistered(), appointed, appointed])!.appointments).toHaveLength(1);
    });
  });

  describe('when an appointment arrives for a service it has not seen registered', () => {
    it('makes no row', () => {
      expect(given([managerAppointed()])).toBeNull();
    });
  });

  it('keys rows by tenant first', () => {
    expect(serviceKeyOf(recorded(serviceRegistered(), { tenantId: 'acme' }))).toBe(
      '["acme","home-17"]',
    );
  });
});
