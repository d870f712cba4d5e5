import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('api_openapi');
});
afterAll(() => api.close());

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

describe('the OpenAPI document', () => {
  it('is served without a token at /api/docs-json', async () => {
    const response = await api.http().get('/api/docs-json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
  });

  it('documents the audit endpoints behind the bearer scheme, with their problem responses', async () => {
    const { body: document } = await api.http().get('/api/docs-json');
    const events: Operation = document.paths['/audit/streams/{streamId}/events'].get;
    const verification: Operation = document.paths['/audit/streams/{streamId}/verification'].get;

    expect(document.components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
    for (const operation of [events, verification]) {
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses).sort()).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
        '503',
      ]);
      expect(
        operation.responses['404']!.content!['application/problem+json']!.example,
      ).toMatchObject({
        type: 'urn:kpi-ledger:problem:not-found',
      });
    }
    expect(events.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:streamId',
      'query:direction',
      'query:fromVersion',
      'query:limit',
      'query:recordedUntil',
      'query:toVersion',
    ]);
    expect(document.components.schemas.ProblemDetailsDto.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'requestId']),
    );
  });

  it('documents /health as public and /me as needing a token', async () => {
    const { body: document } = await api.http().get('/api/docs-json');
    expect(document.paths['/health'].get.security).toBeUndefined();
    expect(document.paths['/me'].get.security).toEqual([{ bearer: [] }]);
  });

  it('has a UI at /api/docs, also without a token', async () => {
    const response = await api.http().get('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });
});
