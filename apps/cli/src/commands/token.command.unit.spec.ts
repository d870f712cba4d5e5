import { parseDuration } from './token.command';

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['8h', 28_800],
    ['7d', 604_800],
  ])('reads %s as %i seconds', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(['8', '1w', '-1h', 'h'])('refuses %s', (text) =>
    expect(() => parseDuration(text)).toThrow('--expires-in'),
  );
});
