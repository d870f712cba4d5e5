import {
  CHILDRENS_HOMES_INDICATORS,
  ConflictError,
  InvalidCommandError,
  type JudgedMonth,
} from '@kpi/domain';
import type { JudgedMonthsReader } from './judged-months';
import { commandSpecification, id, month } from '@kpi/testing';
import { publishChildrensHomesPreset, publishFrameworkVersion } from './kpi-frameworks.use-cases';

/**
 * The framework commands, given / when / then on the in-memory event store: what publishing
 * wrote and answered, what it refuses, and that a retry writes nothing.
 */
const stricter = {
  frameworkId: id('childrens-homes'),
  name: "Children's homes — stricter education target",
  effectiveFrom: month('2026-11'),
  indicators: CHILDRENS_HOMES_INDICATORS.map((i) => (i.code === 'EDU' ? { ...i, target: 95 } : i)),
  bonusRule: { required: 8, of: 9 },
};

async function withPreset() {
  const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
  await publishChildrensHomesPreset(spec.context({ actor: 'user:admin' }), {
    effectiveFrom: month('2024-04'),
  });
  return spec;
}

describe('framework commands (in memory)', () => {
  it("publishes the children's-homes preset as version 1", async () => {
    const spec = commandSpecification();
    const { result, events } = await spec.when(publishChildrensHomesPreset, {
      effectiveFrom: month('2024-04'),
    });
    expect(events).toMatchObject([
      {
        streamId: 'acme:kpi-framework:childrens-homes',
        type: 'KpiFrameworkVersionPublished',
        data: {
          frameworkId: 'childrens-homes',
          version: 1,
          effectiveFrom: '2024-04',
          bonusRule: { required: 8, of: 9 },
        },
      },
    ]);
    expect(result).toMatchObject({ streamVersion: 1, replayed: false });
    expect(result.state.versions).toHaveLength(1);
  });

  it('publishes a new version from a later month, keeping the first', async () => {
    const spec = await withPreset();
    const { result, events } = await spec.when(publishFrameworkVersion, stricter);
    expect(events).toMatchObject([
      { type: 'KpiFrameworkVersionPublished', data: { version: 2, effectiveFrom: '2026-11' } },
    ]);
    expect(result.state.versions.map((v) => [v.version, v.effectiveFrom])).toEqual([
      [1, '2024-04'],
      [2, '2026-11'],
    ]);
  });

  it('writes nothing twice: the same command again answers the first events, replayed', async () => {
    const spec = await withPreset();
    const context = spec.context();
    const first = await publishFrameworkVersion(context, stricter);
    const { result, events } = await spec.when(publishFrameworkVersion, stricter, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result).toMatchObject({ events: first.events, replayed: true, streamVersion: 2 });
  });

  it('without knowing which months are judged, refuses ended months; and a version not after the latest', async () => {
    const spec = await withPreset();
    await expect(
      spec.when(publishFrameworkVersion, { ...stricter, effectiveFrom: month('2026-09') }),
    ).rejects.toThrow('effectiveFrom: a new version takes effect from the current month (2026-10)');
    await expect(
      spec.when(publishFrameworkVersion, { ...stricter, effectiveFrom: month('2024-04') }),
    ).rejects.toThrow(/effectiveFrom: must be after 2024-04/);
  });

  describe('a version back-dated into ended months', () => {
    const backDated = { ...stricter, effectiveFrom: month('2026-06') };
    const judgedBy = (judged: JudgedMonth[]): JudgedMonthsReader => {
      const asked: unknown[] = [];
      const reader: JudgedMonthsReader = (tenantId, frameworkId, from) => {
        asked.push([tenantId, frameworkId, from]);
        return Promise.resolve(judged.filter((m) => m.period >= from));
      };
      return Object.assign(reader, { asked });
    };

    it('is published when the months it covers have no judged returns', async () => {
      const spec = await withPreset();
      const reader = judgedBy([
        { period: month('2026-05'), version: 1, serviceIds: ['home-01'] },
      ]) as JudgedMonthsReader & { asked: unknown[] };
      const { events } = await spec.when(
        (context, input: typeof backDated) => publishFrameworkVersion(context, input, reader),
        backDated,
      );
      expect(events).toMatchObject([
        { type: 'KpiFrameworkVersionPublished', data: { version: 2, effectiveFrom: '2026-06' } },
      ]);
      expect(reader.asked).toEqual([['acme', 'childrens-homes', '2026-06']]);
    });

    it('is refused (409) naming the judged months, and writes nothing', async () => {
      const spec = await withPreset();
      const reader = judgedBy([
        { period: month('2026-06'), version: 1, serviceIds: ['home-01', 'home-02'] },
        { period: month('2026-07'), version: 1, serviceIds: ['home-01'] },
      ]);
      const attempt = spec.when(
        (context, input: typeof backDated) => publishFrameworkVersion(context, input, reader),
        backDated,
      );
      await expect(attempt).rejects.toThrow(ConflictError);
      await expect(attempt).rejects.toThrow(
        'effectiveFrom: 2026-06 and 2026-07 already have returns judged by version 1 (home-01, home-02)',
      );
    });
  });

  it('refuses indicators it cannot judge by and a bonus rule that does not fit them', async () => {
    const spec = await withPreset();
    await expect(
      spec.when(publishFrameworkVersion, { ...stricter, indicators: [] }),
    ).rejects.toThrow(InvalidCommandError);
    await expect(
      spec.when(publishFrameworkVersion, { ...stricter, bonusRule: { required: 8, of: 5 } }),
    ).rejects.toThrow('bonusRule.of: must be the number of monthly indicators (9)');
  });
});
