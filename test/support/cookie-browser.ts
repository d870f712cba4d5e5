/**
 * Just enough of a browser, over fetch, to walk a sign-in across two servers on 127.0.0.1 (the
 * API and a test OpenID provider): it keeps cookies by name and path (a cookie is the host's,
 * whatever the port, as in a browser), follows redirects when asked, and posts forms.
 */
export class CookieBrowser {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  /** The value of a cookie it holds (any path). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  async get(url: string | URL): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  async postForm(url: string | URL, form: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /**
   * Follows the redirects `response` starts, GETting each address until one answers without a
   * redirect or `stopAt` says to stop before it; answers the last response and its address.
   */
  async follow(
    response: Response,
    from: string | URL,
    stopAt: (next: URL) => boolean = () => false,
  ): Promise<{ response: Response; url: URL }> {
    let url = new URL(from);
    while (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location')!, url);
      if (stopAt(next)) return { response, url: next };
      url = next;
      response = await this.get(url);
    }
    return { response, url };
  }

  private async request(url: string | URL, init: RequestInit): Promise<Response> {
    const target = new URL(url);
    const cookie = [...this.cookies]
      .filter(
        ([, { path }]) =>
          target.pathname === path || target.pathname.startsWith(`${path}/`) || path === '/',
      )
      .map(([name, { value }]) => `${name}=${value}`)
      .join('; ');
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) this.take(line, target);
    return response;
  }

  private take(line: string, from: URL): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const separator = pair!.indexOf('=');
    const name = pair!.slice(0, separator);
    const value = pair!.slice(separator + 1);
    const attribute = (key: string) =>
      attributes.find((part) => part.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
    const path = attribute('path') ?? from.pathname.replace(/\/[^/]*$/, '') ?? '/';
    const expired = attribute('max-age') === '0' || value === '';
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, { value, path: path === '' ? '/' : path });
  }
}
