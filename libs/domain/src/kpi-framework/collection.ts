import { isReportedIn } from '../kpi/indicator';
import type { Period } from '../shared/period';
import type { FrameworkVersion } from './kpi-framework.decider';

/**
 * Whether a framework version collects a month: at least one of its indicators is reported in
 * it (monthly ones every month, quarterly ones at the financial quarters' ends — Jun, Sep, Dec,
 * Mar — termly ones at the terms' ends — Dec, Mar, Aug — annual ones in March, or August on the
 * academic year). A service owes a return only for the months its framework collects, and only
 * those can be overdue (docs/decisions/0023-returns-owed-by-collection.md, 0025).
 * `version` is the one in force for `period`.
 */
export function isCollectedIn(
  version: Pick<FrameworkVersion, 'indicators'>,
  period: Period,
): boolean {
  return version.indicators.some((indicator) => isReportedIn(indicator, period));
}

/** The months of a financial year a version collects, in words: `every month`, `Jun, Sep, Dec and Mar`. */
export function collectedMonthsInWords(version: Pick<FrameworkVersion, 'indicators'>): string {
  const names = [
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
    'Jan',
    'Feb',
    'Mar',
  ];
  // A financial year with April in 2001: only the month of each period matters.
  const months = names.filter((_, i) =>
    isCollectedIn(
      version,
      `${i < 9 ? 2001 : 2002}-${String(((i + 3) % 12) + 1).padStart(2, '0')}` as Period,
    ),
  );
  if (months.length === 12) return 'every month';
  if (months.length === 0) return 'no month';
  if (months.length === 1) return months[0]!;
  return `${months.slice(0, -1).join(', ')} and ${months[months.length - 1]}`;
}
