import busboy from 'busboy';

/** A file a form sent: its name and type as the browser gave them, and its bytes. */
export interface FormFile {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/** A multipart/form-data body read: its text fields, and its one file (null when none chosen). */
export interface MultipartForm {
  fields: Record<string, string>;
  file: FormFile | null;
}

/**
 * Reads a multipart/form-data body already received whole (a route marked FileUploadBody, so
 * within EVIDENCE_MAX_BYTES) with busboy: the text fields, and the first file (a browser sends
 * an empty part with no name when none was chosen: that is no file). Rejects a body that is
 * not multipart, or is malformed.
 */
export function readMultipartForm(
  contentType: string | undefined,
  body: Buffer,
): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: FormFile | null = null;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType ?? '' },
        limits: { files: 1, fields: 20, fieldSize: 10_000 },
      });
    } catch (error) {
      return reject(error instanceof Error ? error : new Error(String(error)));
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, { filename, mimeType }) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (filename && file === null)
          file = { fileName: filename, mimeType, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('close', () => resolve({ fields, file }));
    parser.on('error', reject);
    parser.end(body);
  });
}
