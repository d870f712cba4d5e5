import axe, { type AxeResults, type ImpactValue, type Result, type RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/** The violations that fail a page: what axe-core rates serious or critical. */
export const FAILING_IMPACTS: readonly ImpactValue[] = ['serious', 'critical'];

/** WCAG 2.2 A and AA, the level the pages are held to, plus axe's best practices. */
const AXE_OPTIONS: RunOptions = {
  runOnly: {
    type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
  },
  resultTypes: ['violations'],
};

/**
 * Runs axe-core inside the page as it is now and returns its violations, every impact.
 * axe is evaluated through the DevTools protocol, so a page's Content-Security-Policy does not
 * stop it.
 */
export async function accessibilityViolations(page: Page): Promise<Result[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(
    (options) =>
      (globalThis as unknown as { axe: { run(options: unknown): Promise<AxeResults> } }).axe.run(
        options,
      ),
    AXE_OPTIONS as Record<string, unknown>,
  );
  return results.violations;
}

/** Fails, listing them, when axe-core finds a serious or critical violation in the page. */
export async function expectNoSeriousAccessibilityViolations(page: Page): Promise<void> {
  const failing = (await accessibilityViolations(page)).filter((violation) =>
    FAILING_IMPACTS.includes(violation.impact!),
  );
  if (failing.length > 0) throw new Error(describeViolations(page.url(), failing));
}

/**
 * One readable block per violation: impact, rule, what it means, the elements (up to five, by
 * CSS selector) with axe's summary of how to fix the first, and the rule's help page.
 */
export function describeViolations(url: string, violations: readonly Result[]): string {
  const lines = [
    `${violations.length} serious or critical accessibility violation${violations.length === 1 ? '' : 's'} at ${url}:`,
  ];
  for (const violation of violations) {
    const targets = violation.nodes.map((node) => node.target.join(' '));
    const shown = targets.slice(0, 5).join(', ');
    const more = targets.length > 5 ? ` and ${targets.length - 5} more` : '';
    lines.push(`- [${violation.impact}] ${violation.id}: ${violation.help}`);
    lines.push(`    on ${shown}${more}`);
    const fix = violation.nodes[0]?.failureSummary?.replace(/\s*\n\s*/g, ' ');
    if (fix) lines.push(`    ${fix}`);
    lines.push(`    ${violation.helpUrl}`);
  }
  return lines.join('\n');
}
