import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

/** One email: plain text, one recipient, a Message-ID of our own (stable per delivery). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/** What became of a send. */
export type SendOutcome =
  | { kind: 'sent'; response: string }
  /** The server refused the recipient for good (5xx on RCPT): the address bounces. */
  | { kind: 'rejected'; code: number; response: string }
  /** Refused for now (4xx): try this one again later. */
  | { kind: 'deferred'; code: number | null; response: string }
  /** No server to talk to (refused, reset, timed out): every send waits, not just this one. */
  | { kind: 'unavailable'; response: string };

/** Sends email: over SMTP (nodemailer) in the worker; tests pass the same over a test server. */
export interface MailSender {
  readonly from: string;
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

/** Connection-level failures: the server is not there (or not answering), whoever the mail is for. */
const SERVER_AWAY = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPROTOCOL',
]);

/**
 * An SMTP sender over nodemailer's pooled transport (a few connections kept open, reopened
 * when the server comes back). Timeouts are short so that a server that hangs counts as away.
 */
export function smtpMailSender(smtpUrl: string, from: string): MailSender {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  // A pooled connection that drops while idle is reopened at the next send, whose outcome says
  // what happened; the transport's own error event is not needed (and must not go unheard).
  transport.on('error', () => undefined);
  return {
    from,
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
        });
        return { kind: 'sent', response: String(info.response ?? '') };
      } catch (error) {
        return outcomeOf(error as SmtpError);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** Sorts a nodemailer error into bounced, deferred or server away. */
export function outcomeOf(error: SmtpError): SendOutcome {
  const response = error.response ?? error.message;
  const code = typeof error.responseCode === 'number' ? error.responseCode : null;
  if (error.code === 'EENVELOPE' && error.command === 'RCPT TO' && code !== null && code >= 500)
    return { kind: 'rejected', code, response };
  if (code === 421 || (error.code !== undefined && SERVER_AWAY.has(error.code)) || code === null)
    return { kind: 'unavailable', response };
  return { kind: 'deferred', code, response };
}

/**
 * A Message-ID that is the same every time the same thing is sent to the same person (a
 * delivery, or a person's digest of a day): a copy sent twice is recognisably one message.
 */
export function stableMessageId(from: string, ...parts: string[]): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'kpi-ledger.invalid';
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
  return `<${hash}@${domain}>`;
}

/** How a bounce remembers an address: a SHA-256 of it, lower-cased (never the address itself). */
export const emailSha256 = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
