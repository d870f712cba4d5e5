import { serviceOfStreamIsInFirstEvent, streamBelongsToServices } from './service-streams';

const about = (data: unknown) => ({ data });

describe('which streams belong to a service', () => {
  const tyGwyn = ['ty-gwyn'];

  it.each([
    ['the service itself', 'acme:service:ty-gwyn'],
    ['its monthly returns', 'acme:monthly-return:ty-gwyn:2026-04'],
    ['the capability counters kept at it', 'acme:capability:mgr-siwan:ty-gwyn:EDU'],
  ])('takes in %s by the stream id', (_, streamId) => {
    expect(streamBelongsToServices(streamId, about({}), tyGwyn)).toBe(true);
  });

  it.each([
    ['a complaint', 'acme:complaint:c-1', { complaintId: 'c-1', serviceId: 'ty-gwyn' }],
    ['a compliment', 'acme:compliment:k-1', { complimentId: 'k-1', serviceId: 'ty-gwyn' }],
    ['a staff member', 'acme:staff:s-1', { staffId: 's-1', serviceId: 'ty-gwyn' }],
    ['a deadline', 'acme:deadline:x', { deadline: { serviceId: 'ty-gwyn' } }],
  ])('takes in %s by the service its first event names', (_, streamId, data) => {
    expect(streamBelongsToServices(streamId, about(data), tyGwyn)).toBe(true);
  });

  it.each([
    ['another service', 'acme:service:plas-newydd', {}],
    ["another service's return", 'acme:monthly-return:plas-newydd:2026-04', {}],
    ["a complaint about another service's", 'acme:complaint:c-2', { serviceId: 'plas-newydd' }],
    ['the organisation', 'acme:organisation', { serviceId: 'ty-gwyn' }],
    ['a region', 'acme:region:north', {}],
    ['a framework', 'acme:kpi-framework:childrens-homes', {}],
    ["a person's supervisions", 'acme:supervision:s-1', { serviceId: 'ty-gwyn' }],
    ['an account', 'acme:account:acc-1', {}],
    ['a stream id with the service in the wrong place', 'acme:service:ty-gwyn:extra', {}],
  ])('leaves out %s', (_, streamId, data) => {
    expect(streamBelongsToServices(streamId, about(data), tyGwyn)).toBe(false);
  });
});

describe('commentary on indicators (docs/decisions/0038)', () => {
  const tyGwyn = ['ty-gwyn'];
  it("belongs to the service it is about; the organisation's to none", () => {
    expect(
      streamBelongsToServices('acme:commentary:ty-gwyn:EDU:2026-27-q2', about({}), tyGwyn),
    ).toBe(true);
    expect(
      streamBelongsToServices('acme:commentary:_organisation:EDU:2026-27-q2', about({}), tyGwyn),
    ).toBe(false);
    expect(
      streamBelongsToServices('acme:commentary:plas-newydd:EDU:2026-09', about({}), tyGwyn),
    ).toBe(false);
  });
});

describe("whether a stream's first event is needed to place it", () => {
  it.each([
    ['acme:complaint:c-1', true],
    ['acme:compliment:k-1', true],
    ['acme:staff:s-1', true],
    ['acme:deadline:x', true],
    ['acme:service:ty-gwyn', false],
    ['acme:monthly-return:ty-gwyn:2026-04', false],
    ['acme:region:north', false],
  ])('%s: %s', (streamId, needed) => {
    expect(serviceOfStreamIsInFirstEvent(streamId)).toBe(needed);
  });
});
