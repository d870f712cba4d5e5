/** Where a person lands after signing in when they did not come from another page. */
export const AFTER_SIGN_IN = '/app';

/**
 * The page to go back to after signing in: `wanted` only when it is a path of this service's
 * own pages (`/app`, `/app/…`, `/app?…`); anything else — another site, `//host`, a backslash,
 * a control character, the sign-in page itself — gives `/app`. No open redirect.
 */
export function safeReturnPath(wanted: unknown): string {
  if (typeof wanted !== 'string' || wanted.length > 2000) return AFTER_SIGN_IN;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(wanted)) return AFTER_SIGN_IN;
  if (!/^\/app(?:[/?#]|$)/.test(wanted)) return AFTER_SIGN_IN;
  if (wanted.includes('//')) return AFTER_SIGN_IN;
  if (/^\/app\/sign-(?:in|out)(?:[/?#]|$)/.test(wanted)) return AFTER_SIGN_IN;
  return wanted;
}

/** The sign-in page's address, remembering the page a person was sent from. */
export function signInPathFor(wanted: string | undefined): string {
  const back = safeReturnPath(wanted);
  return back === AFTER_SIGN_IN
    ? '/app/sign-in'
    : `/app/sign-in?${new URLSearchParams({ returnTo: back }).toString()}`;
}
