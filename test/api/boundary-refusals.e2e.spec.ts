import { ROLES } from '@kpi/domain';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * Every command endpoint — each POST, PUT, PATCH and DELETE of the app's own OpenAPI document,
 * so a new one is covered without a line here — refuses a body it does not understand with a
 * 400 problem naming the field, before anything is stored: nested too deeply, prototype keys
 * (`__proto__`, `constructor`, `prototype`), a member it does not declare (inside its nested
 * objects where it has some), a list where it takes an object, and any body at all where it
 * takes none.
 *
 * One principal holds every role, and path parameters are the document's examples, so each
 * request passes the guards and the parameter checks: what answers is the body check. Each
 * bad body is otherwise the endpoint's own example, so the refusal names the bad member only.
 */

interface Schema {
  type?: string;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  example?: unknown;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Operation {
  parameters?: { name: string; in: string; example?: unknown; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  /** Absent or empty on an endpoint anyone may call (sign-in, sign-out, accepting an invitation). */
  security?: Record<string, string[]>[];
}

type Method = 'post' | 'put' | 'patch' | 'delete';

interface Endpoint {
  /** `POST /councils/{councilId}/care-packages/{packageId}/accept` */
  name: string;
  method: Method;
  /** With the path parameters filled in. */
  path: string;
  /** The schema of its JSON body; null when it takes none. */
  body: Schema | null;
  /** Whether it asks for a bearer token (or a session) at all. */
  authenticated: boolean;
}

interface FieldError {
  field: string;
  reason: string;
}

const COMMAND_METHODS: readonly string[] = ['post', 'put', 'patch', 'delete'];
const INVALID_REQUEST = 'urn:kpi-ledger:problem:invalid-request';
const UNKNOWN_FIELD = 'is not a known field here';

let api: ApiUnderTest;
let schemas: Record<string, Schema>;
let endpoints: Endpoint[];
beforeAll(async () => {
  api = await startApiUnderTest('boundary_refusals');
  const document = (await api.http().get('/api/docs-json')).body as OpenApiDocument;
  schemas = document.components.schemas;
  endpoints = commandEndpoints(document);
});
afterAll(() => api.close());

function commandEndpoints(document: OpenApiDocument): Endpoint[] {
  return Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .filter(([method]) => COMMAND_METHODS.includes(method))
      .filter(([, operation]) => !takesFile(operation))
      .map(([method, operation]) => {
        let path = template;
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in !== 'path') continue;
          const example = parameter.example ?? parameter.schema?.example ?? 'boundary-1';
          path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(example)));
        }
        return {
          name: `${method.toUpperCase()} ${template}`,
          method: method as Method,
          path,
          body: operation.requestBody?.content['application/json']?.schema ?? null,
          authenticated: (operation.security ?? []).length > 0,
        };
      }),
  );
}

/** An endpoint whose body is a file (CSV, a workbook), not JSON: it has its own tests of the body. */
const takesFile = (operation: { requestBody?: { content: Record<string, unknown> } }) =>
  operation.requestBody !== undefined && !('application/json' in operation.requestBody.content);

/** The schema a `$ref` (or Nest's `allOf: [{ $ref }]`, used when it has a description) names. */
function referenced(schema: Schema): Schema | undefined {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]!.$ref : undefined);
  return ref === undefined ? undefined : schemas[ref.replace('#/components/schemas/', '')];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An example object of `schema`: its own example, or its members' examples. */
function exampleOf(schema: Schema): Record<string, unknown> {
  const target = referenced(schema) ?? schema;
  if (isObject(schema.example)) return schema.example;
  const example: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(target.properties ?? {})) {
    if (property.example !== undefined) example[name] = property.example;
    else if (referenced(property)) example[name] = exampleOf(property);
  }
  return example;
}

/**
 * `example` with a member `colour` in each object nested in it that `schema` declares (and in an
 * object value of each of its maps), and the paths of those members.
 */
