import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * The risk register over HTTP (seed 003's risk annex; docs/decisions/0039): risks listed by
 * residual score with their RAG, each revision kept.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('risks_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const keeper = (tenantId: string) =>
  api.tokenFor({ tenantId, roles: ['provider-admin'], userId: 'user:admin-1' });
const post = (token: string, path: string, body: object) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
const get = (token: string, path: string) =>
  api.http().get(path).set('Authorization', `Bearer ${token}`);

const continuity = {
  riskId: 'risk-continuity',
  title: 'Business disruption stops essential services',
  owner: 'rm-gwen',
  category: 'business-continuity',
  inherent: { likelihood: 4, impact: 5 },
  residual: { likelihood: 2, impact: 4 },
  controls: 'Business Continuity Plans kept up to date; Business Impact Analysis every 12 months',
  reviewOn: '2027-02-01',
};
const partners = {
  riskId: 'risk-partners',
  title: 'Financial pressures on partner agencies',
  owner: 'rm-gwen',
  category: 'financial',
  inherent: { likelihood: 4, impact: 4 },
  residual: { likelihood: 4, impact: 4 },
  controls: 'Close monitoring of Continuing Health Care and Section 117',
  reviewOn: '2027-01-04',
};

describe('the risk register over HTTP', () => {
  it('lists risks by residual score with their RAG, and keeps every revision', async () => {
    const tenant = `risk-${randomUUID().slice(0, 8)}`;
    const raised = await post(keeper(tenant), '/risks', continuity);
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({
      revision: 1,
      inherentScore: 20,
      residualScore: 8,
      rag: 'amber',
    });
    expect((await post(keeper(tenant), '/risks', partners)).body).toMatchObject({
      residualScore: 16,
      rag: 'red',
    });

    const revised = await post(keeper(tenant), '/risks/risk-continuity/revisions', {
      residual: { likelihood: 1, impact: 4 },
    });
    expect(revised.status).toBe(201);
    expect(revised.body).toMatchObject({ revision: 2, residualScore: 4, rag: 'green' });
    await projections.caughtUp();

    const register = await get(keeper(tenant), '/risks');
    expect(register.status).toBe(200);
    expect(
      register.body.risks.map((r: { riskId: string; residualScore: number; rag: string }) => [
        r.riskId,
        r.residualScore,
        r.rag,
      ]),
    ).toEqual([
      ['risk-partners', 16, 'red'],
      ['risk-continuity', 4, 'green'],
    ]);
    const details = await get(keeper(tenant), '/risks/risk-continuity');
    expect(
      details.body.revisions.map(
        (r: { revision: number; residualScore: number; changed: string[] }) => [
          r.revision,
          r.residualScore,
          r.changed,
        ],
      ),
    ).toEqual([
      [1, 8, ['title', 'owner', 'category', 'inherent', 'residual', 'controls', 'reviewOn']],
      [2, 4, ['residual']],
    ]);

    expect((await post(keeper(tenant), '/risks/risk-partners/closure', {})).body).toMatchObject({
      status: 'closed',
    });
    await projections.caughtUp();
    expect((await get(keeper(tenant), '/risks')).body.risks).toHaveLength(1);

    // Each review date is a deadline of the risk's owner; a closed risk's is cancelled.
    const deadlines = await get(keeper(tenant), '/deadlines?view=all');
    expect(
      deadlines.body.deadlines
        .filter((d: { kind: string }) => d.kind === 'risk-review')
        .map((d: { key: string; status: string }) => [d.key, d.status]),
    ).toEqual([
      ['risk-review:risk-partners:2027-01-04', 'cancelled'],
      ['risk-review:risk-continuity:2027-02-01', 'open'],
    ]);
  });

  it('refuses controls that raise a risk (400 naming residual) and a likelihood out of range', async () => {
    const tenant = `risk-${randomUUID().slice(0, 8)}`;
    const raised = await post(keeper(tenant), '/risks', {
      ...continuity,
      residual: { likelihood: 5, impact: 5 },
    });
    expect(raised.status).toBe(400);
    expect(raised.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(JSON.stringify(raised.body)).toContain('residual');
    const range = await post(keeper(tenant), '/risks', {
      ...continuity,
      inherent: { likelihood: 6, impact: 5 },
    });
    expect(range.status).toBe(400);
    expect(JSON.stringify(range.body)).toContain('inherent.likelihood');
  });

  it('is not for a home manager to keep (403)', async () => {
    const tenant = `risk-${randomUUID().slice(0, 8)}`;
    const token = api.tokenFor({ tenantId: tenant, roles: ['home-manager'] });
    expect((await post(token, '/risks', continuity)).status).toBe(403);
  });
});
