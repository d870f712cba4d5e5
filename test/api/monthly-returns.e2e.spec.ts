import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { allMet } from '@kpi/testing';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('returns_e2e');
});
afterAll(() => api.close());

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const as = (tenantId: string, roles: Role[] = ['regional-manager']) =>
  api.tokenFor({ tenantId, roles, userId: 'user:rm-gwen' });
const post = (token: string, path: string, body: object, headers: Record<string, string> = {}) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).set(headers).send(body);

async function eventCount(): Promise<number> {
  const { rows } = await api.pool.query<{ count: string }>('SELECT count(*) FROM events');
  return Number(rows[0]!.count);
}

/** A tenant with a region, the children's-homes preset from 2025-01 and the home `ty-gwyn`. */
async function tenantWithHome(): Promise<string> {
  const tenant = `acme-${randomUUID().slice(0, 8)}`;
  const token = admin(tenant);
  expect((await post(token, '/organisation', { name: 'Acme Care', kind: 'provider' })).status).toBe(
    201,
  );
  expect(
    (
      await post(token, '/regions', {
        regionId: 'north-wales',
        name: 'North Wales',
        regionalManagerId: 'rm-gwen',
      })
    ).status,
  ).toBe(201);
  expect(
    (await post(token, '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' })).status,
  ).toBe(201);
  const service = await post(token, '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  expect(service.status).toBe(201);
  return tenant;
}

