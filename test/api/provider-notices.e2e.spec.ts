import type { Role } from '@kpi/domain';
import {
  CARE_FRAMEWORK,
  frameworkPath,
  startCareFrameworkApi,
  uniqueId,
  type CareFrameworkApi,
} from './support/care-framework-fixtures';
import { PROBLEM_JSON } from './support/api-under-test';

/**
 * Providers' notifications to the council and hand-back notices over HTTP (docs/decisions/0041):
 * the provider holding a package tells the council (lateness worked out), the council reads it
 * with its texts and acknowledges it, counts per provider come as JSON and CSV, and a package
 * given notice on is listed as pending for seven days. A provider sees only its own.
 */
const NOW = new Date('2026-04-07T10:00:00Z'); // Tuesday after Easter
let env: CareFrameworkApi;
const council = uniqueId('southwark');
const [bright, kindly] = [uniqueId('bright'), uniqueId('kindly')];
const base = `/councils/${council}`;

const as = (tenantId: string, role: Role = 'provider-admin') => env.as(tenantId, role);
const post = (token: string, path: string, body: object = {}) =>
  env.api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);

beforeAll(async () => {
  env = await startCareFrameworkApi('provider_notices_e2e', NOW);
  await env.registerOrganisations([
    [council, 'council'],
    [bright, 'provider'],
    [kindly, 'provider'],
  ]);
  await env.establishFramework(council, [bright, kindly]);
  const referred = await post(as(council, 'commissioner'), `${frameworkPath(council)}/packages`, {
    packageId: 'pkg-1',
    hoursPerWeek: 10,
    outcomes: 'Personal care before school.',
    startDate: '2026-05-18',
    urgent: false,
  });
  expect(referred.status).toBe(201);
  expect((await post(as(bright), `${base}/care-packages/pkg-1/accept`)).status).toBe(200);
});
afterAll(() => env?.stop());

