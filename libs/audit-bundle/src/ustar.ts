/**
 * Just enough of POSIX ustar to write a bundle: regular files at most 8 GiB − 1 with names of
 * at most 100 bytes, mode 0644, owner 0, one modification time. Readers: any `tar`, and the
 * verifier's own few lines.
 */
export const BLOCK_SIZE = 512;
/** 11 octal digits in the size field. */
export const MAX_ENTRY_SIZE = 8 ** 11 - 1;

export function ustarHeader(name: string, size: number, modifiedAt: Date): Buffer {
  const header = Buffer.alloc(BLOCK_SIZE, 0);
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length === 0 || nameBytes.length > 100) {
    throw new RangeError(`A tar entry name must be 1 to 100 bytes: "${name}"`);
  }
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ENTRY_SIZE) {
    throw new RangeError(
      `"${name}" is ${size} bytes; a bundle file holds at most ${MAX_ENTRY_SIZE}`,
    );
  }
  nameBytes.copy(header, 0);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, Math.max(0, Math.floor(modifiedAt.getTime() / 1000)));
  header[156] = 0x30; // '0': a regular file
  header.write('ustar\u000000', 257, 'latin1');
  // The checksum is the byte sum of the header with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return header;
}

/** Zeros that bring an entry of `size` bytes to a whole number of blocks. */
export function ustarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE, 0);
}

/** Two zero blocks end the archive. */
export const USTAR_END = Buffer.alloc(2 * BLOCK_SIZE, 0);

function writeOctal(buffer: Buffer, offset: number, length: number, value: number): void {
  buffer.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, 'latin1');
}
