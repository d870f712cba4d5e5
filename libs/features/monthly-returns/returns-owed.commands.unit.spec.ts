import { InvalidCommandError } from '@kpi/domain';
import { commandSpecification, id, month } from '@kpi/testing';
import { publishFrameworkVersion } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { submitMonthlyReturn } from './monthly-returns.use-cases';

/**
 * A service owes a return only for the months its framework collects
 * (docs/decisions/0023-returns-owed-by-collection.md): given a quarterly-only framework, when a
 * return is submitted for a month that is not a quarter end, then it is refused naming `period`
 * and nothing is written; a quarter-end return is accepted.
 */
async function serviceWithQuarterlyFramework() {
  const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
  await registerRegion(spec.context({ actor: 'user:admin' }), {
    regionId: id('east'),
    name: 'East',
    regionalManagerId: id('rm-1'),
  });
  await publishFrameworkVersion(spec.context({ actor: 'user:admin' }), {
    frameworkId: id('business-plan'),
    name: 'Business plan',
    effectiveFrom: month('2026-04'),
    indicators: [
      {
        code: 'NEET',
        name: 'Care leavers in education, employment or training',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        periodicity: 'quarterly',
        aggregation: 'sum',
      },
    ],
  });
  await registerService(spec.context({ actor: 'user:admin' }), {
    serviceId: id('day-01'),
    name: 'Day service 1',
    regionId: id('east'),
    serviceType: 'day-service',
    frameworkId: id('business-plan'),
    openedOn: '2026-04-01',
  });
  return spec;
}

describe('returns owed by the months a framework collects (in memory)', () => {
  it('refuses a return for a month a quarterly-only framework does not collect, writing nothing', async () => {
    const spec = await serviceWithQuarterlyFramework();
    const refusal = spec.when(submitMonthlyReturn, {
      serviceId: id('day-01'),
      period: month('2026-08'),
      values: { NEET: 4 },
    });
    await expect(refusal).rejects.toThrow(InvalidCommandError);
    await expect(refusal).rejects.toMatchObject({
      problems: [
        {
          field: 'period',
          reason: expect.stringMatching(
            /does not collect 2026-08: it collects Jun, Sep, Dec and Mar/,
          ),
        },
      ],
    });
    const stream = 'acme:monthly-return:day-01:2026-08';
    expect((await spec.store.readStreams([stream], [1])).get(stream)).toEqual([]);
  });

  it('accepts the return of a quarter-end month, due the 20th of the next month', async () => {
    const spec = await serviceWithQuarterlyFramework();
    const { result, events } = await spec.when(submitMonthlyReturn, {
      serviceId: id('day-01'),
      period: month('2026-09'),
      values: { NEET: 4 },
    });
    expect(events).toMatchObject([{ type: 'MonthlyReturnSubmitted', data: { period: '2026-09' } }]);
    expect(result).toMatchObject({ period: '2026-09', dueDate: '2026-10-20', late: false });
  });
});
