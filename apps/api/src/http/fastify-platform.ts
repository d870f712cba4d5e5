import { BadRequestException } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyBodyParser, FastifyServerOptions } from 'fastify';
import nunjucks from 'nunjucks';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { parse as parseForm } from 'node:querystring';
import { useFileUploadBodies } from '../evidence/evidence-upload.body';
import { useReturnsFileBodyParsers } from '../monthly-returns/returns-import.body';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { sendProblem } from '../problems/problem-details.filter';
import { requestIdFor } from '../request-context/request-id';
import { refuseUnsafeBody } from './body-shape';

/**
 * The API runs on Fastify. It used to run on Express, and these settings keep what callers
 * see the same: request bodies up to 100 kB (413 beyond), paths matched regardless of case
 * and of a trailing slash, path parameters of any length, and a path that cannot be decoded
 * answered with a 400 problem.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;

export function createHttpAdapter(): FastifyAdapter {
  const options: FastifyServerOptions = {
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: {
      caseSensitive: false,
      ignoreTrailingSlash: true,
      // Fastify's default (100) would refuse a long path parameter (a stream id may have 200
      // characters, 600 percent-encoded) before the handler can say what is wrong with it.
      // Node limits the request line anyway: with the headers, to 16 KiB.
      maxParamLength: 16 * 1024,
    },
    // Fastify's request id (which pino-http logs under) is ours: x-request-id or a UUID.
    genReqId: requestIdFor,
    // Errors of Fastify's router, before any of Nest's handlers: a malformed percent-encoding.
    frameworkErrors: (error, request, reply) =>
      sendProblem(new BadRequestException(error.message), request, reply),
  };
  return new FastifyAdapter(options);
}

/**
 * Request bodies, read as Express's body parser read them: JSON (an empty body is `{}`; only
 * an object or an array at the top level) and HTML forms (but flat: `a[b]=1` is the field
 * `a[b]`, where Express made it `{ a: { b } }`).
 * A body of any other type is not read: the handler sees no body, and the ValidationPipe names
 * the fields that are missing (Fastify alone would answer 415, or pass text/plain on as a
 * string). Malformed JSON is answered with a 400 naming what JSON.parse found wrong (Fastify's
 * own parser gives the same message for every error); a body nested too deeply, or with a
 * prototype key (`__proto__`, `constructor`, `prototype`), with a 400 naming the field.
 */
export function useBodyParsers(app: NestFastifyApplication): void {
  const json: FastifyBodyParser<Buffer> = (_request, body, done) => {
    let value: unknown;
    try {
      value = parseJsonBody(body);
    } catch (error) {
      if (error instanceof InvalidRequestException) return done(error, undefined);
      // Nest answers a SyntaxError with status 400 (body-parser's) as a 400 with its message.
      return done(Object.assign(error as SyntaxError, { status: 400 }), undefined);
    }
    done(null, value);
  };
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, json);
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const form = parseForm(body.toString('utf8'));
      try {
        refuseUnsafeBody(form);
      } catch (error) {
        return done(error as InvalidRequestException, undefined);
      }
      done(null, form);
    },
  );
  // Returns files (CSV, Excel) are read whole, up to their own limit.
  useReturnsFileBodyParsers(app);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  // Any other type: read only by the routes that take a file (evidence), otherwise not read.
  useFileUploadBodies(app);
}

/**
 * A JSON body as body-parser reads it: UTF-8 without a byte-order mark, "strict". Then refused
 * (InvalidRequestException) when it nests too deeply or has a prototype key (body-shape.ts).
 */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*([^ \t\n\r])/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw notAnObjectOrArray(text, first);
  const value: unknown = JSON.parse(text);
  refuseUnsafeBody(value);
  return value;
}

/**
 * body-parser's error for JSON that is valid but not an object or array ("strict" mode):
 * the message JSON.parse gives for the first character, e.g. `Unexpected token '1', "1" is
 * not valid JSON`.
 */
function notAnObjectOrArray(text: string, first: string | undefined): SyntaxError {
  const index = first === undefined ? -1 : text.indexOf(first);
  const placeholder = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(placeholder);
    return new SyntaxError('strict violation');
  } catch (error) {
    const message = (error as SyntaxError).message.replace(/#+/g, (hashes) =>
      text.slice(index, index + hashes.length),
    );
    return new SyntaxError(message);
  }
}

/**
 * Answers compressed (brotli or gzip, as the request's Accept-Encoding prefers) when the body
 * is text of some kind (HTML, CSS, JS, JSON, problem+json, CSV) and 1 KiB or more; otherwise,
 * and when the caller asks for none, as before. Excel workbooks (already zip files) and PNGs
 * are left as they are. Request bodies are not decompressed: a compressed upload is read as
 * it was before this. Registered before any route: its hooks attach to routes as they are added.
 */
export async function useCompression(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], globalDecompression: false });
}

/** Where the pages' own templates are: beside their controllers in the source tree. */
export function pageTemplatesDirectory(): string {
  const beside = join(__dirname, '..', 'pages', 'templates');
  // A build (dist/) compiles only TypeScript: templates are read from the source tree.
  return existsSync(beside) ? beside : beside.replace(`${sep}dist${sep}`, sep);
}

/** GOV.UK Frontend's compiled files: `govuk/template.njk`, the macros and `govuk/assets`. */
const GOVUK_FRONTEND_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** Of GOV.UK Frontend's compiled files, the ones a browser fetches: CSS, JS, fonts, images. */
const SERVED_ASSET =
  /^\/(?:fonts\/[\w.-]+|images\/[\w.-]+|manifest\.json|govuk-frontend\.min\.(?:css|js))$/;

/**
 * What the web pages need of Fastify (docs/decisions/0028): Nunjucks views over GOV.UK
 * Frontend's templates, and GOV.UK Frontend's CSS, JS, fonts and images under /assets (served
 * by Fastify, before Nest's guards: they are the same for everyone). Forms are read by the form
 * parser of `useBodyParsers`; CSRF tokens are the pages' own (pages/page-csrf.ts), as
 * @fastify/cookie loads its ESM-only `cookie` by a dynamic import() that Jest cannot run.
 */
export async function usePagePlugins(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyView, {
    engine: { nunjucks },
    // Nunjucks escapes every value by default (autoescape): text from events stays text.
    templates: [pageTemplatesDirectory(), GOVUK_FRONTEND_DIST],
  });
  const govuk = join(GOVUK_FRONTEND_DIST, 'govuk');
  await app.register(fastifyStatic, {
    root: [join(govuk, 'assets'), govuk],
    prefix: '/assets/',
    allowedPath: (path) => SERVED_ASSET.test(path),
    maxAge: '1d',
  });
}
