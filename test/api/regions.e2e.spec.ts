import { randomUUID } from 'node:crypto';
import { KPI_READERS, ROLES, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('regions_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const token = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });
const newTenant = () => `regions-${randomUUID().slice(0, 8)}`;

async function region(tenantId: string, regionId: string, name: string, regionalManagerId: string) {
  const response = await api
    .http()
    .post('/regions')
    .set('Authorization', `Bearer ${token(tenantId, 'provider-admin')}`)
    .send({ regionId, name, regionalManagerId });
  expect(response.status).toBe(201);
}

const listed = (tenantId: string, role: Role = 'regulator') =>
  api
    .http()
    .get('/regions')
    .set('Authorization', `Bearer ${token(tenantId, role)}`);

describe('GET /regions', () => {
  it("lists the caller's organisation's regions by name, with their regional managers", async () => {
    const tenant = newTenant();
    const other = newTenant();
    await region(tenant, 'south-wales', 'South Wales', 'rm-dai');
    await region(tenant, 'north-wales', 'North Wales', 'rm-gwen');
    await region(other, 'borders', 'Borders', 'rm-ian');
    await projections.caughtUp();

    const response = await listed(tenant);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      { regionId: 'north-wales', name: 'North Wales', regionalManagerId: 'rm-gwen' },
      { regionId: 'south-wales', name: 'South Wales', regionalManagerId: 'rm-dai' },
    ]);
    expect((await listed(newTenant())).body).toEqual([]);
  });

  it('answers every KPI reader of the tenant, refuses the account admin (403) and no token (401)', async () => {
    const tenant = newTenant();
    for (const role of ROLES) {
      const status = KPI_READERS.includes(role) ? 200 : 403;
      expect({ role, status: (await listed(tenant, role)).status }).toEqual({ role, status });
    }
    const anonymous = await api.http().get('/regions');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('is documented behind the bearer scheme, with an example', async () => {
    const { body: document } = await api.http().get('/api/docs-json');
    const operation = document.paths['/regions'].get;
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(operation.responses['200'].content['application/json'].schema).toMatchObject({
      type: 'array',
    });
    expect(document.components.schemas.RegionDto.properties.regionId.example).toBe('north-wales');
    expect(operation.responses['403'].content['application/problem+json'].example).toBeDefined();
  });
});
