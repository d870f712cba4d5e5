import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * Evidence files over HTTP (docs/decisions/0040): uploaded as the body, listed and downloaded
 * by those who may read the record, refused to other roles (403) and unknown in other tenants
 * (404); a file of the wrong type or size refused with nothing written; a personal file gone
 * (410) once its subject is erased. The limit is set low here: 4 KiB.
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('evidence_e2e', { env: { EVIDENCE_MAX_BYTES: '4096' } });
});
afterAll(() => api?.close());

const as = (tenantId: string, role: Role) =>
  api.tokenFor({ tenantId, roles: [role], userId: `user:${role}` });

const HOME = 'ty-gwyn';
const PDF = Buffer.from('%PDF-1.7\nFire drill log, March 2026: all out in 2m40s.\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000', 'hex');

async function created(token: string, path: string, body: object) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response;
}

/** A tenant of its own with a home and a complaint about it. */
async function tenantWithComplaint(): Promise<{ tenant: string; complainant: string }> {
  const tenant = `ev-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await created(admin, '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(admin, '/services', {
    serviceId: HOME,
    name: 'Tŷ Gwyn',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-01-01',
  });
  const logged = await created(as(tenant, 'home-manager'), '/complaints', {
    complaintId: 'cmp-1',
    serviceId: HOME,
    receivedOn: '2026-04-02',
    category: 'communication',
    summary: 'Not told that the placement plan had changed.',
    complainant: { relationship: 'parent', name: 'Ceri Jones' },
  });
  return { tenant, complainant: (logged.body as { dataSubjectId: string }).dataSubjectId };
}

const EVIDENCE = '/complaints/cmp-1/evidence';

function upload(token: string, bytes: Buffer, type: string, path = EVIDENCE) {
  return api
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', type)
    .set('X-File-Name', encodeURIComponent('fire drill – March.pdf'))
    .send(bytes);
}

const get = (token: string, path: string) =>
  api
    .http()
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });

const json = (body: unknown) =>
  JSON.parse((body as Buffer).toString('utf8')) as Record<string, unknown>;

async function evidenceEvents(tenant: string) {
  return api.store.readStream(`${tenant}:evidence:complaint:cmp-1`);
}

describe('a file attached to a complaint', () => {
  let tenant: string;
  let evidenceId: string;
  let sha256: string;
  beforeAll(async () => {
    ({ tenant } = await tenantWithComplaint());
    const response = await upload(as(tenant, 'home-manager'), PDF, 'application/pdf');
    expect(response.status).toBe(201);
    ({ evidenceId, sha256 } = response.body as { evidenceId: string; sha256: string });
  });

  it('is listed for a reader of complaints', async () => {
    const response = await get(as(tenant, 'regional-manager'), EVIDENCE);
    expect(response.status).toBe(200);
    expect(json(response.body)).toEqual({
      attachedTo: { kind: 'complaint', complaintId: 'cmp-1' },
      files: [
        {
          evidenceId,
          sha256,
          size: PDF.length,
          mediaType: 'application/pdf',
          fileName: 'fire drill – March.pdf',
          personalData: null,
          attachedBy: 'user:home-manager',
          attachedAt: expect.any(String) as string,
        },
      ],
    });
  });

  it('is downloaded as uploaded, with its hash, and the download is in the access log', async () => {
    const response = await get(as(tenant, 'provider-admin'), `${EVIDENCE}/${evidenceId}`);
    expect(response.status).toBe(200);
    expect((response.body as Buffer).equals(PDF)).toBe(true);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('fire drill – March.pdf')}`,
    );
    expect(response.headers['repr-digest']).toBe(
      `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`,
    );
    const { rows } = await api.pool.query(
      `SELECT reader_user_id, subject_id, detail, outcome FROM access_log
        WHERE owner_tenant_id = $1 AND kind = 'evidence'`,
      [tenant],
    );
    expect(rows).toContainEqual({
      reader_user_id: 'user:provider-admin',
      subject_id: 'complaint:cmp-1',
      detail: `download ${evidenceId}`,
      outcome: 'read',
    });
  });

  it('is refused (403) to a role that may not read complaints', async () => {
    const commissioner = as(tenant, 'commissioner');
    expect((await get(commissioner, EVIDENCE)).status).toBe(403);
    expect((await get(commissioner, `${EVIDENCE}/${evidenceId}`)).status).toBe(403);
    expect((await upload(commissioner, PDF, 'application/pdf')).status).toBe(403);
  });

  it('does not exist (404) for another tenant', async () => {
    const { tenant: other } = await tenantWithComplaint();
    const theirs = as(other, 'provider-admin');
    const download = await get(theirs, `${EVIDENCE}/${evidenceId}`);
    expect(download.status).toBe(404);
    expect(download.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(json((await get(theirs, EVIDENCE)).body)).toMatchObject({ files: [] });
    const stranger = as(`nobody-${randomUUID().slice(0, 8)}`, 'provider-admin');
    expect((await get(stranger, EVIDENCE)).status).toBe(404);
  });

  it('is attached once when the upload is retried with the same Idempotency-Key', async () => {
    const { tenant: own } = await tenantWithComplaint();
    const retry = () =>
      upload(as(own, 'home-manager'), PDF, 'application/pdf').set('Idempotency-Key', 'upload-1');
    const first = await retry();
    const again = await retry();
    expect(first.status).toBe(201);
    expect(again.body).toEqual({ ...(first.body as object), replayed: true });
    expect(await evidenceEvents(own)).toHaveLength(1);
  });

  it('is refused a second time on the same complaint (409)', async () => {
    const again = await upload(as(tenant, 'home-manager'), PDF, 'application/octet-stream');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ evidenceId });
  });

  it('is detached, then neither listed nor downloadable', async () => {
    const { tenant: own } = await tenantWithComplaint();
    const manager = as(own, 'home-manager');
    const { body } = await upload(manager, PDF, 'application/pdf');
    const id = (body as { evidenceId: string }).evidenceId;
    const detached = await api
      .http()
      .post(`${EVIDENCE}/${id}/detachment`)
      .set('Authorization', `Bearer ${manager}`);
    expect(detached.status).toBe(201);
    expect(json((await get(manager, EVIDENCE)).body)).toMatchObject({ files: [] });
    expect((await get(manager, `${EVIDENCE}/${id}`)).status).toBe(404);
  });
});

