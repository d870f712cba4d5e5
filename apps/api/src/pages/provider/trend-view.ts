import type { KpiGrid } from '@kpi/features/monthly-returns';
import { numberText, ragView, valueText, type RagView } from '../council/report-figures-view';
import { trendChart, type TrendChart, type TrendPoint } from './trend-chart';

/** An indicator the picker offers: its code and name as the latest version judging it has them. */
export interface TrendIndicator {
  code: string;
  name: string;
}

/** One month of the table below the chart: the figure as given, the number charted, its RAG. */
export interface TrendRowView {
  period: string;
  value: string;
  charted: string;
  target: string;
  rag: RagView | null;
}

export interface TrendView {
  indicators: TrendIndicator[];
  indicator: TrendIndicator | null;
  chart: TrendChart | null;
  rows: TrendRowView[];
}

/** The indicators of the grid's framework versions, newest version's names winning, by code. */
export function trendIndicators(grid: KpiGrid): TrendIndicator[] {
  const byCode = new Map<string, TrendIndicator>();
  for (const framework of grid.frameworks) {
    for (const { code, name } of framework.indicators) byCode.set(code, { code, name });
  }
  return [...byCode.values()];
}

/**
 * A home's months of one indicator: the chart's points (the number judged) and the table's
 * rows, the same months in the same order. The target is drawn when every judged month shares it.
 */
export function trendView(
  grid: KpiGrid,
  periods: readonly string[],
  code: string | null,
): TrendView {
  const indicators = trendIndicators(grid);
  const indicator = indicators.find((i) => i.code === code) ?? indicators[0] ?? null;
  const service = grid.services[0];
  if (!indicator || !service) return { indicators, indicator, chart: null, rows: [] };
  const unit = grid.frameworks
    .flatMap((f) => f.indicators)
    .filter((i) => i.code === indicator.code)
    .at(-1)?.unit;
  const byPeriod = new Map(service.months.map((m) => [m.period as string, m]));
  const cells = periods.map((period) => ({
    period,
    cell: byPeriod.get(period)?.cells[indicator.code],
  }));
  const points: TrendPoint[] = cells.map(({ period, cell }) => ({
    period,
    value: cell?.judgedValue ?? null,
    rag: cell?.rag ?? null,
  }));
  const targets = new Set(
    cells.flatMap(({ cell }) => (cell && cell.target !== null ? [cell.target] : [])),
  );
  const target = targets.size === 1 ? [...targets][0]! : null;
  return {
    indicators,
    indicator,
    chart: trendChart(indicator.name, points, target),
    rows: cells.map(({ period, cell }) => ({
      period,
      value: cell ? valueText(cell.value, unit) : '',
      charted: numberText(cell?.judgedValue ?? null),
      target: numberText(cell?.target ?? null),
      rag: ragView(cell?.rag),
    })),
  };
}
