import { randomUUID } from 'node:crypto';
import { BUSINESS_PLAN_INDICATORS, DIRECT_SERVICES_RESPITE_INDICATORS } from '@kpi/domain';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * The council presets over HTTP (decision 0022): published by name with
 * `POST /frameworks/presets/{preset}`, read back with `GET /frameworks/{id}`, and a council
 * service registered on one.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('presets_e2e');
});
afterAll(async () => {
  await api?.close();
});

const newTenant = () => `council-${randomUUID().slice(0, 8)}`;
const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const post = (token: string, path: string, body: object) =>
  api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
const get = (token: string, path: string) =>
  api.http().get(path).set('Authorization', `Bearer ${token}`);

describe('council presets', () => {
  it('publishes the respite dataset and reads it back with its groups, breakdowns and formula', async () => {
    const tenant = newTenant();
    const published = await post(admin(tenant), '/frameworks/presets/direct-services-respite', {
      effectiveFrom: '2026-04',
    });
    expect(published.status).toBe(201);

    const response = await get(admin(tenant), '/frameworks/direct-services-respite');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      frameworkId: 'direct-services-respite',
      versions: [{ version: 1, effectiveFrom: '2026-04', bonusRule: null }],
    });
    const [version] = response.body.versions;
    expect(version.indicators).toEqual(DIRECT_SERVICES_RESPITE_INDICATORS);
    expect(version.indicators).toContainEqual(
      expect.objectContaining({
        code: 'BEDS_UNOCCUPIED',
        group: 'Respite',
        formula: { operation: 'difference', of: ['BEDS_AVAILABLE', 'BEDS_DELIVERED'] },
      }),
    );
  });

  it('publishes the business-plan template as a framework of its own id', async () => {
    const tenant = newTenant();
    expect(
      (
        await post(admin(tenant), '/frameworks/presets/business-plan', {
          effectiveFrom: '2026-04',
          frameworkId: 'day-services-plan',
        })
      ).status,
    ).toBe(201);
    const response = await get(admin(tenant), '/frameworks/day-services-plan');
    expect(response.status).toBe(200);
    expect(response.body.versions[0].indicators).toEqual(BUSINESS_PLAN_INDICATORS);
  });

  it('registers a work-and-training service on the direct-services framework', async () => {
    const tenant = newTenant();
    await post(admin(tenant), '/frameworks/presets/direct-services', { effectiveFrom: '2026-04' });
    expect(
      (
        await post(admin(tenant), '/regions', {
          regionId: 'neath-port-talbot',
          name: 'Neath Port Talbot',
          regionalManagerId: 'rm-lee',
        })
      ).status,
    ).toBe(201);
    const registered = await post(admin(tenant), '/services', {
      serviceId: 'fresh-start',
      name: 'Fresh Start',
      regionId: 'neath-port-talbot',
      serviceType: 'work-and-training',
      frameworkId: 'direct-services',
      openedOn: '2017-04-01',
    });
    expect({ status: registered.status, body: registered.body }).toMatchObject({ status: 201 });
  });

  it("keeps the children's-homes route", async () => {
    const tenant = newTenant();
    expect(
      (
        await post(admin(tenant), '/frameworks/presets/childrens-homes', {
          effectiveFrom: '2026-04',
        })
      ).status,
    ).toBe(201);
    expect((await get(admin(tenant), '/frameworks/childrens-homes')).body.versions).toHaveLength(1);
  });

  it('answers 400 naming the field for an unknown preset, a bad month or a bad framework id', async () => {
    const tenant = newTenant();
    const unknown = await post(admin(tenant), '/frameworks/presets/vibes', {
      effectiveFrom: '2026-04',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'preset' })]);

    const badMonth = await post(admin(tenant), '/frameworks/presets/direct-services', {
      effectiveFrom: 'April',
    });
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.errors).toEqual([expect.objectContaining({ field: 'effectiveFrom' })]);

    const badId = await post(admin(tenant), '/frameworks/presets/direct-services', {
      effectiveFrom: '2026-04',
      frameworkId: 'Not An Id',
    });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'frameworkId' })]);
  });

  it('is for provider admins only', async () => {
    const manager = api.tokenFor({ tenantId: newTenant(), roles: ['regional-manager'] });
    expect(
      (await post(manager, '/frameworks/presets/direct-services', { effectiveFrom: '2026-04' }))
        .status,
    ).toBe(403);
  });
});
