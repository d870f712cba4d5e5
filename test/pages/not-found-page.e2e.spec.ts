import { startApiUnderTest, PROBLEM_JSON, type ApiUnderTest } from '../api/support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('not_found_page_e2e');
});
afterAll(() => api?.close());

const token = () => api.tokenFor({ tenantId: 'tenant-404', roles: ['provider-admin'] });

describe('an /app address no page answers', () => {
  it.each(['/app/no-such-page', '/app/services/ty-gwyn/trend/extra', '/app/a/b/c?x=1'])(
    'answers %s with the GOV.UK "Page not found" page, status 404',
    async (path) => {
      const response = await api.http().get(path).set('Authorization', `Bearer ${token()}`);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
      expect(response.text).toContain(`There is no page at ${path.split('?')[0]}`);
      expect(response.text).toContain('href="/app"');
    },
  );

  it('leaves the pages that exist alone', async () => {
    const home = await api.http().get('/app').set('Authorization', `Bearer ${token()}`);
    expect(home.status).toBe(200);
    const signIn = await api.http().get('/app/sign-in');
    expect(signIn.status).toBe(200);
  });

  it('sends a browser that is not signed in to sign in first, then back to the address', async () => {
    const response = await api.http().get('/app/no-such-page');
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/app\/sign-in\?/);
    expect(decodeURIComponent(response.headers.location as string)).toContain('/app/no-such-page');
  });

  it('leaves the API’s own unknown addresses answering problem+json', async () => {
    const response = await api
      .http()
      .get('/no-such-endpoint')
      .set('Authorization', `Bearer ${token()}`);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  });
});
