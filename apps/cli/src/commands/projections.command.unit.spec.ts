import type { ProjectionStatus } from '@kpi/projections';
import { projectionsTable } from './projections.command';

const status = (overrides: Partial<ProjectionStatus>): ProjectionStatus => ({
  name: 'kpi-grid',
  version: 2,
  storedVersion: 2,
  checkpoint: { transactionId: 9, globalPosition: 12_345 },
  eventsBehind: 0,
  ...overrides,
});

describe('the projections table', () => {
  const table = projectionsTable([
    status({ name: 'services', version: 1, storedVersion: 1, eventsBehind: 3 }),
    status({}),
    status({ name: 'deadlines', storedVersion: 1 }),
    status({
      name: 'complaints',
      storedVersion: null,
      checkpoint: { transactionId: 0, globalPosition: 0 },
    }),
  ]);
  const lines = table.split('\n');

  it('has a header and one aligned row per projection, by name', () => {
    expect(lines[0]).toMatch(/^Projection\s+Version\s+Position\s+Behind\s+State$/);
    expect(lines.slice(2, 6).map((line) => line.split(/\s{2,}/)[0])).toEqual([
      'complaints',
      'deadlines',
      'kpi-grid',
      'services',
    ]);
    const stateColumn = lines[0]!.indexOf('State');
    for (const line of lines.slice(2, 6)) expect(line[stateColumn - 1]).toBe(' ');
  });

  it('says in words what each state asks for', () => {
    expect(lines[2]).toContain('not built yet');
    expect(lines[3]).toContain('built with v1: the worker rebuilds it when it starts');
    expect(lines[4]).toMatch(/12,345\s+0\s+up to date$/);
    expect(lines[5]).toMatch(/3\s+catching up$/);
    expect(lines[lines.length - 1]).toBe(
      '4 projections: 1 not built yet, 1 to rebuild, 1 behind. The worker builds and catches up while it runs.',
    );
  });
});
