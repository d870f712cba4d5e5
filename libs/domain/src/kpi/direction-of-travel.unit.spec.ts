import { directionOfTravel, directionsOfTravel } from './direction-of-travel';

const higher = { direction: 'higher-is-better' as const };
const lower = { direction: 'lower-is-better' as const };
const range = { direction: 'within-range' as const, expectedRange: { lower: 10, upper: 20 } };

describe('direction of travel', () => {
  it.each([
    [higher, 80, 70, 'better'],
    [higher, 70, 80, 'worse'],
    [higher, 75, 75, 'same'],
    [lower, 3, 5, 'better'],
    [lower, 5, 3, 'worse'],
    [lower, 4, 4, 'same'],
  ] as const)('%o: %d after %d is %s', (indicator, current, earlier, travel) => {
    expect(directionOfTravel(indicator, current, earlier)).toBe(travel);
  });

  it('forgives floating-point noise: 0.7 + 0.1 is the same as 0.8', () => {
    expect(directionOfTravel(higher, 0.7 + 0.1, 0.8)).toBe('same');
  });

  describe('within a range: closer to the range is better', () => {
    it.each([
      [15, 12, 'same'], // both inside
      [20, 10, 'same'], // both on the edges
      [18, 25, 'better'], // back inside from above
      [12, 5, 'better'], // back inside from below
      [22, 30, 'better'], // still above, nearer
      [7, 22, 'worse'], // 3 below is further than 2 above
      [25, 15, 'worse'], // left the range
      [8, 22, 'same'], // 2 below, as far as 2 above
    ] as const)('%d after %d is %s', (current, earlier, travel) => {
      expect(directionOfTravel(range, current, earlier)).toBe(travel);
    });
  });

  it('is unknown without both values', () => {
    expect(directionOfTravel(higher, null, 5)).toBeNull();
    expect(directionOfTravel(higher, 5, null)).toBeNull();
  });

  it('compares with the previous period and with the outturn apart', () => {
    expect(directionsOfTravel(lower, 4, { previous: 3, outturn: 6 })).toEqual({
      againstPrevious: 'worse',
      againstOutturn: 'better',
    });
  });
});
