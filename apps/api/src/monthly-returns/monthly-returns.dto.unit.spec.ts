import { EntityIdParam, PeriodParam } from '../http/path-params';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { InvalidCommandError } from '@kpi/domain';
import { AmendMonthlyReturnBody, SubmitMonthlyReturnBody } from './monthly-returns.dto';

/** The edge parses a return's month and ids once; the decider takes them typed. */
describe('monthly-return requests at the edge', () => {
  const pipe = new RequestValidationPipe();
  const bodyOf = (metatype: new () => object, value: object) =>
    pipe.transform(value, { type: 'body', metatype });

  it.each([['2026-13'], ['2026-9'], [202609]])(
    'refuses the month %j, naming the field',
    async (period) => {
      const refusal = await bodyOf(SubmitMonthlyReturnBody, { period, values: {} }).catch(
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(InvalidRequestException);
      expect((refusal as InvalidRequestException).errors).toEqual([
        {
          field: 'period',
          reason: expect.stringContaining('must be a month written YYYY-MM') as string,
        },
      ]);
    },
  );

  it('takes a well-formed month as it is', async () => {
    const body = (await bodyOf(SubmitMonthlyReturnBody, {
      period: '2026-09',
      values: { EDU: 85 },
    })) as SubmitMonthlyReturnBody;
    expect(body).toEqual({ period: '2026-09', values: { EDU: 85 } });
  });

  it('takes a breakdown value (its parts, and a total) as it is', async () => {
    const values = { PEOPLE: { parts: { MH: 3, LD: 2 }, total: 5 }, ADM: { parts: { A: 1 } } };
    const body = (await bodyOf(SubmitMonthlyReturnBody, {
      period: '2026-09',
      values,
    })) as SubmitMonthlyReturnBody;
    expect(body.values).toEqual(values);
  });

  it('refuses a member a breakdown value does not have, naming it', async () => {
    const refusal = await bodyOf(SubmitMonthlyReturnBody, {
      period: '2026-09',
      values: { PEOPLE: { parts: { MH: 3 }, sum: 3 } },
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidRequestException);
    expect((refusal as InvalidRequestException).errors).toEqual([
      {
        field: 'values.PEOPLE.sum',
        reason: 'is not a known field here: give parts and total only',
      },
    ]);
  });

  it('refuses an amendment without a reason', async () => {
    await expect(bodyOf(AmendMonthlyReturnBody, { values: { EDU: 70 } })).rejects.toThrow(
      InvalidRequestException,
    );
  });

  // Moved from the decider's spec with the check: same cases, same assertion.
  it.each([
    [{ reason: '' }, 'reason: is required'],
    [{ reason: '   ' }, 'reason: is required'],
    [{ reason: undefined }, 'reason: is required'],
    [{ reason: 'x'.repeat(2001) }, 'reason: is required'],
  ])('refuses %j', async (data, message) => {
    const refusal = await bodyOf(AmendMonthlyReturnBody, { values: { EDU: 70 }, ...data }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(InvalidRequestException);
    const said = (refusal as InvalidRequestException).errors.map((e) => `${e.field}: ${e.reason}`);
    expect(said).toEqual([expect.stringContaining(message)]);
    expect(said).toEqual(['reason: is required: why the values change (1 to 2000 characters)']);
  });

  it('takes a reason of 1 to 2000 characters', async () => {
    for (const reason of ['x', 'x'.repeat(2000)]) {
      const body = (await bodyOf(AmendMonthlyReturnBody, {
        values: { EDU: 70 },
        reason,
      })) as AmendMonthlyReturnBody;
      expect(body.reason).toBe(reason);
    }
  });

  it.each([
    [PeriodParam, 'period', '2026-13', 'period: must be a month written YYYY-MM'],
    [EntityIdParam, 'serviceId', 'Home 17', 'serviceId: must be 1 to 63 lowercase letters'],
  ])('refuses a malformed path parameter (%#)', (pipeOf, data, value, message) => {
    expect(() => pipeOf.transform(value, { type: 'param', data })).toThrow(InvalidCommandError);
    expect(() => pipeOf.transform(value, { type: 'param', data })).toThrow(message);
  });
});
