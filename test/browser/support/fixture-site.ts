import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const FIXTURES = join(__dirname, '..', 'fixtures');

export interface FixtureSite {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A local Fastify of the test's own serving HTML from test/browser/fixtures (`/<name>` for
 * `fixtures/<name>.html`) with GOV.UK Frontend's stylesheet and assets beside it, as the app's
 * pages will have them. For testing the browser helpers themselves, not the app.
 */
export async function serveFixtureSite(pageNames: readonly string[]): Promise<FixtureSite> {
  const server: FastifyInstance = Fastify();
  await server.register(fastifyStatic, { root: join(GOVUK_DIST, 'assets'), prefix: '/assets/' });
  const stylesheet = readFileSync(join(GOVUK_DIST, 'govuk-frontend.min.css'));
  server.get('/stylesheets/govuk-frontend.min.css', (_request, reply) =>
    reply.type('text/css').send(stylesheet),
  );
  for (const name of pageNames) {
    const html = readFileSync(join(FIXTURES, `${name}.html`));
    server.get(`/${name}`, (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  }
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('fixture site has no port');
  return { baseUrl: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
