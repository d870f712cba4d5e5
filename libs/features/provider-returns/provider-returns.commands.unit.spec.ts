import { ConflictError, InvalidCommandError, NotFoundError, streamIds } from '@kpi/domain';
import { commandSpecification, id, month } from '@kpi/testing';
import {
  submitProviderCapacityReturn,
  submitProviderQuarterlyReturn,
} from './provider-returns.use-cases';

/**
 * A provider's returns to its council, given / when / then on the in-memory event store: the
 * council's framework is given, then the provider (its own tenant) sends or amends a return,
 * written to the council's stream.
 */
const council = id('southwark');
const framework = id('care-at-home-2026');
const onFramework = { councilId: council, frameworkId: framework };

async function providerOnFramework(tenantId = 'bryn-care') {
  // London: 11:00 BST on 15 June 2026.
  const spec = commandSpecification({ tenantId, now: new Date('2026-06-15T10:00:00Z') });
  await spec.given(streamIds.careFramework(council, framework), [
    {
      type: 'CareFrameworkEstablished',
      data: {
        frameworkId: framework,
        name: 'Care at home 2026',
        contractStartDate: '2026-04-01',
        providers: ['bryn-care', 'oak-care'],
        establishedBy: 'user:commissioner',
        establishedAt: '2026-03-01T09:00:00.000Z',
      },
    },
  ]);
  return spec;
}

const MAY = {
  ...onFramework,
  period: month('2026-05'),
  careWorkers: 40,
  packages: 55,
  totalHours: 812.5,
  estimatedHoursAvailableNextMonth: 120,
};

const FIGURES = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 0, denominator: 0 },
  'diploma-level-1': { numerator: 12, denominator: 40 },
  'diploma-level-2': { numerator: 9, denominator: 40 },
};
const Q1 = { ...onFramework, quarter: '2026-27 Q1', figures: FIGURES };

describe('provider capacity-return commands (in memory)', () => {
  it("writes the return to the council's stream, naming the provider, and answers it", async () => {
    const spec = await providerOnFramework();
    const { result, events } = await spec.when(submitProviderCapacityReturn, MAY);
    expect(events).toMatchObject([
      {
        streamId: 'southwark:provider-capacity-return:care-at-home-2026:bryn-care:2026-05',
        type: 'ProviderCapacityReturnSubmitted',
        data: { providerId: 'bryn-care', period: '2026-05', averageHoursPerCareWorker: 20.3 },
        metadata: { tenantId: 'southwark', actor: 'user:rm-1@bryn-care' },
      },
    ]);
    expect(result).toEqual({
      streamId: 'southwark:provider-capacity-return:care-at-home-2026:bryn-care:2026-05',
      providerId: 'bryn-care',
      period: '2026-05',
      careWorkers: 40,
      packages: 55,
      totalHours: 812.5,
      averageHoursPerCareWorker: 20.3,
      estimatedHoursAvailableNextMonth: 120,
      replayed: false,
    });
  });

  it('writes nothing twice: the same command again answers the first result, replayed', async () => {
    const spec = await providerOnFramework();
    const context = spec.context();
    const first = await submitProviderCapacityReturn(context, MAY);
    const { result, events } = await spec.when(submitProviderCapacityReturn, MAY, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result).toEqual({ ...first, replayed: true });
  });

  it('refuses a second return for the month (409)', async () => {
    const spec = await providerOnFramework();
    await spec.when(submitProviderCapacityReturn, MAY);
    await expect(spec.when(submitProviderCapacityReturn, MAY)).rejects.toThrow(ConflictError);
  });

  it('refuses wrong figures, naming each field (400), and writes nothing', async () => {
    const spec = await providerOnFramework();
    const refusal = spec.when(submitProviderCapacityReturn, {
      ...MAY,
      careWorkers: -1,
      totalHours: 812.125,
    });
    await expect(refusal).rejects.toThrow(InvalidCommandError);
    await expect(refusal).rejects.toThrow(/careWorkers.*totalHours/s);
    expect(
      await spec.store.readStream(
        streamIds.providerCapacityReturn(council, framework, 'bryn-care', '2026-05'),
      ),
    ).toEqual([]);
  });

  it('tells a provider not on the framework it does not exist (404)', async () => {
    const spec = await providerOnFramework('elm-care');
    await expect(spec.when(submitProviderCapacityReturn, MAY)).rejects.toThrow(NotFoundError);
  });

  it('refuses the council itself (409): the return is the provider’s to make', async () => {
    const spec = await providerOnFramework('southwark');
    await expect(spec.when(submitProviderCapacityReturn, MAY)).rejects.toThrow(ConflictError);
  });

  // Amending seals its reason in the personal-data vault (PostgreSQL): its specs, refusals
  // included, are in provider-amendment-reason.int.spec.ts.
});

describe('provider quarterly-return commands (in memory)', () => {
  it("writes the return to the council's stream and answers it with its quarter key", async () => {
    const spec = await providerOnFramework();
    const { result, events } = await spec.when(submitProviderQuarterlyReturn, Q1);
    expect(events).toMatchObject([
      {
        streamId: 'southwark:provider-quarterly-return:care-at-home-2026:bryn-care:2026-27-q1',
        type: 'ProviderQuarterlyReturnSubmitted',
        data: { providerId: 'bryn-care', quarter: '2026-27 Q1', figures: FIGURES },
      },
    ]);
    expect(result).toEqual({
      streamId: 'southwark:provider-quarterly-return:care-at-home-2026:bryn-care:2026-27-q1',
      providerId: 'bryn-care',
      quarter: '2026-27 Q1',
      quarterKey: '2026-27-q1',
      figures: FIGURES,
      replayed: false,
    });
  });

  it('writes nothing twice: the same command again answers the first result, replayed', async () => {
    const spec = await providerOnFramework();
    const context = spec.context();
    const first = await submitProviderQuarterlyReturn(context, Q1);
    const { result, events } = await spec.when(submitProviderQuarterlyReturn, Q1, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result).toEqual({ ...first, replayed: true });
  });

  it('refuses a quarter not yet in its last month, naming the quarter (400)', async () => {
    const spec = await providerOnFramework();
    await expect(
      spec.when(submitProviderQuarterlyReturn, { ...Q1, quarter: '2026-27 Q2' }),
    ).rejects.toThrow(/^quarter: /);
  });

  it('refuses a second return for the quarter (409)', async () => {
    const spec = await providerOnFramework();
    await spec.when(submitProviderQuarterlyReturn, Q1);
    await expect(spec.when(submitProviderQuarterlyReturn, Q1)).rejects.toThrow(ConflictError);
  });
});