describe('setting up the organisation over HTTP', () => {
  it('registers the tenant once, refuses a second time (409) and an unknown kind (400)', async () => {
    const tenant = await tenantWithHome();
    const again = await post(admin(tenant), '/organisation', {
      name: 'Acme Care',
      kind: 'provider',
    });
    expect(again.status).toBe(409);
    const other = `other-${randomUUID().slice(0, 8)}`;
    const badKind = await post(admin(other), '/organisation', { name: 'Other', kind: 'charity' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    expect(
      (await post(as(other), '/organisation', { name: 'Other', kind: 'council' })).status,
    ).toBe(403);
  });
});

describe('submitting and amending monthly returns over HTTP', () => {
  it('judges a return and answers with each indicator, the bonus and lateness', async () => {
    const tenant = await tenantWithHome();
    const response = await post(as(tenant), '/services/ty-gwyn/returns', {
      period: '2026-09',
      values: { ...allMet, EDU: 85 },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      streamId: `${tenant}:monthly-return:ty-gwyn:2026-09`,
      frameworkId: 'childrens-homes',
      frameworkVersion: 1,
      dueDate: '2026-10-20',
      late: true, // it is after 20 October 2026 now
      results: {
        EDU: { outcome: 'missed', rag: 'amber', value: 85, target: 90, floor: 75 },
        SUP: { rag: 'green' },
      },
      bonus: { met: 8, required: 8, of: 9, compliant: true },
      replayed: false,
    });
  });

  it('refuses a second return for the month with 409 naming the existing one', async () => {
    const tenant = await tenantWithHome();
    await post(as(tenant), '/services/ty-gwyn/returns', { period: '2026-08', values: allMet });
    const second = await post(as(tenant), '/services/ty-gwyn/returns', {
      period: '2026-08',
      values: allMet,
    });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(second.body).toMatchObject({
      type: 'urn:kpi-ledger:problem:conflict',
      detail: expect.stringContaining('ty-gwyn already has a return for 2026-08'),
      existingReturn: { serviceId: 'ty-gwyn', period: '2026-08', submittedBy: 'user:rm-gwen' },
    });
  });

  it('answers a retried request (same Idempotency-Key) with the first response and writes nothing', async () => {
    const tenant = await tenantWithHome();
    const key = randomUUID();
    const first = await post(
      as(tenant),
      '/services/ty-gwyn/returns',
      { period: '2026-07', values: allMet },
      { 'Idempotency-Key': key },
    );
    const before = await eventCount();
    const retry = await post(
      as(tenant),
      '/services/ty-gwyn/returns',
      { period: '2026-07', values: allMet },
      { 'Idempotency-Key': key },
    );
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect(await eventCount()).toBe(before);
  });

  it('carries out a different request sent with a reused Idempotency-Key, never answering it with the first result', async () => {
    const tenant = await tenantWithHome();
    const key = randomUUID();
    await post(
      as(tenant),
      '/services/ty-gwyn/returns',
      { period: '2026-04', values: allMet },
      { 'Idempotency-Key': key },
    );
    const amendment = await post(
      as(tenant),
      '/services/ty-gwyn/returns/2026-04/amendments',
      { values: { EDU: 70 }, reason: 'Recounted' },
      { 'Idempotency-Key': key },
    );
    expect(amendment.status).toBe(201);
    expect(amendment.body).toMatchObject({
      amendments: 1,
      replayed: false,
      results: { EDU: { value: 70 } },
    });
    const second = await post(
      as(tenant),
      '/services/ty-gwyn/returns/2026-04/amendments',
      { values: { EDU: 10 }, reason: 'Recounted again' },
      { 'Idempotency-Key': key },
    );
    expect(second.body).toMatchObject({
      amendments: 2,
      replayed: false,
      results: { EDU: { value: 10 } },
    });
  });

  it('amends a return with a reason, judging it again', async () => {
    const tenant = await tenantWithHome();
    await post(as(tenant), '/services/ty-gwyn/returns', { period: '2026-06', values: allMet });
    const amended = await post(as(tenant), '/services/ty-gwyn/returns/2026-06/amendments', {
      values: { EDU: 70, SUP: 80 },
      reason: 'Exclusions were counted as attendance',
    });
    expect(amended.status).toBe(201);
    expect(amended.body).toMatchObject({
      amendments: 1,
      late: null,
      results: { EDU: { rag: 'red' }, SUP: { rag: 'red' } },
      bonus: { met: 7, compliant: false },
    });
  });

  describe('bad input: a clear 4xx naming the field, and nothing stored', () => {
    let tenant: string;
    let otherTenant: string;
    beforeAll(async () => {
      tenant = await tenantWithHome();
      otherTenant = await tenantWithHome();
      await post(as(tenant), '/services/ty-gwyn/returns', { period: '2026-05', values: allMet });
      const plas = await post(admin(tenant), '/services', {
        serviceId: 'plas-newydd',
        name: 'Plas Newydd',
        regionId: 'north-wales',
        serviceType: 'childrens-home',
        frameworkId: 'childrens-homes',
        openedOn: '2024-04-01',
      });
      expect(plas.status).toBe(201);
    });

    const submitPath = '/services/ty-gwyn/returns';
    const cases: [string, number, string, () => { path: string; body: object; token: string }][] = [
      [
        'an unknown indicator code',
        400,
        'values.XYZ',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: { ...allMet, XYZ: 1 } },
          token: as(tenant),
        }),
      ],
      [
        'a missing indicator',
        400,
        'values.EDU',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: { ...allMet, EDU: undefined } },
          token: as(tenant),
        }),
      ],
      [
        'a string for a number',
        400,
        'values.EDU',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: { ...allMet, EDU: '92' } },
          token: as(tenant),
        }),
      ],
      [
        'a negative count',
        400,
        'values.RPI',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: { ...allMet, RPI: -1 } },
          token: as(tenant),
        }),
      ],
      [
        'a percentage over 100',
        400,
        'values.SUP',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: { ...allMet, SUP: 101 } },
          token: as(tenant),
        }),
      ],
      [
        'period 2026-13',
        400,
        'period',
        () => ({
          path: submitPath,
          body: { period: '2026-13', values: allMet },
          token: as(tenant),
        }),
      ],
      [
        'a future period',
        400,
        'period',
        () => ({
          path: submitPath,
          body: { period: '2099-01', values: allMet },
          token: as(tenant),
        }),
      ],
      [
        'no values at all',
        400,
        'values',
        () => ({ path: submitPath, body: { period: '2026-09' }, token: as(tenant) }),
      ],
      [
        'an unknown body field',
        400,
        'tenantId',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: allMet, tenantId: 'x' },
          token: as(tenant),
        }),
      ],
      [
        'an amendment without a reason',
        400,
        'reason',
        () => ({
          path: '/services/ty-gwyn/returns/2026-05/amendments',
          body: { values: { EDU: 70 } },
          token: as(tenant),
        }),
      ],
      [
        'an unknown home',
        404,
        '',
        () => ({
          path: '/services/no-such-home/returns',
          body: { period: '2026-09', values: allMet },
          token: as(tenant),
        }),
      ],
      [
        "another tenant's home",
        404,
        '',
        () => ({
          path: '/services/plas-newydd/returns',
          body: { period: '2026-04', values: allMet },
          token: as(otherTenant),
        }),
      ],
      [
        'a role that may not submit',
        403,
        '',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: allMet },
          token: as(tenant, ['home-manager']),
        }),
      ],
      [
        'a regulator (read-only)',
        403,
        '',
        () => ({
          path: submitPath,
          body: { period: '2026-09', values: allMet },
          token: as(tenant, ['regulator']),
        }),
      ],
    ];

    it.each(cases)('%s → %i', async (_label, status, field, build) => {
      const { path, body, token } = build();
      const before = await eventCount();
      const response = await post(token, path, body);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      if (field)
        expect(response.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      expect(await eventCount()).toBe(before);
    });
  });
});