describe('a file refused', () => {
  let tenant: string;
  beforeAll(async () => {
    ({ tenant } = await tenantWithComplaint());
  });

  it.each([
    ['a PNG sent as a PDF', 415, PNG, 'application/pdf', 'the bytes are image/png'],
    ['HTML', 415, Buffer.from('<html></html>'), 'text/html', 'text/html is not accepted'],
    ['a file over the limit', 413, Buffer.alloc(4097, 'a'), 'text/plain', '4096'],
    ['an empty file', 400, Buffer.alloc(0), 'application/pdf', 'the file is empty'],
  ])(
    '%s: %i naming the reason, and nothing written',
    async (_what, status, bytes, type, detail) => {
      const response = await upload(as(tenant, 'home-manager'), bytes, type);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(JSON.stringify(response.body)).toContain(detail);
      expect(await evidenceEvents(tenant)).toEqual([]);
      const { rows } = await api.pool.query(`SELECT 1 FROM evidence_files WHERE tenant_id = $1`, [
        tenant,
      ]);
      expect(rows).toEqual([]);
    },
  );
});

describe('a file holding personal data', () => {
  it('is unreadable (410) once its subject is erased; listed with the day', async () => {
    const { tenant, complainant } = await tenantWithComplaint();
    const response = await upload(
      as(tenant, 'home-manager'),
      PDF,
      'application/pdf',
      `${EVIDENCE}?personalData=true`,
    );
    expect(response.body).toMatchObject({ dataSubjectId: complainant });
    const { evidenceId } = response.body as { evidenceId: string };
    expect((await get(as(tenant, 'provider-admin'), `${EVIDENCE}/${evidenceId}`)).status).toBe(200);
    await created(as(tenant, 'data-protection'), `/data-subjects/${complainant}/erasure`, {
      reason: 'consent-withdrawn',
    });
    const gone = await get(as(tenant, 'provider-admin'), `${EVIDENCE}/${evidenceId}`);
    expect(gone.status).toBe(410);
    expect(json((await get(as(tenant, 'provider-admin'), EVIDENCE)).body)).toMatchObject({
      files: [
        {
          evidenceId,
          fileName: { erasedOn: expect.any(String) as string },
          personalData: { dataSubjectId: complainant, erasedOn: expect.any(String) as string },
        },
      ],
    });
  });
});

describe('files attached to the other kinds of record', () => {
  let tenant: string;
  beforeAll(async () => {
    ({ tenant } = await tenantWithComplaint());
  });

  it.each([
    // [record, path, who attaches, who reads, who may not]
    [
      'a monthly return',
      `/services/${HOME}/returns/2026-03/evidence`,
      'regional-manager',
      'commissioner',
      'data-protection',
    ],
    [
      'a capability review',
      '/capability-reviews/rev-2026-07/evidence',
      'hr',
      'regulator',
      'home-manager',
    ],
    ['an action', '/actions/act-0007/evidence', 'home-manager', 'regulator', 'commissioner'],
  ] as const)(
    '%s: attached, listed and downloaded by those entitled',
    async (_record, path, attacher, reader, other) => {
      const attached = await upload(as(tenant, attacher), PDF, 'application/pdf', path);
      expect(attached.status).toBe(201);
      const { evidenceId } = attached.body as { evidenceId: string };
      expect(json((await get(as(tenant, reader), path)).body)).toMatchObject({
        files: [{ evidenceId, mediaType: 'application/pdf' }],
      });
      const download = await get(as(tenant, reader), `${path}/${evidenceId}`);
      expect((download.body as Buffer).equals(PDF)).toBe(true);
      expect((await get(as(tenant, other), `${path}/${evidenceId}`)).status).toBe(403);
      expect((await upload(as(tenant, other), PDF, 'application/pdf', path)).status).toBe(403);
    },
  );

  it('refuses a file for a service the organisation does not have (404), storing nothing', async () => {
    const response = await upload(
      as(tenant, 'regional-manager'),
      PDF,
      'application/pdf',
      '/services/no-such-home/returns/2026-03/evidence',
    );
    expect(response.status).toBe(404);
    expect(
      await api.store.readStream(`${tenant}:evidence:monthly-return:no-such-home:2026-03`),
    ).toEqual([]);
  });

  it('names a bad month in the path (400)', async () => {
    const response = await get(
      as(tenant, 'regional-manager'),
      `/services/${HOME}/returns/2026-13/evidence`,
    );
    expect(response.status).toBe(400);
  });
});
