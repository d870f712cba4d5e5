import { safeReturnPath, signInPathFor } from './return-path';

describe('the page to go back to after signing in', () => {
  it.each(['/app', '/app/kpi-grid', '/app/kpi-grid?to=2026-09', '/app?x=1', '/app/people#list'])(
    'keeps a page of the service: %s',
    (path) => expect(safeReturnPath(path)).toBe(path),
  );

  it.each([
    'https://evil.example/app',
    '//evil.example/app',
    '/app//evil.example',
    '/\\evil.example',
    '/app\\..\\x',
    '/apple',
    '/health',
    'app/kpi-grid',
    '/app/kpi-grid\r\nSet-Cookie: x=1',
    '/app/sign-in',
    '/app/sign-out',
    '',
    undefined,
    ['/app/kpi-grid'],
  ])('refuses anything else (%p) and goes to /app', (path) => {
    expect(safeReturnPath(path)).toBe('/app');
  });

  it('puts a page of the service in the sign-in address, and nothing else', () => {
    expect(signInPathFor('/app/kpi-grid?to=2026-09')).toBe(
      '/app/sign-in?returnTo=%2Fapp%2Fkpi-grid%3Fto%3D2026-09',
    );
    expect(signInPathFor('https://evil.example')).toBe('/app/sign-in');
    expect(signInPathFor(undefined)).toBe('/app/sign-in');
  });
});
