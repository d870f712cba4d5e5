import { MAX_ENTRY_SIZE, ustarHeader, ustarPadding } from './ustar';

describe('a ustar header', () => {
  const header = ustarHeader('reports/returns.csv', 1234, new Date('2026-07-01T09:00:00.500Z'));
  const text = (offset: number, length: number) =>
    header.toString('latin1', offset, offset + length);

  it('is one block naming a plain file, its size and time in octal, with the ustar magic', () => {
    expect(header).toHaveLength(512);
    expect(text(0, 20)).toBe('reports/returns.csv\0');
    expect(text(100, 8)).toBe('0000644\0');
    expect(text(124, 12)).toBe(`${(1234).toString(8).padStart(11, '0')}\0`);
    expect(text(136, 12)).toBe(`${(1782896400).toString(8).padStart(11, '0')}\0`);
    expect(text(156, 1)).toBe('0');
    expect(text(257, 8)).toBe('ustar\u000000');
  });

  it('carries the checksum tar computes: the byte sum with the checksum field as spaces', () => {
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    expect(parseInt(text(148, 6), 8)).toBe(sum);
    expect(text(154, 2)).toBe('\0 ');
  });

  it('refuses a name over 100 bytes and a file over 8 GiB − 1', () => {
    expect(() => ustarHeader(`reports/${'x'.repeat(93)}`, 1, new Date())).toThrow(RangeError);
    expect(() => ustarHeader('events.ndjson', MAX_ENTRY_SIZE + 1, new Date())).toThrow(
      /at most 8589934591/,
    );
  });

  it('pads content to whole blocks', () => {
    expect(ustarPadding(0)).toHaveLength(0);
    expect(ustarPadding(1)).toHaveLength(511);
    expect(ustarPadding(512)).toHaveLength(0);
  });
});