function withNestedUnknowns(
  schema: Schema,
  example: Record<string, unknown>,
  path: string,
): { value: Record<string, unknown>; fields: string[] } {
  const value = { ...example };
  const fields: string[] = [];
  const target = referenced(schema) ?? schema;
  for (const [name, property] of Object.entries(target.properties ?? {})) {
    const at = path ? `${path}.${name}` : name;
    const nested = referenced(property);
    const item = property.type === 'array' && property.items && referenced(property.items);
    if (nested) {
      const inner = withNestedUnknowns(nested, exampleOf(property), at);
      value[name] = { ...inner.value, colour: 'red' };
      fields.push(`${at}.colour`, ...inner.fields);
    } else if (item) {
      const first = Array.isArray(property.example) ? property.example[0] : undefined;
      const inner = withNestedUnknowns(item, isObject(first) ? first : exampleOf(item), `${at}[0]`);
      value[name] = [{ ...inner.value, colour: 'red' }];
      fields.push(`${at}[0].colour`, ...inner.fields);
    } else if (property.additionalProperties && isObject(property.example)) {
      const entry = Object.entries(property.example).find(([, member]) => isObject(member));
      if (entry) {
        value[name] = {
          ...property.example,
          [entry[0]]: { ...(entry[1] as object), colour: 'red' },
        };
        fields.push(`${at}.${entry[0]}.colour`);
      }
    }
  }
  return { value, fields };
}

interface Answer {
  status: number;
  contentType: string;
  type: unknown;
  errors: FieldError[];
  eventsStored: number;
}

const eventCount = async () =>
  Number((await api.pool.query('SELECT count(*) FROM events')).rows[0].count);

async function send(endpoint: Endpoint, json: string): Promise<Answer> {
  const token = api.tokenFor({ tenantId: 'boundary', roles: [...ROLES] });
  const before = await eventCount();
  const response = await api
    .http()
    [endpoint.method](endpoint.path)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json')
    .send(json);
  const errors = ((response.body as { errors?: FieldError[] }).errors ?? []).sort((a, b) =>
    a.field.localeCompare(b.field),
  );
  return {
    status: response.status,
    contentType: response.headers['content-type'] ?? '',
    type: (response.body as { type?: unknown }).type,
    errors,
    eventsStored: (await eventCount()) - before,
  };
}

/** The answer of each endpoint `bodyFor` gives a body (JSON text) for, by endpoint. */
async function answers(
  bodyFor: (endpoint: Endpoint) => string | null,
): Promise<Record<string, Answer>> {
  const answered: Record<string, Answer> = {};
  for (const endpoint of endpoints) {
    const body = bodyFor(endpoint);
    if (body !== null) answered[endpoint.name] = await send(endpoint, body);
  }
  return answered;
}

/** A 400 problem naming exactly these fields (in any order), with nothing stored. */
function refusal(errors: { field: string; reason: string | RegExp }[]) {
  return {
    status: 400,
    contentType: expect.stringMatching(PROBLEM_JSON),
    type: INVALID_REQUEST,
    errors: [...errors]
      .sort((a, b) => a.field.localeCompare(b.field))
      .map(({ field, reason }) => ({
        field,
        reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
      })),
    eventsStored: 0,
  };
}

/** What each endpoint `expected` has an expectation for should answer, by endpoint. */
function expectedOf(
  expected: (endpoint: Endpoint) => ReturnType<typeof refusal> | null,
): Record<string, ReturnType<typeof refusal>> {
  const byName: Record<string, ReturnType<typeof refusal>> = {};
  for (const endpoint of endpoints) {
    const answer = expected(endpoint);
    if (answer !== null) byName[endpoint.name] = answer;
  }
  return byName;
}

const takesBody = (endpoint: Endpoint) => endpoint.body !== null;
const example = (endpoint: Endpoint) => (endpoint.body ? exampleOf(endpoint.body) : {});

it('finds every command endpoint of the app, one of them without a body', () => {
  expect(endpoints.length).toBeGreaterThanOrEqual(33);
  expect(endpoints.filter((endpoint) => !endpoint.authenticated).map((e) => e.name)).toEqual([
    'POST /invitations/{token}/acceptance',
    'POST /sessions',
    'DELETE /sessions/current',
  ]);
  expect(endpoints.filter((endpoint) => !takesBody(endpoint)).map((e) => e.name)).toContain(
    'POST /councils/{councilId}/care-packages/{packageId}/accept',
  );
});

it('refuses a body nested 10,000 levels deep (60 kB) on every endpoint, naming the body', async () => {
  const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  expect(await answers(() => deep)).toEqual(
    expectedOf(() => refusal([{ field: 'body', reason: 'is nested deeper than 32 levels' }])),
  );
});

it('reads a body 32 levels deep, and refuses it for what it says, not for its depth', async () => {
  const atLimit = '{"a":'.repeat(32) + '1' + '}'.repeat(32);
  const answered = await answers(() => atLimit);
  for (const answer of Object.values(answered)) {
    expect(answer).toMatchObject({ status: 400, eventsStored: 0 });
    expect(answer.errors).toContainEqual({ field: 'a', reason: UNKNOWN_FIELD });
    expect(answer.errors.map((error) => error.field)).not.toContain('body');
  }
});