describe('a provider’s notification', () => {
  let notificationId: string;

  it('is logged by the provider holding the package, with by when the council had to be told', async () => {
    const response = await post(
      as(bright, 'home-manager'),
      `${base}/care-packages/pkg-1/notifications`,
      {
        kind: 'hospital-admission',
        // Maundy Thursday: the next working day is Tuesday (Good Friday, Easter Monday).
        occurredAt: '2026-04-02T18:00:00+01:00',
        serviceUser: 'Rhys, 9',
        details: 'Admitted after a fall at home; evening calls suspended.',
      },
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      kind: 'hospital-admission',
      dueBy: '2026-04-07T23:00:00.000Z',
      late: false,
    });
    notificationId = (response.body as { notificationId: string }).notificationId;
  });

  it('is refused to another provider on the framework (409) and to the council’s roles (403)', async () => {
    const body = { kind: 'death', occurredAt: '2026-04-06T10:00:00Z', details: 'x' };
    const other = await post(as(kindly), `${base}/care-packages/pkg-1/notifications`, body);
    expect(other.status).toBe(409);
    expect(other.headers['content-type']).toMatch(PROBLEM_JSON);
    const byCouncil = await post(
      as(council, 'commissioner'),
      `${base}/care-packages/pkg-1/notifications`,
      body,
    );
    expect(byCouncil.status).toBe(403);
  });

  it('names every bad field at once (400), storing nothing', async () => {
    const stored = async () =>
      Number(
        (
          await env.api.pool.query(`SELECT count(*) FROM events WHERE stream_id LIKE $1`, [
            `${council}:provider-notification:%`,
          ])
        ).rows[0].count,
      );
    const before = await stored();
    const response = await post(as(bright), `${base}/care-packages/pkg-1/notifications`, {
      kind: 'fire',
      occurredAt: 'yesterday',
      details: '',
    });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'kind',
      'occurredAt',
      'details',
    ]);
    expect(await stored()).toBe(before);
  });

  it('is read by the council with its texts, in the access log; not by another provider', async () => {
    const path = `${base}/provider-notifications/${notificationId}`;
    const read = await env.get(as(council, 'commissioner'), path);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      providerId: bright,
      serviceUser: 'Rhys, 9',
      details: 'Admitted after a fall at home; evening calls suspended.',
      acknowledgedAt: null,
    });
    expect((await env.get(as(kindly), path)).status).toBe(404);
    const { rows } = await env.api.pool.query(
      `SELECT outcome FROM access_log WHERE kind = 'provider-notification' AND subject_id = $1`,
      [notificationId],
    );
    expect(rows.map((r: { outcome: string }) => r.outcome).sort()).toEqual(['read', 'refused']);
  });

  it('is acknowledged by the council once', async () => {
    const path = `${base}/provider-notifications/${notificationId}/acknowledgement`;
    // A provider's provider-admin passes the role check; the notification is not its to acknowledge.
    expect((await post(as(bright), path)).status).toBe(404);
    expect((await post(as(council, 'commissioner'), path)).status).toBe(201);
    expect((await post(as(council, 'commissioner'), path)).status).toBe(409);
  });

  it('is counted per provider in its quarter, as JSON and CSV; a provider sees its own', async () => {
    await env.projections.caughtUp();
    const quarter = { quarter: '2026-27 Q1' };
    const counts = await env.get(
      as(council, 'commissioner'),
      `${base}/provider-notifications/counts`,
      quarter,
    );
    expect(counts.body).toEqual({
      councilId: council,
      quarter: '2026-27 Q1',
      providers: [
        {
          providerId: bright,
          total: 1,
          byKind: {
            'refused-entry': 0,
            'hospital-admission': 1,
            'safeguarding-concern': 0,
            'missed-call': 0,
            death: 0,
          },
          late: 0,
          unacknowledged: 0,
        },
      ],
    });
    const csv = await env.get(
      as(council, 'commissioner'),
      `${base}/provider-notifications/counts.csv`,
      quarter,
    );
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
      '\uFEFFquarter,provider_id,total,refused_entry,hospital_admission,safeguarding_concern,missed_call,death,late,unacknowledged',
      `2026-27 Q1,${bright},1,0,1,0,0,0,0,0`,
    ]);
    const theirs = await env.get(as(kindly), `${base}/provider-notifications`, quarter);
    expect(theirs.body).toMatchObject({ notifications: [] });
  });
});

describe('a hand-back notice (§51)', () => {
  it('keeps the package the provider’s for seven days, listed as pending for the council', async () => {
    const path = `${base}/care-packages/pkg-1/hand-back-notice`;
    expect((await post(as(kindly), path, { reason: 'Not ours' })).status).toBe(409);
    const given = await post(as(bright), path, { reason: 'We cannot staff the evening calls.' });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({
      packageId: 'pkg-1',
      noticeGivenAt: NOW.toISOString(),
      handBackAt: '2026-04-14T10:00:00.000Z',
    });
    expect((await post(as(bright), path, { reason: 'Again' })).status).toBe(409);
    await env.projections.caughtUp();
    const pending = await env.get(as(council, 'commissioner'), `${base}/hand-back-notices`);
    expect(pending.body).toEqual({
      councilId: council,
      notices: [
        {
          packageId: 'pkg-1',
          frameworkId: CARE_FRAMEWORK,
          providerId: bright,
          noticeGivenAt: NOW.toISOString(),
          handBackAt: '2026-04-14T10:00:00.000Z',
          status: 'notice-pending',
        },
      ],
    });
    env.api.setNow(new Date('2026-04-14T10:00:00Z'));
    try {
      const after = await env.get(as(council, 'commissioner'), `${base}/hand-back-notices`);
      expect(after.body).toMatchObject({ notices: [] });
      const all = await env.get(as(council, 'commissioner'), `${base}/hand-back-notices`, {
        pending: 'false',
      });
      expect(all.body).toMatchObject({ notices: [{ status: 'handed-back' }] });
    } finally {
      env.api.setNow(NOW);
    }
  });
});
