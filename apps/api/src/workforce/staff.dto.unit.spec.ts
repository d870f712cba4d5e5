import { InvalidCommandError } from '@kpi/domain';
import { EntityIdParam } from '../http/path-params';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { RecordAppraisalBody, RegisterStaffMemberBody } from './staff.dto';

/** The edge parses the staff register's ids once; the use cases take them typed. */
describe('staff-register requests at the edge', () => {
  const pipe = new RequestValidationPipe();
  const bodyOf = (metatype: new () => object, value: object) =>
    pipe.transform(value, { type: 'body', metatype });
  const refusalOf = (metatype: new () => object, value: object) =>
    bodyOf(metatype, value).then(
      () => null,
      (error: unknown) => error,
    );
  const starter = {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    role: 'care-worker',
    startedOn: '2026-01-05',
  };

  it.each([
    ['staffId', 'CW X'],
    ['staffId', 7],
    ['staffId', 'x'.repeat(64)],
    ['serviceId', { id: 'plas-newydd' }],
  ])('refuses a malformed %s (%j), naming the field', async (field, value) => {
    const refusal = await refusalOf(RegisterStaffMemberBody, { ...starter, [field]: value });
    expect(refusal).toBeInstanceOf(InvalidRequestException);
    expect((refusal as InvalidRequestException).errors).toEqual([
      {
        field,
        reason: expect.stringContaining('must be 1 to 63 lowercase letters') as string,
      },
    ]);
  });

  it('takes a well-formed starter as it is', async () => {
    expect(await bodyOf(RegisterStaffMemberBody, starter)).toMatchObject(starter);
  });

  it('refuses an appraiser that is not a person id, naming appraiserId', async () => {
    const refusal = await refusalOf(RecordAppraisalBody, {
      heldOn: '2026-04-20',
      appraiserId: { id: 'mgr' },
    });
    expect((refusal as InvalidRequestException).errors).toEqual([
      expect.objectContaining({ field: 'appraiserId' }),
    ]);
  });

  it('refuses a malformed staff id in the path, naming it', () => {
    const parse = () => EntityIdParam.transform('CW X', { type: 'param', data: 'staffId' });
    expect(parse).toThrow(InvalidCommandError);
    expect(parse).toThrow('staffId: must be 1 to 63 lowercase letters');
  });
});
