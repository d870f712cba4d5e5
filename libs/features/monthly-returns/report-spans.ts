import {
  addMonthTo,
  deriveValue,
  emptyRollUp,
  isNotApplicable,
  kindOf,
  rolledUpValue,
  rollUpAll,
  totalOfServices,
  type IndicatorDefinition,
  type IndicatorValue,
  type Period,
  type RollUp,
} from '@kpi/domain';
import { keyOf, type MonthSeries, type ReportCells } from './report-cells';

/**
 * A span of months rolled up, for one service or for all a report's services together
 * (docs/decisions/0026): each month by the framework version that judged it. Months judged
 * under different units or aggregation rules are not mixed: the span then has no value, and
 * says why.
 */
export interface SpanRollUp {
  /** In the shape a month's value has; null without a value, or when not rolled up. */
  value: IndicatorValue | null;
  /** Months (service-months) with a value and not applicable; the rule's figures when rolled up. */
  rollUp: RollUp;
  /**
   * What the span is judged by: the report's definition of the indicator, or, when the span's
   * months were all judged under another unit or rule, the latest of theirs.
   */
  definition: IndicatorDefinition;
  /** Why the span has no value (`the unit changed from count to ratio in 2025-08`); else null. */
  notRolledUp: string | null;
}

/** One service's span, before any formula: where its months' definitions changed. */
interface ServiceSpan {
  rollUp: RollUp;
  /** The definitions that judged the span's earliest and latest months with a return. */
  first: IndicatorDefinition | null;
  latest: IndicatorDefinition | null;
  /** The position of the earliest month with a return (-1: none). */
  firstAt: number;
  /**
   * The first month judged under another unit or rule than the earliest (`between`: services'
   * months of the same period judged under different ones).
   */
  change: {
    period: Period;
    from: IndicatorDefinition;
    to: IndicatorDefinition;
    between?: true;
  } | null;
}

const sameRollUp = (a: IndicatorDefinition, b: IndicatorDefinition) =>
  a.unit === b.unit && a.aggregation === b.aggregation;

const describeChange = ({ period, from, to, between }: NonNullable<ServiceSpan['change']>) => {
  const [what, a, b] =
    from.unit !== to.unit
      ? ['unit', from.unit, to.unit]
      : ['aggregation', from.aggregation, to.aggregation];
  return between
    ? `the ${what} differs between services in ${period} (${a}, ${b})`
    : `the ${what} changed from ${a} to ${b} in ${period}`;
};

const NO_MONTHS: MonthSeries = { values: [], versions: [] };

/**
 * The spans of a report's cells: each span is rolled up once per service (the line, the totals,
 * the derived figures and the travel all ask for it again), each month by its own version.
 */
