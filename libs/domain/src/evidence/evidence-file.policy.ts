/**
 * What files may be attached as evidence (docs/decisions/0040): a few document and image types,
 * up to a size limit. The type is judged from the bytes themselves (their magic numbers), not
 * from the type the client claims: a renamed executable is not a PDF because its header says so.
 */

/** The media types evidence may have. */
export const EVIDENCE_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
  'text/plain',
] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

/** The default largest file: 10 MB (EVIDENCE_MAX_BYTES configures it). */
export const DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

/** A type the client may send when it does not know: judged from the bytes alone. */
export const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

/** Why a file is refused, and the HTTP status that says so (400, 413 or 415). */
export type EvidenceFileRefusal =
  | { problem: 'empty'; status: 400; reason: string }
  | { problem: 'too-large'; status: 413; reason: string }
  | { problem: 'unsupported-type'; status: 415; reason: string };

export type EvidenceFileJudgement =
  { accepted: true; mediaType: EvidenceMediaType } | ({ accepted: false } & EvidenceFileRefusal);

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Judges a file: not empty, at most `maxBytes`, of an allowed type whose magic numbers the bytes
 * carry. `claimedType` is the request's Content-Type (parameters such as `charset` ignored); when
 * it is `application/octet-stream` or missing, the type is the one the bytes show. CSV and plain
 * text have no magic number: either is accepted for bytes that are UTF-8 text (no NUL bytes).
 */
export function judgeEvidenceFile(
  bytes: Uint8Array,
  claimedType: string | undefined,
  maxBytes: number,
): EvidenceFileJudgement {
  if (bytes.length === 0) {
    return { accepted: false, problem: 'empty', status: 400, reason: 'the file is empty' };
  }
  if (bytes.length > maxBytes) {
    return {
      accepted: false,
      problem: 'too-large',
      status: 413,
      reason: `the file has ${bytes.length} bytes; the largest accepted is ${maxBytes}`,
    };
  }
  const claimed = mediaTypeOf(claimedType);
  const sniffed = sniffMediaType(bytes);
  const allowed = EVIDENCE_MEDIA_TYPES.join(', ');
  if (claimed !== UNKNOWN_MEDIA_TYPE && !isEvidenceMediaType(claimed)) {
    return unsupported(`${claimed || 'no type'} is not accepted: send one of ${allowed}`);
  }
  if (sniffed === null) {
    return unsupported(
      `the bytes are none of the accepted types (${allowed}), whatever the request says`,
    );
  }
  if (claimed === UNKNOWN_MEDIA_TYPE) return { accepted: true, mediaType: sniffed };
  const textual = (type: string) => type === 'text/plain' || type === 'text/csv';
  if (claimed === sniffed || (textual(claimed) && textual(sniffed))) {
    return { accepted: true, mediaType: claimed as EvidenceMediaType };
  }
  return unsupported(`the request says ${claimed}, but the bytes are ${sniffed}`);
}

export function isEvidenceMediaType(value: unknown): value is EvidenceMediaType {
  return (EVIDENCE_MEDIA_TYPES as readonly unknown[]).includes(value);
}

/**
 * The type the bytes show by their magic numbers: PDF (`%PDF-`), PNG, JPEG, and the two Office
 * Open XML types, which are ZIP files told apart by the part that names their main document
 * (`word/…` or `xl/…`; part names are stored uncompressed). Text that is valid UTF-8 with no NUL
 * byte is `text/plain`. Anything else: null.
 */
export function sniffMediaType(bytes: Uint8Array): EvidenceMediaType | null {
  const startsWith = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (startsWith(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) {
    const names = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (!names.includes('[Content_Types].xml')) return null;
    if (names.includes('word/document.xml')) return DOCX;
    if (names.includes('xl/workbook.xml')) return XLSX;
    return null;
  }
  return isUtf8Text(bytes) ? 'text/plain' : null;
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** `Text/CSV; charset=utf-8` → `text/csv`. */
function mediaTypeOf(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' ? UNKNOWN_MEDIA_TYPE : type;
}

function unsupported(reason: string): EvidenceFileJudgement {
  return { accepted: false, problem: 'unsupported-type', status: 415, reason };
}
