import { ConflictError, InvalidCommandError, seededSample } from '@kpi/domain';
import { commandSpecification, id, month } from '@kpi/testing';
import { drawAuditSample } from './data-quality-audit.use-cases';

/** Drawing an audit's sample, on the in-memory store, the population given by a function. */
const population = ['home-04', 'home-01', 'home-03', 'home-02', 'home-05'];
const returnsOfMonth = (_tenant: string, period: string) =>
  Promise.resolve(period === '2026-09' ? population : []);

describe('drawing a data-quality sample (in memory)', () => {
  it('draws at random with the seed given, reproducibly, and records it', async () => {
    const spec = commandSpecification({ actor: 'user:po-1' });
    const { result, events } = await spec.when(
      (context, input: Parameters<typeof drawAuditSample>[1]) =>
        drawAuditSample(context, input, returnsOfMonth),
      { auditId: id('audit-1'), period: month('2026-09'), random: { size: 2, seed: 'abc' } },
    );
    expect(result.sample).toEqual(seededSample(population, 2, 'abc'));
    expect(events).toMatchObject([
      {
        streamId: 'acme:data-quality-audit:audit-1',
        type: 'DataQualitySampleDrawn',
        data: { seed: 'abc', population: [...population].sort(), sample: result.sample },
      },
    ]);
  });

  it('makes a seed and an id from the command when none is given: a retry draws the same', async () => {
    const spec = commandSpecification();
    const context = spec.context();
    const input = { period: month('2026-09'), random: { size: 3 } };
    const first = await drawAuditSample(context, input, returnsOfMonth);
    const again = await drawAuditSample(context, input, returnsOfMonth);
    expect(first.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(again).toEqual({ ...first, replayed: true });
    const other = await drawAuditSample(spec.context(), input, returnsOfMonth);
    expect(other.auditId).not.toBe(first.auditId);
  });

  it('needs random or chosen, not both, and refuses an audit id used before', async () => {
    const spec = commandSpecification();
    const draw = (input: Parameters<typeof drawAuditSample>[1]) =>
      drawAuditSample(spec.context(), input, returnsOfMonth);
    await expect(draw({ period: month('2026-09') })).rejects.toThrow(InvalidCommandError);
    await expect(
      draw({ period: month('2026-09'), random: { size: 1 }, chosen: [id('home-01')] }),
    ).rejects.toThrow(InvalidCommandError);
    await draw({ auditId: id('a-1'), period: month('2026-09'), chosen: [id('home-01')] });
    await expect(
      draw({ auditId: id('a-1'), period: month('2026-09'), chosen: [id('home-02')] }),
    ).rejects.toThrow(ConflictError);
    await expect(draw({ period: month('2026-08'), random: { size: 1 } })).rejects.toThrow(
      /no return for 2026-08/,
    );
  });
});
