import { InvalidCommandError } from '@kpi/domain';
import { EntityIdParam } from '../http/path-params';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import type { InvalidRequestException } from '../problems/invalid-request.exception';
import { LogComplaintBody, LogComplimentBody } from './complaints-commands.dto';

/**
 * The edge parses a complaint's ids and the day it was received (its due dates count from it)
 * once; the use cases take them typed.
 */
describe('complaint requests at the edge', () => {
  const pipe = new RequestValidationPipe();
  const bodyOf = (metatype: new () => object, value: object) =>
    pipe.transform(value, { type: 'body', metatype });
  const errorsOf = (metatype: new () => object, value: object) =>
    bodyOf(metatype, value).then(
      () => [],
      (error: unknown) => (error as InvalidRequestException).errors,
    );
  const complaint = {
    complaintId: 'cmp-2026-0042',
    serviceId: 'ty-gwyn',
    receivedOn: '2026-04-02',
    category: 'communication',
    summary: 'Not told that the placement plan had changed.',
  };

  it.each([['2026-02-30'], [20260402], [['2026-04-02']]])(
    'refuses the received day %j, naming receivedOn',
    async (receivedOn) => {
      expect(await errorsOf(LogComplaintBody, { ...complaint, receivedOn })).toEqual([
        {
          field: 'receivedOn',
          reason: expect.stringContaining('must be a date written YYYY-MM-DD') as string,
        },
      ]);
    },
  );

  it.each([
    ['complaintId', 'x'.repeat(5000)],
    ['complaintId', 42],
    ['serviceId', ['ty-gwyn']],
    ['serviceId', { id: 'ty-gwyn' }],
  ])('refuses a malformed %s (%j), naming the field', async (field, value) => {
    expect(await errorsOf(LogComplaintBody, { ...complaint, [field]: value })).toEqual([
      {
        field,
        reason: expect.stringContaining('must be 1 to 63 lowercase letters') as string,
      },
    ]);
  });

  it('takes a complaint without an id (one is made from the request)', async () => {
    const { complaintId: _id, ...anonymous } = complaint;
    expect(await bodyOf(LogComplaintBody, anonymous)).toMatchObject(anonymous);
  });

  it('refuses a malformed compliment id, naming complimentId', async () => {
    const errors = await errorsOf(LogComplimentBody, {
      complimentId: 'x'.repeat(5000),
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-02',
      summary: 'Thanks',
    });
    expect(errors.map((e: { field: string }) => e.field)).toEqual(['complimentId']);
  });

  it('refuses a malformed complaint id in the path, naming it', () => {
    const parse = () => EntityIdParam.transform('CMP X', { type: 'param', data: 'complaintId' });
    expect(parse).toThrow(InvalidCommandError);
    expect(parse).toThrow('complaintId: must be 1 to 63 lowercase letters');
  });
});