export function reportSpans(cells: ReportCells, serviceIds: readonly string[]) {
  const { periods, series, versions, latest } = cells;
  const positionOf = new Map(periods.map((p, i) => [p, i]));
  const seriesOf = (service: string, key: string) => series.get(service)?.get(key) ?? NO_MONTHS;
  const reportDefinition = (key: string) => latest.get(key)!.definition;
  const definitionOf = (key: string, version: number) =>
    versions.get(key)!.get(version)!.definition;
  /** Each span asked for gets a number: a service's spans are kept by it. */
  const spanNumbers = new Map<string, number>();
  const spanPositions: number[][] = [];
  const numbered = new WeakMap<readonly Period[], number>();
  const spanNumberOf = (span: readonly Period[]) => {
    const known = numbered.get(span);
    if (known !== undefined) return known;
    const name = span.join(',');
    let n = spanNumbers.get(name);
    if (n === undefined) {
      spanNumbers.set(name, (n = spanPositions.length));
      spanPositions.push(span.map((p) => positionOf.get(p)!));
    }
    numbered.set(span, n);
    return n;
  };
  const kept = new Map<MonthSeries, ServiceSpan[]>();
  const totals = new Map<string, SpanRollUp>();

  function serviceSpanOf(key: string, months: MonthSeries, spanNumber: number): ServiceSpan {
    if (months === NO_MONTHS) {
      // Shared by every indicator a service has no months of: nothing to keep.
      const rollUp = emptyRollUp(reportDefinition(key).aggregation);
      return { rollUp, first: null, latest: null, firstAt: -1, change: null };
    }
    let spans = kept.get(months);
    if (spans === undefined) kept.set(months, (spans = []));
    const keptSpan = spans[spanNumber];
    if (keptSpan !== undefined) return keptSpan;
    const positions = spanPositions[spanNumber]!;
    const { values, versions: judgedBy } = months;
    let firstAt = -1;
    let latestAt = -1;
    let changeAt = -1;
    for (const at of positions) {
      const version = judgedBy[at];
      if (!version) continue;
      if (firstAt < 0) firstAt = at;
      else if (
        changeAt < 0 &&
        version !== judgedBy[firstAt] &&
        !sameRollUp(definitionOf(key, judgedBy[firstAt]!), definitionOf(key, version))
      )
        changeAt = at;
      latestAt = at;
    }
    const first = firstAt < 0 ? null : definitionOf(key, judgedBy[firstAt]!);
    const latestDefinition = latestAt < 0 ? null : definitionOf(key, judgedBy[latestAt]!);
    const rollUp = emptyRollUp((latestDefinition ?? reportDefinition(key)).aggregation);
    for (const at of positions) {
      const value = values[at] ?? null;
      if (changeAt < 0) addMonthTo(rollUp, periods[at]!, value);
      else if (value !== null && isNotApplicable(value)) rollUp.notApplicable += 1;
      else if (value !== null) rollUp.count += 1;
    }
    const change =
      changeAt < 0
        ? null
        : {
            period: periods[changeAt]!,
            from: first!,
            to: definitionOf(key, judgedBy[changeAt]!),
          };
    const span = { rollUp, first, latest: latestDefinition, firstAt, change };
    spans[spanNumber] = span;
    return span;
  }

  /** The report's definition, unless the span's months were all judged under another rule. */
  const judgedBy = (key: string, spanLatest: IndicatorDefinition | null) => {
    const definition = reportDefinition(key);
    return spanLatest && !sameRollUp(spanLatest, definition) ? spanLatest : definition;
  };

  /**
   * A derived percentage's span: its formula over its operands' spans (a ratio of sums, never
   * the average of the monthly percentages); other values as they roll up.
   */
  function withFormula(
    key: string,
    span: SpanRollUp,
    operandSpan: (operandKey: string) => SpanRollUp,
  ): SpanRollUp {
    const { definition } = span;
    const { formula } = definition;
    if (
      span.value === null ||
      kindOf(definition) !== 'derived' ||
      formula?.operation !== 'percentage'
    )
      return span;
    const frameworkId = latest.get(key)!.frameworkId;
    const operands: Record<string, IndicatorValue> = {};
    for (const code of formula.of) {
      const operandKey = keyOf(frameworkId, code);
      if (!latest.has(operandKey)) continue;
      const operand = operandSpan(operandKey);
      if (operand.notRolledUp !== null)
        return { ...span, value: null, notRolledUp: `${code}: ${operand.notRolledUp}` };
      if (operand.value !== null) operands[code] = operand.value;
    }
    return { ...span, value: deriveValue({ ...definition, formula }, operands) };
  }

  /** A service's span, as rolled up before any formula. */
  function plainServiceSpan(service: string, key: string, span: readonly Period[]): SpanRollUp {
    const {
      rollUp,
      latest: spanLatest,
      change,
    } = serviceSpanOf(key, seriesOf(service, key), spanNumberOf(span));
    const definition = judgedBy(key, spanLatest);
    return change
      ? { value: null, rollUp, definition, notRolledUp: describeChange(change) }
      : { value: rolledUpValue(rollUp), rollUp, definition, notRolledUp: null };
  }

  /** All the services' span, as rolled up before any formula. */
  function plainTotalSpan(key: string, span: readonly Period[]): SpanRollUp {
    const positions = spanPositions[spanNumberOf(span)]!;
    const monthsOf: MonthSeries[] = [];
    for (const service of serviceIds) {
      const months = series.get(service)?.get(key);
      if (months !== undefined) monthsOf.push(months);
    }
    // Which versions judged each month, and whether they agree on the unit and rule.
    const versionAt = positions.map(() => 0);
    const otherAt: (IndicatorDefinition | null)[] = positions.map(() => null);
    for (const { versions: judgedBy } of monthsOf) {
      for (let i = 0; i < positions.length; i++) {
        const version = judgedBy[positions[i]!];
        if (!version || version === versionAt[i]) continue;
        if (versionAt[i] === 0) versionAt[i] = version;
        else if (!sameRollUp(definitionOf(key, versionAt[i]!), definitionOf(key, version)))
          otherAt[i] ??= definitionOf(key, version);
      }
    }
    const judged = positions.flatMap((at, i) =>
      versionAt[i]
        ? [{ period: periods[at]!, i, definition: definitionOf(key, versionAt[i]!) }]
        : [],
    );
    const definition = judgedBy(key, judged[judged.length - 1]?.definition ?? null);
    const base = judged[0];
    let change: ServiceSpan['change'] = null;
    for (const month of judged) {
      const other = otherAt[month.i];
      if (!sameRollUp(base!.definition, month.definition))
        change = { period: month.period, from: base!.definition, to: month.definition };
      else if (other)
        change = { period: month.period, from: month.definition, to: other, between: true };
      if (change) break;
    }
    const rule = base?.definition.aggregation ?? definition.aggregation;
    if (change !== null) {
      const counts = emptyRollUp(definition.aggregation);
      for (const { values } of monthsOf) {
        for (const at of positions) {
          const value = values[at] ?? null;
          if (value === null) continue;
          if (isNotApplicable(value)) counts.notApplicable += 1;
          else counts.count += 1;
        }
      }
      return { value: null, rollUp: counts, definition, notRolledUp: describeChange(change) };
    }
    if (rule !== 'last') {
      // Every service-month together: what the rule gives over all the services' spans.
      const all = emptyRollUp(rule);
      for (const { values } of monthsOf)
        for (const at of positions) addMonthTo(all, periods[at]!, values[at] ?? null);
      return { value: rolledUpValue(all), rollUp: all, definition, notRolledUp: null };
    }
    const rollUps = monthsOf.map(({ values }) => {
      const one = emptyRollUp(rule);
      for (const at of positions) addMonthTo(one, periods[at]!, values[at] ?? null);
      return one;
    });
    return {
      value: totalOfServices(rule, definition.unit, rollUps),
      rollUp: rollUpAll(rule, rollUps),
      definition,
      notRolledUp: null,
    };
  }

  /** All the services' span, each span rolled up once. */
  function cachedTotalSpan(key: string, span: readonly Period[]): SpanRollUp {
    const name = `${key}\u0000${span.join(',')}`;
    let total = totals.get(name);
    if (!total) totals.set(name, (total = plainTotalSpan(key, span)));
    return total;
  }

  function totalSpan(key: string, span: readonly Period[]): SpanRollUp {
    return withFormula(key, cachedTotalSpan(key, span), (operand) =>
      cachedTotalSpan(operand, span),
    );
  }

  function serviceSpan(service: string, key: string, span: readonly Period[]): SpanRollUp {
    return withFormula(key, plainServiceSpan(service, key, span), (operand) =>
      plainServiceSpan(service, operand, span),
    );
  }

  return {
    periods,
    /** Whether the service has a return for the indicator in the month. */
    has: (service: string, period: Period, key: string) =>
      (seriesOf(service, key).versions[positionOf.get(period)!] ?? 0) > 0,
    /** A service's value of the month, as given (a reason for not applicable kept). */
    valueOf: (service: string, period: Period, key: string): IndicatorValue | null =>
      seriesOf(service, key).values[positionOf.get(period)!] ?? null,
    /** What a service's month is judged by (the report's definition, unless its rule differs). */
    monthDefinition: (service: string, period: Period, key: string): IndicatorDefinition => {
      const version = seriesOf(service, key).versions[positionOf.get(period)!];
      return judgedBy(key, version ? versions.get(key)!.get(version)!.definition : null);
    },
    serviceSpan,
    totalSpan,
  };
}
