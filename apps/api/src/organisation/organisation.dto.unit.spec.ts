import { InvalidCommandError } from '@kpi/domain';
import { EntityIdParam } from '../http/path-params';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import {
  AppointManagerBody,
  RegisterOrganisationBody,
  RegisterRegionBody,
  RegisterServiceBody,
} from './organisation.dto';

/** The edge parses the organisation's ids, kinds and service types once; the deciders take them typed. */
describe('organisation requests at the edge', () => {
  const pipe = new RequestValidationPipe();
  const bodyOf = (metatype: new () => object, value: object) =>
    pipe.transform(value, { type: 'body', metatype });
  const refusalOf = (metatype: new () => object, value: object) =>
    bodyOf(metatype, value).then(
      () => {
        throw new Error('accepted');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(InvalidRequestException);
        return (error as InvalidRequestException).errors;
      },
    );

  const service = {
    serviceId: 'home-17',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  };

  // Moved from the organisation decider's spec, with its assertion.
  it('refuses an organisation kind it does not know', async () => {
    expect(await refusalOf(RegisterOrganisationBody, { name: 'X', kind: 'charity' })).toEqual([
      {
        field: 'kind',
        reason: expect.stringContaining('must be one of provider, council') as string,
      },
    ]);
  });

  // Moved from the service decider's spec, with its assertion.
  it('refuses a service type it does not know', async () => {
    expect(await refusalOf(RegisterServiceBody, { ...service, serviceType: 'castle' })).toEqual([
      { field: 'serviceType', reason: expect.stringContaining('must be one of') as string },
    ]);
  });

  it.each([
    [RegisterRegionBody, { regionId: 'A B', name: 'North', regionalManagerId: 'rm-1' }, 'regionId'],
    [RegisterServiceBody, { ...service, frameworkId: 'Childrens Homes' }, 'frameworkId'],
    [AppointManagerBody, { managerId: 'MGR 1', from: '2026-01-01' }, 'managerId'],
  ])('refuses an id that is not a slug, naming the field (%#)', async (metatype, body, field) => {
    expect(await refusalOf(metatype, body)).toEqual([
      { field, reason: expect.stringContaining('must be 1 to 63 lowercase letters') as string },
    ]);
  });

  it('takes a well-formed service as it is', async () => {
    expect(await bodyOf(RegisterServiceBody, service)).toEqual(service);
  });

  it('refuses a malformed id in the path, naming it', () => {
    const parse = () => EntityIdParam.transform('North Wales', { type: 'param', data: 'regionId' });
    expect(parse).toThrow(InvalidCommandError);
    expect(parse).toThrow('regionId: must be 1 to 63 lowercase letters');
  });
});
