import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { allMet } from '@kpi/testing';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

/**
 * A return's evidence in the pages (docs/decisions/0040), without JavaScript: the file upload
 * form (multipart, its CSRF token checked from the form), the list with download links, a file
 * refused named on the page with nothing stored, and who may attach.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('return_evidence_pages_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const as = (tenantId: string, role: Role, userId = `user:${role}-1`) =>
  api.tokenFor({ tenantId, roles: [role], userId });
const PAGE = '/app/services/ty-gwyn/returns/2026-09/evidence';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');

async function created(token: string, path: string, body: object) {
  const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  expect({ path, status: response.status }).toMatchObject({ status: 201 });
}

/** A provider with ty-gwyn and its September return. */
async function providerWithReturn(): Promise<string> {
  const tenant = `rev-${randomUUID().slice(0, 8)}`;
  const admin = as(tenant, 'provider-admin');
  await created(admin, '/regions', { regionId: 'north', name: 'North', regionalManagerId: 'rm-1' });
  await created(admin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2025-01' });
  await created(admin, '/services', {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
  });
  await created(as(tenant, 'regional-manager', 'user:rm-1'), '/services/ty-gwyn/returns', {
    period: '2026-09',
    values: allMet,
  });
  await projections.caughtUp();
  return tenant;
}

/** The page, its CSRF token, form key and cookies. */
async function open(token: string) {
  const page = await api.http().get(PAGE).set('Authorization', `Bearer ${token}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const formKey = /name="_formKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  return { page, csrf, formKey, cookies };
}

async function upload(
  token: string,
  file: { bytes: Buffer; fileName: string; type: string } | null,
  { csrf, personal = false }: { csrf?: string; personal?: boolean } = {},
) {
  const opened = await open(token);
  let request = api
    .http()
    .post(PAGE)
    .set('Authorization', `Bearer ${token}`)
    .set('Cookie', opened.cookies)
    .field('_csrf', csrf ?? opened.csrf)
    .field('_formKey', opened.formKey);
  if (personal) request = request.field('personalData', 'yes');
  return file
    ? request.attach('file', file.bytes, { filename: file.fileName, contentType: file.type })
    : request.attach('file', Buffer.alloc(0), {
        filename: '',
        contentType: 'application/octet-stream',
      });
}

const filesStored = async (tenant: string) =>
  (
    await api.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1 AND type = 'EvidenceAttached'",
      [`${tenant}:evidence:%`],
    )
  ).rows[0]!.n;

describe("a return's evidence page", () => {
  it('attaches a file through the form and lists it with its download link', async () => {
    const tenant = await providerWithReturn();
    const rm = as(tenant, 'regional-manager', 'user:rm-1');
    const first = await open(rm);
    expect(first.page.status).toBe(200);
    expect(first.page.text).toContain('No files attached yet.');
    expect(first.page.text).toContain('enctype="multipart/form-data"');

    const attached = await upload(rm, {
      bytes: PDF,
      fileName: 'education letters.pdf',
      type: 'application/pdf',
    });
    expect(attached.status).toBe(303);
    expect(attached.headers.location).toBe(PAGE);
    expect(await filesStored(tenant)).toBe(1);
    const after = await open(rm);
    const link =
      /href="(\/services\/ty-gwyn\/returns\/2026-09\/evidence\/[^"]+)" download>education letters.pdf</.exec(
        after.page.text,
      );
    expect(link).not.toBeNull();
    const download = await api.http().get(link![1]!).set('Authorization', `Bearer ${rm}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(download.body as Buffer)).toEqual(PDF);
    const history = await api
      .http()
      .get('/app/services/ty-gwyn/returns/2026-09')
      .set('Authorization', `Bearer ${rm}`);
    expect(history.text).toContain(`href="${PAGE}"`);
  });

  it('names a refused file on the page and stores nothing: none chosen, a type its bytes do not bear out', async () => {
    const tenant = await providerWithReturn();
    const rm = as(tenant, 'regional-manager', 'user:rm-1');
    const none = await upload(rm, null);
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose a file to attach');
    const fake = await upload(rm, {
      bytes: Buffer.from('MZ\x90\x00 not a pdf at all'),
      fileName: 'report.pdf',
      type: 'application/pdf',
    });
    expect(fake.status).toBe(415);
    expect(fake.text).toContain('There is a problem');
    expect(fake.text).toContain('href="#file"');
    expect(await filesStored(tenant)).toBe(0);
  });

  it('refuses a form without its CSRF token (403), and those who may not attach (403)', async () => {
    const tenant = await providerWithReturn();
    const rm = as(tenant, 'regional-manager', 'user:rm-1');
    const forged = await upload(
      rm,
      { bytes: PDF, fileName: 'x.pdf', type: 'application/pdf' },
      { csrf: 'forged' },
    );
    expect(forged.status).toBe(403);
    const opened = await open(rm);
    const notMultipart = await api
      .http()
      .post(PAGE)
      .set('Authorization', `Bearer ${rm}`)
      .set('Cookie', opened.cookies)
      .set('Content-Type', 'application/pdf')
      .send(PDF);
    expect(notMultipart.status).toBe(400);
    const regulator = as(tenant, 'regulator');
    const readOnly = await open(regulator);
    expect(readOnly.page.status).toBe(200);
    expect(readOnly.page.text).not.toContain('Attach the file');
    const refused = await api
      .http()
      .post(PAGE)
      .set('Authorization', `Bearer ${regulator}`)
      .attach('file', PDF, { filename: 'x.pdf', contentType: 'application/pdf' });
    expect(refused.status).toBe(403);
    expect(await filesStored(tenant)).toBe(0);
  });
});
