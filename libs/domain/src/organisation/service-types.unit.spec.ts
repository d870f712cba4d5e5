import { deciderSpecification } from '@kpi/testing';
import { serviceDecider } from './service.decider';
import { SERVICE_TYPES } from './service.events';

const services = deciderSpecification(serviceDecider);
const now = new Date('2026-04-01T09:00:00Z');

describe('service types', () => {
  it("include a council's direct services: day services, respite, supported living, work and training", () => {
    expect(SERVICE_TYPES).toEqual(
      expect.arrayContaining(['day-service', 'respite', 'supported-living', 'work-and-training']),
    );
  });

  it('register a work-and-training service on the direct-services framework', () => {
    services
      .given([])
      .when({
        type: 'RegisterService',
        data: {
          serviceId: 'fresh-start',
          name: 'Fresh Start',
          regionId: 'neath',
          serviceType: 'work-and-training',
          frameworkId: 'direct-services',
          openedOn: '2017-04-01',
          registeredBy: 'user:admin',
          now,
        },
      })
      .thenEvents(([event]) =>
        expect(event).toMatchObject({
          type: 'ServiceRegistered',
          data: { serviceType: 'work-and-training', frameworkId: 'direct-services' },
        }),
      );
  });
});
