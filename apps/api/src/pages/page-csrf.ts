import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie that holds a browser's CSRF secret (each form carries a token made from it). */
export const PAGE_CSRF_COOKIE = 'kpi_csrf';

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The browser's CSRF secret, from its cookie; undefined when it has none (or a malformed one). */
export function csrfSecretOf(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === PAGE_CSRF_COOKIE && value !== undefined && SECRET.test(value)) return value;
  }
  return undefined;
}

/**
 * A token for this browser's forms (double-submit: a random salt and its HMAC under the
 * secret in an HTTP-only, same-site cookie). Sets the cookie when the browser has no secret yet.
 */
export function issueCsrfToken(request: FastifyRequest, reply: FastifyReply): string {
  let secret = csrfSecretOf(request);
  if (secret === undefined) {
    secret = randomBytes(32).toString('base64url');
    const secure = request.protocol === 'https' ? '; Secure' : '';
    void reply.header(
      'set-cookie',
      `${PAGE_CSRF_COOKIE}=${secret}; Path=/app; HttpOnly; SameSite=Strict${secure}`,
    );
  }
  const salt = randomBytes(12).toString('base64url');
  return `${salt}.${mac(secret, salt)}`;
}

/** Whether `token` was issued for the secret in this browser's cookie. */
export function isValidCsrfToken(request: FastifyRequest, token: unknown): boolean {
  const secret = csrfSecretOf(request);
  if (secret === undefined || typeof token !== 'string') return false;
  const [salt, given] = token.split('.');
  if (!salt || !given) return false;
  const expected = Buffer.from(mac(secret, salt));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const mac = (secret: string, salt: string) =>
  createHmac('sha256', secret).update(salt).digest('base64url');
