import { DIRECT_SERVICES_RESPITE_INDICATORS, InvalidCommandError } from '@kpi/domain';
import { commandSpecification, id, month } from '@kpi/testing';
import { publishChildrensHomesPreset, publishPreset } from './kpi-frameworks.use-cases';

describe('publishing a preset (in memory)', () => {
  it('publishes the respite dataset as version 1 of its own framework', async () => {
    const spec = commandSpecification();
    const { events } = await spec.when(publishPreset, {
      preset: 'direct-services-respite',
      effectiveFrom: month('2026-04'),
    });
    expect(events).toMatchObject([
      {
        streamId: 'acme:kpi-framework:direct-services-respite',
        type: 'KpiFrameworkVersionPublished',
        data: { frameworkId: 'direct-services-respite', version: 1, bonusRule: null },
      },
    ]);
    expect(events[0]!.data).toMatchObject({ indicators: DIRECT_SERVICES_RESPITE_INDICATORS });
  });

  it('publishes a preset as another framework when given its id', async () => {
    const spec = commandSpecification();
    const { events } = await spec.when(publishPreset, {
      preset: 'business-plan',
      frameworkId: id('day-services-plan'),
      effectiveFrom: month('2026-04'),
    });
    expect(events[0]).toMatchObject({
      streamId: 'acme:kpi-framework:day-services-plan',
      data: { frameworkId: 'day-services-plan', name: expect.stringMatching(/^Business plan/) },
    });
  });

  it("publishes the children's-homes preset as its own use case does", async () => {
    const byName = await commandSpecification().when(publishPreset, {
      preset: 'childrens-homes',
      effectiveFrom: month('2024-04'),
    });
    const byUseCase = await commandSpecification().when(publishChildrensHomesPreset, {
      effectiveFrom: month('2024-04'),
    });
    expect(byName.events.map((e) => [e.streamId, e.data])).toEqual(
      byUseCase.events.map((e) => [e.streamId, e.data]),
    );
  });

  it('refuses a preset it does not know, naming the field', async () => {
    const spec = commandSpecification();
    const attempt = spec.when(publishPreset, { preset: 'vibes', effectiveFrom: month('2026-04') });
    await expect(attempt).rejects.toBeInstanceOf(InvalidCommandError);
    await expect(attempt).rejects.toThrow(
      'preset: must be one of childrens-homes, direct-services, direct-services-respite, business-plan',
    );
  });
});
