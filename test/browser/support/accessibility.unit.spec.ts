import type { Result } from 'axe-core';
import { describeViolations } from './accessibility';

const violation = (id: string, impact: Result['impact'], targets: string[]): Result =>
  ({
    id,
    impact,
    help: `${id} help`,
    helpUrl: `https://example.test/${id}`,
    nodes: targets.map((target) => ({
      target: [target],
      failureSummary: 'Fix any of the following:\n  the first fix',
    })),
  }) as unknown as Result;

describe('the list of accessibility violations a failing page gets', () => {
  it('names each rule with its impact, elements, first fix on one line and help page', () => {
    expect(
      describeViolations('http://host/page', [violation('label', 'critical', ['#a', 'form > #b'])]),
    ).toBe(
      [
        '1 serious or critical accessibility violation at http://host/page:',
        '- [critical] label: label help',
        '    on #a, form > #b',
        '    Fix any of the following: the first fix',
        '    https://example.test/label',
      ].join('\n'),
    );
  });

  it('shows five elements of a rule and counts the rest', () => {
    const targets = ['#1', '#2', '#3', '#4', '#5', '#6', '#7'];
    const message = describeViolations('http://host/page', [
      violation('color-contrast', 'serious', targets),
      violation('button-name', 'critical', ['#go']),
    ]);
    expect(message).toMatch(/^2 serious or critical accessibility violations at/);
    expect(message).toContain('    on #1, #2, #3, #4, #5 and 2 more\n');
    expect(message).toContain('- [critical] button-name: button-name help');
  });
});
