import type { IndicatorDefinition } from './indicator';

export type Travel = 'better' | 'same' | 'worse';

/** As the judgement does, a change within the last bits of floating point is no change. */
const EPSILON = 1e-9;

/** How far a value lies outside a range: 0 inside it. */
const distanceOutside = (value: number, { lower, upper }: { lower: number; upper: number }) =>
  Math.max(lower - value, 0, value - upper);

/**
 * Whether `current` is better, the same as or worse than `earlier` (the previous period, or the
 * previous outturn), in the indicator's direction. Both are the numbers judged (a ratio as its
 * percentage, yes/no as 1/0). A within-range indicator is better the closer it is to its
 * expected range: anywhere inside the range is as good as anywhere else inside it (the same),
 * and outside it the nearer value is better, on whichever side. Null when either value is
 * missing (no return, not applicable, no outturn recorded).
 */
export function directionOfTravel(
  indicator: Pick<IndicatorDefinition, 'direction' | 'expectedRange'>,
  current: number | null,
  earlier: number | null,
): Travel | null {
  if (current === null || earlier === null) return null;
  let improvement: number;
  switch (indicator.direction) {
    case 'higher-is-better':
      improvement = current - earlier;
      break;
    case 'lower-is-better':
      improvement = earlier - current;
      break;
    case 'within-range': {
      const range = indicator.expectedRange;
      if (!range) return null;
      improvement = distanceOutside(earlier, range) - distanceOutside(current, range);
      break;
    }
  }
  return improvement > EPSILON ? 'better' : improvement < -EPSILON ? 'worse' : 'same';
}

/** Direction of travel against the previous period and against the previous outturn. */
export function directionsOfTravel(
  indicator: Pick<IndicatorDefinition, 'direction' | 'expectedRange'>,
  current: number | null,
  { previous, outturn }: { previous: number | null; outturn: number | null },
): { againstPrevious: Travel | null; againstOutturn: Travel | null } {
  return {
    againstPrevious: directionOfTravel(indicator, current, previous),
    againstOutturn: directionOfTravel(indicator, current, outturn),
  };
}
