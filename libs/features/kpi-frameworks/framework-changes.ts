import { canonicalJson } from '@kpi/event-store';
import type { IndicatorDefinition, Period } from '@kpi/domain';

/** A field whose value differs between two versions; `null` where a version has none. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** An indicator both versions have, with each field that changed. */
export interface IndicatorChange {
  code: string;
  changes: FieldChange[];
}

/** What changed from version `from` to version `to` of a framework. */
export interface FrameworkVersionChanges {
  from: { version: number; effectiveFrom: Period };
  to: { version: number; effectiveFrom: Period };
  /** The framework's own fields: `name`, `bonusRule`. */
  changes: FieldChange[];
  added: IndicatorDefinition[];
  removed: IndicatorDefinition[];
  /** Indicators in both, in the order of `to`; only those with a change. */
  changed: IndicatorChange[];
}

interface ComparedVersion {
  version: number;
  name: string;
  effectiveFrom: Period;
  indicators: IndicatorDefinition[];
  bonusRule: unknown;
}

/**
 * The difference between two versions: indicators added, removed (by code) and changed field
 * by field (a field one version lacks reads as null). Either order: `to` may be the older one.
 */
export function frameworkVersionChanges(
  from: ComparedVersion,
  to: ComparedVersion,
): FrameworkVersionChanges {
  const before = new Map(from.indicators.map((i) => [i.code, i]));
  const after = new Map(to.indicators.map((i) => [i.code, i]));
  return {
    from: { version: from.version, effectiveFrom: from.effectiveFrom },
    to: { version: to.version, effectiveFrom: to.effectiveFrom },
    changes: fieldChanges(
      { name: from.name, bonusRule: from.bonusRule },
      { name: to.name, bonusRule: to.bonusRule },
    ),
    added: to.indicators.filter((i) => !before.has(i.code)),
    removed: from.indicators.filter((i) => !after.has(i.code)),
    changed: to.indicators
      .filter((i) => before.has(i.code))
      .map((i) => ({ code: i.code, changes: fieldChanges(before.get(i.code)!, i) }))
      .filter((c) => c.changes.length > 0),
  };
}

function fieldChanges(from: object, to: object): FieldChange[] {
  const a = from as Record<string, unknown>;
  const b = to as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields
    .map((field) => ({ field, from: a[field] ?? null, to: b[field] ?? null }))
    .filter(({ from, to }) => canonicalJson(from) !== canonicalJson(to));
}
