import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server accepted: its envelope and the headers specs look at. */
export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string;
  subject: string;
  text: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: the same after a restart. */
  readonly url: string;
  readonly port: number;
  /** Every message accepted so far, in order. */
  readonly messages: readonly ReceivedMail[];
  /** Refuse these recipients with `550 5.1.1` at RCPT (a permanent bounce). */
  reject(...addresses: string[]): void;
  /** Accept them again. */
  accept(...addresses: string[]): void;
  /** Stops listening and drops every connection: clients meet a refused connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** `Name: value` of a header block, folded lines unfolded; the last of a repeated name wins. */
function headersOf(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The body of a plain-text message (quoted-printable soft breaks undone, which is all we send). */
function bodyOf(raw: string): string {
  const body = raw
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n\n');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A real SMTP server (the `smtp-server` package) on a free port of 127.0.0.1 that keeps what it
 * is sent: no TLS, no authentication. It can refuse chosen recipients for good (550) and be
 * stopped and started again on the same port, as a mail relay that goes away and comes back.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const rejected = new Set<string>();
  let server: SMTPServer | null = null;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        closeTimeout: 100,
        size: 1024 * 1024,
        onRcptTo(address, _session, callback) {
          if (rejected.has(address.address.toLowerCase())) {
            return callback(
              Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }),
            );
          }
          callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const headers = headersOf(raw);
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              messageId: headers.get('message-id') ?? '',
              subject: headers.get('subject') ?? '',
              text: bodyOf(raw),
            });
            callback();
          });
        },
      });
      next.on('error', () => undefined);
      next.server.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        const address = next.server.address();
        if (address && typeof address === 'object') port = address.port;
        server = next;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = null;
      if (!current) return resolve();
      current.close(() => resolve());
      // Open (pooled) connections are dropped at once, as when a relay goes down.
      for (const connection of current.connections) connection.close();
    });

  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages,
    reject(...addresses) {
      for (const address of addresses) rejected.add(address.toLowerCase());
    },
    accept(...addresses) {
      for (const address of addresses) rejected.delete(address.toLowerCase());
    },
    stop,
    start: listen,
    close: stop,
  };
}
