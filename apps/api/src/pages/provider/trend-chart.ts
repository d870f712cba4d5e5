/** One month of a trend: its number judged (null without one) and its rating. */
export interface TrendPoint {
  period: string;
  value: number | null;
  rag: string | null;
}

/** A point as the SVG draws it. */
export interface ChartPoint extends TrendPoint {
  x: number;
  y: number;
  value: number;
}

/** An SVG line chart drawn on the server: polylines (broken where a month has no value), points, axes. */
export interface TrendChart {
  width: number;
  height: number;
  /** One polyline per unbroken run of months with a value. */
  lines: string[];
  points: ChartPoint[];
  /** A horizontal line at the target, where the months share one. */
  target: { y: number; value: number } | null;
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  /** What the chart shows, in words, for its <title> and aria description. */
  description: string;
}

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { left: 48, right: 16, top: 16, bottom: 32 };

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The geometry of a line chart of an indicator's months: x by month, y scaled between the
 * lowest and highest of the values and the target (zero included for counts and percentages).
 */
export function trendChart(
  name: string,
  months: readonly TrendPoint[],
  target: number | null,
): TrendChart {
  const valued = months.filter((m): m is TrendPoint & { value: number } => m.value !== null);
  const scale = [...valued.map((m) => m.value), ...(target === null ? [] : [target]), 0];
  const low = Math.min(...scale);
  const high = Math.max(...scale, low + 1);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xOf = (i: number) =>
    round(
      MARGIN.left + (months.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (months.length - 1)),
    );
  const yOf = (v: number) =>
    round(MARGIN.top + plotHeight - ((v - low) / (high - low)) * plotHeight);

  const points: ChartPoint[] = [];
  const lines: string[] = [];
  let run: string[] = [];
  months.forEach((month, i) => {
    if (month.value === null) {
      if (run.length) lines.push(run.join(' '));
      run = [];
      return;
    }
    const point = { ...month, value: month.value, x: xOf(i), y: yOf(month.value) };
    points.push(point);
    run.push(`${point.x},${point.y}`);
  });
  if (run.length) lines.push(run.join(' '));

  const yTicks = [low, (low + high) / 2, high].map((v) => ({ y: yOf(v), label: String(round(v)) }));
  const xTicks = months
    .map((m, i) => ({ x: xOf(i), label: m.period }))
    .filter((_, i) => i % 6 === 0 || i === months.length - 1);
  const first = months[0]?.period ?? '';
  const last = months[months.length - 1]?.period ?? '';
  const description =
    valued.length === 0
      ? `${name}: no values from ${first} to ${last}.`
      : `${name} from ${first} to ${last}: ${valued.length} month${valued.length === 1 ? '' : 's'} with a value, lowest ${round(Math.min(...valued.map((m) => m.value)))}, highest ${round(Math.max(...valued.map((m) => m.value)))}, latest ${round(valued[valued.length - 1]!.value)} (${valued[valued.length - 1]!.period})${target === null ? '' : `; target ${round(target)}`}. The figures are in the table below.`;
  return {
    width: WIDTH,
    height: HEIGHT,
    lines,
    points,
    target: target === null ? null : { y: yOf(target), value: target },
    yTicks,
    xTicks,
    description,
  };
}
