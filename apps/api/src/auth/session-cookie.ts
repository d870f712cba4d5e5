import type { FastifyRequest } from 'fastify';

/** The cookie that carries a browser's session id. */
export const SESSION_COOKIE = 'kpi_session';

/** The session id the request's Cookie header carries, if any. */
export function sessionIdOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  return cookieOf(request, SESSION_COOKIE);
}

/** The value of the cookie `name` in the Cookie header, if any (a tiny parser: no plugin needed). */
export function cookieOf(
  request: Pick<FastifyRequest, 'headers'>,
  name: string,
): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/**
 * The Set-Cookie value for a new session: HttpOnly (no script reads it), SameSite=Lax (not
 * sent on cross-site posts), Path=/, and Secure except in development on plain http://.
 */
export function sessionCookie(
  sessionId: string,
  maxAgeSeconds: number,
  nodeEnv: 'development' | 'test' | 'production',
): string {
  const secure = nodeEnv === 'development' ? '' : '; Secure';
  return `${SESSION_COOKIE}=${sessionId}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/** The Set-Cookie value that makes the browser forget the session cookie. */
export function clearedSessionCookie(nodeEnv: 'development' | 'test' | 'production'): string {
  return sessionCookie('', 0, nodeEnv);
}
