import { judgeEvidenceFile, sniffMediaType } from './evidence-file.policy';

/** The smallest files of each kind that carry their magic numbers. */
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946000101', 'hex');
const zipNaming = (...parts: string[]) =>
  Buffer.concat([
    Buffer.from('504b0304140000000800', 'hex'),
    ...parts.map((name) => Buffer.from(`${name}\u0000\u0001compressed`, 'latin1')),
  ]);
const DOCX = zipNaming('[Content_Types].xml', 'word/document.xml');
const XLSX = zipNaming('[Content_Types].xml', 'xl/workbook.xml');
const CSV = Buffer.from('service,month,value\nty-gwyn,2026-03,96\n', 'utf8');
const TEXT = Buffer.from('Rota for the week of 2 March — checked by the manager.\n', 'utf8');
const EXE = Buffer.from('4d5a90000300000004000000ffff0000', 'hex');

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1024 * 1024;

describe('the type of a file, from its bytes', () => {
  it.each([
    ['a PDF', PDF, 'application/pdf'],
    ['a PNG', PNG, 'image/png'],
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a Word document (a ZIP naming word/document.xml)', DOCX, DOCX_TYPE],
    ['an Excel workbook (a ZIP naming xl/workbook.xml)', XLSX, XLSX_TYPE],
    ['UTF-8 text', TEXT, 'text/plain'],
  ])('knows %s', (_what, bytes, type) => {
    expect(sniffMediaType(bytes)).toBe(type);
  });

  it.each([
    ['a Windows executable', EXE],
    ['a ZIP that is no Office document', zipNaming('[Content_Types].xml', 'evil.js')],
    ['a ZIP without content types', zipNaming('word/document.xml')],
    ['bytes that are not UTF-8', Buffer.from([0x41, 0xc3, 0x28, 0x42])],
    ['text with a NUL byte', Buffer.from('a\u0000b')],
  ])('knows none for %s', (_what, bytes) => {
    expect(sniffMediaType(bytes)).toBeNull();
  });
});

describe('judging an upload', () => {
  it.each([
    [PDF, 'application/pdf'],
    [PNG, 'image/png'],
    [JPEG, 'image/jpeg'],
    [DOCX, DOCX_TYPE],
    [XLSX, XLSX_TYPE],
    [CSV, 'text/csv'],
    [TEXT, 'text/plain; charset=utf-8'],
  ])('accepts a file of an allowed type that its bytes bear out (%#)', (bytes, claimed) => {
    expect(judgeEvidenceFile(bytes, claimed, 10 * MB)).toEqual({
      accepted: true,
      mediaType: claimed.split(';')[0],
    });
  });

  it('takes the type the bytes show when the client sends application/octet-stream or none', () => {
    expect(judgeEvidenceFile(PNG, 'application/octet-stream', MB)).toEqual({
      accepted: true,
      mediaType: 'image/png',
    });
    expect(judgeEvidenceFile(PDF, undefined, MB)).toMatchObject({ mediaType: 'application/pdf' });
  });

  it('takes CSV sent as text, and text sent as CSV: neither has a magic number', () => {
    expect(judgeEvidenceFile(CSV, 'text/plain', MB)).toMatchObject({ mediaType: 'text/plain' });
    expect(judgeEvidenceFile(TEXT, 'text/csv', MB)).toMatchObject({ mediaType: 'text/csv' });
  });

  it('refuses (415) an executable sent as a PDF: the header is not believed', () => {
    expect(judgeEvidenceFile(EXE, 'application/pdf', MB)).toMatchObject({
      accepted: false,
      status: 415,
      problem: 'unsupported-type',
    });
  });

  it('refuses (415) a PNG sent as a PDF, naming both', () => {
    expect(judgeEvidenceFile(PNG, 'application/pdf', MB)).toMatchObject({
      status: 415,
      reason: 'the request says application/pdf, but the bytes are image/png',
    });
  });

  it('refuses (415) a type not on the list, even when the bytes are text', () => {
    expect(judgeEvidenceFile(TEXT, 'text/html', MB)).toMatchObject({
      status: 415,
      reason: expect.stringContaining('text/html is not accepted') as string,
    });
  });

  it('refuses (413) a file one byte over the limit, and takes one of exactly the limit', () => {
    const limit = TEXT.length;
    expect(judgeEvidenceFile(TEXT, 'text/plain', limit)).toMatchObject({ accepted: true });
    expect(judgeEvidenceFile(TEXT, 'text/plain', limit - 1)).toMatchObject({
      accepted: false,
      status: 413,
      problem: 'too-large',
    });
  });

  it('refuses (400) an empty file', () => {
    expect(judgeEvidenceFile(Buffer.alloc(0), 'text/plain', MB)).toMatchObject({
      status: 400,
      problem: 'empty',
    });
  });
});