it('refuses __proto__, constructor and prototype keys, at any depth, on every endpoint', async () => {
  const withPrototypeKeys = (endpoint: Endpoint) =>
    '{"__proto__":{"isAdmin":true},' +
    JSON.stringify({
      ...example(endpoint),
      constructor: { name: 'Admin' },
      extra: [{ prototype: { isAdmin: true } }],
    }).slice(1);
  expect(await answers(withPrototypeKeys)).toEqual(
    expectedOf(() =>
      refusal([
        { field: '__proto__', reason: UNKNOWN_FIELD },
        { field: 'constructor', reason: UNKNOWN_FIELD },
        { field: 'extra[0].prototype', reason: UNKNOWN_FIELD },
      ]),
    ),
  );
});

it('refuses a member the endpoint does not declare, inside its nested objects where it has some', async () => {
  const unknowns = (endpoint: Endpoint) => {
    const { value, fields } = withNestedUnknowns(endpoint.body!, example(endpoint), '');
    return fields.length > 0
      ? { value, fields }
      : { value: { ...value, colour: 'red' }, fields: ['colour'] };
  };
  expect(
    await answers((endpoint) =>
      takesBody(endpoint) ? JSON.stringify(unknowns(endpoint).value) : null,
    ),
  ).toEqual(
    expectedOf((endpoint) =>
      takesBody(endpoint)
        ? refusal(
            unknowns(endpoint).fields.map((field) => ({
              field,
              reason: new RegExp(`^${UNKNOWN_FIELD}`),
            })),
          )
        : null,
    ),
  );
  // The nested shapes this covers today, so that losing one (a schema no longer declaring its
  // nested objects) does not go unnoticed.
  const nestedFields = endpoints.filter(takesBody).flatMap((endpoint) => unknowns(endpoint).fields);
  expect(nestedFields).toEqual(
    expect.arrayContaining([
      'indicators[0].colour',
      'indicators[0].expectedRange.colour',
      'bonusRule.colour',
      'values.RTI.colour',
      'against.colour',
      'capabilityItems[0].colour',
      'complainant.colour',
      'figures.complaints-answered-in-time.colour',
    ]),
  );
});

it('refuses a list where the endpoint takes an object, naming the body', async () => {
  expect(await answers((endpoint) => (takesBody(endpoint) ? '[{}]' : null))).toEqual(
    expectedOf((endpoint) =>
      takesBody(endpoint)
        ? refusal([{ field: 'body', reason: 'must be a JSON object, not a list' }])
        : null,
    ),
  );
});

it('refuses any body sent to an endpoint that takes none: its members by name, a list as the body', async () => {
  expect(await answers((endpoint) => (takesBody(endpoint) ? null : '{"colour":"red"}'))).toEqual(
    expectedOf((endpoint) =>
      takesBody(endpoint) ? null : refusal([{ field: 'colour', reason: UNKNOWN_FIELD }]),
    ),
  );
  expect(await answers((endpoint) => (takesBody(endpoint) ? null : '[{}]'))).toEqual(
    expectedOf((endpoint) =>
      takesBody(endpoint)
        ? null
        : refusal([{ field: 'body', reason: 'this request takes no body' }]),
    ),
  );
});

it('takes an empty body, or {}, as no body', async () => {
  for (const body of ['', '{}']) {
    const answered = await answers((endpoint) => (takesBody(endpoint) ? null : body));
    expect(Object.keys(answered).length).toBeGreaterThan(0);
    for (const answer of Object.values(answered)) {
      // The package does not exist: the command itself answers, not the body check.
      expect(answer.type).not.toBe(INVALID_REQUEST);
    }
  }
});

it('says who may ask before what the body says: 401 without a token, 403 without the role', async () => {
  const bodiless = endpoints.filter((endpoint) => !takesBody(endpoint) && endpoint.authenticated);
  expect(bodiless.length).toBeGreaterThan(0);
  const regulator = api.tokenFor({ tenantId: 'boundary', roles: ['regulator'] });
  for (const endpoint of bodiless) {
    const request = () =>
      api.http()[endpoint.method](endpoint.path).set('Content-Type', 'application/json');
    const anonymous = await request().send('{"colour":"red"}');
    expect([endpoint.name, anonymous.status]).toEqual([endpoint.name, 401]);
    const readOnly = await request()
      .set('Authorization', `Bearer ${regulator}`)
      .send('{"colour":"red"}');
    expect([endpoint.name, readOnly.status]).toEqual([endpoint.name, 403]);
  }
});
