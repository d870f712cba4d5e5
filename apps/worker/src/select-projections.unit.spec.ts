import type { Projection } from '@kpi/projections';
import { selectProjections } from './select-projections';

const projection = (name: string) => ({ name }) as Projection;
const all = [projection('tenant-activity'), projection('kpi-grid')];

describe('selectProjections', () => {
  it('runs every projection when WORKER_PROJECTIONS is unset or blank', () => {
    expect(selectProjections(all, undefined)).toBe(all);
    expect(selectProjections(all, ' ')).toBe(all);
  });

  it('runs the named ones', () => {
    expect(selectProjections(all, 'kpi-grid').map((p) => p.name)).toEqual(['kpi-grid']);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => selectProjections(all, 'kpi-grid, nope')).toThrow(
      'WORKER_PROJECTIONS names unknown projections: nope (known: tenant-activity, kpi-grid)',
    );
  });
});
