import { readMultipartForm } from './multipart-form';

const BOUNDARY = '----kpi-form-boundary';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart body as a browser sends it: text fields, then file parts. */
function body(
  fields: Record<string, string>,
  files: { name: string; fileName: string; type: string; bytes: Buffer }[],
): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.fileName}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

describe('a multipart form, read', () => {
  it('gives its text fields and its file, bytes as sent', async () => {
    const bytes = Buffer.from('%PDF-1.4\n\x00\x01binary');
    const form = await readMultipartForm(
      CONTENT_TYPE,
      body({ _csrf: 'token', personalData: 'yes' }, [
        { name: 'file', fileName: 'fire drill log.pdf', type: 'application/pdf', bytes },
      ]),
    );
    expect(form.fields).toEqual({ _csrf: 'token', personalData: 'yes' });
    expect(form.file).toEqual({
      fileName: 'fire drill log.pdf',
      mimeType: 'application/pdf',
      bytes,
    });
  });

  it('has no file when none was chosen (an empty part without a name)', async () => {
    const form = await readMultipartForm(
      CONTENT_TYPE,
      body({ _csrf: 'token' }, [
        { name: 'file', fileName: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) },
      ]),
    );
    expect(form).toEqual({ fields: { _csrf: 'token' }, file: null });
  });

  it('refuses a body that is not multipart', async () => {
    await expect(readMultipartForm('text/plain', Buffer.from('hello'))).rejects.toThrow();
    await expect(readMultipartForm(undefined, Buffer.from('hello'))).rejects.toThrow();
  });
});
