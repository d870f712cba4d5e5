import { ConflictError, NotFoundError } from '@kpi/domain';
import { allMet, commandSpecification, id, month } from '@kpi/testing';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { MonthlyReturnCaches } from './monthly-return-caches';
import { submitMonthlyReturn } from './monthly-returns.use-cases';

/**
 * The monthly-return commands, given / when / then on the in-memory event store: the
 * organisation and framework are set up by their own commands, then a return is submitted and
 * what it wrote is checked.
 */
async function homeWithFramework() {
  const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
  const setUp = spec.context({ actor: 'user:admin' });
  await registerRegion(setUp, {
    regionId: id('north'),
    name: 'North',
    regionalManagerId: id('rm-1'),
  });
  await publishChildrensHomesPreset(spec.context(), { effectiveFrom: month('2024-04') });
  await registerService(spec.context(), {
    serviceId: id('home-17'),
    name: 'Home 17',
    regionId: id('north'),
    serviceType: 'childrens-home',
    frameworkId: id('childrens-homes'),
    openedOn: '2024-04-01',
  });
  return spec;
}

const september = { serviceId: id('home-17'), period: month('2026-09'), values: allMet };

describe('monthly-return commands (in memory)', () => {
  it('submits a return judged by the version in force, and answers it judged', async () => {
    const spec = await homeWithFramework();
    const { result, events } = await spec.when(submitMonthlyReturn, september);
    expect(events).toMatchObject([
      {
        streamId: 'acme:monthly-return:home-17:2026-09',
        type: 'MonthlyReturnSubmitted',
        data: { frameworkVersion: 1, late: false, bonus: { met: 9, compliant: true } },
        metadata: { tenantId: 'acme', actor: 'user:rm-1' },
      },
    ]);
    expect(result).toMatchObject({
      streamId: 'acme:monthly-return:home-17:2026-09',
      period: '2026-09',
      dueDate: '2026-10-20',
      late: false,
      amendments: 0,
      replayed: false,
    });
  });

  it('writes nothing twice: the same command again answers the first result, replayed', async () => {
    const spec = await homeWithFramework();
    const context = spec.context();
    const first = await submitMonthlyReturn(context, september);
    const { result, events } = await spec.when(submitMonthlyReturn, september, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result).toEqual({ ...first, replayed: true });
  });

  it('refuses a second return for the month (409), naming the first', async () => {
    const spec = await homeWithFramework();
    await spec.when(submitMonthlyReturn, september);
    await expect(spec.when(submitMonthlyReturn, september)).rejects.toThrow(ConflictError);
  });

  it("answers 'not found' for a service the tenant does not have", async () => {
    const spec = await homeWithFramework();
    await expect(
      spec.when(submitMonthlyReturn, { ...september, serviceId: id('home-99') }),
    ).rejects.toThrow(NotFoundError);
  });

  it('refuses a month before the service opened, naming the period', async () => {
    const spec = await homeWithFramework();
    await expect(
      spec.when(submitMonthlyReturn, { ...september, period: month('2024-03') }),
    ).rejects.toThrow('period: home-17 opened in 2024-04: there is no return for 2024-03');
  });

  // Amending seals its reason into the personal-data vault (PostgreSQL): its specs are in
  // monthly-returns.use-cases.int.spec.ts.
  it('judges alike with the caches warm: they only save reads', async () => {
    const spec = await homeWithFramework();
    const caches = new MonthlyReturnCaches();
    await submitMonthlyReturn(spec.context(), september, caches);
    // The service's facts and the framework's events are remembered now.
    const { events } = await spec.when(
      (context, input: typeof september) => submitMonthlyReturn(context, input, caches),
      { ...september, period: month('2026-08') },
    );
    expect(events).toMatchObject([{ type: 'MonthlyReturnSubmitted', data: { period: '2026-08' } }]);
  });
});
