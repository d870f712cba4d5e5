import { randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import { Workbook } from 'exceljs';
import type { Response } from 'supertest';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/**
 * Follow-through over HTTP (docs/decisions/0037, 0038): with sign-off on, a return sent back by
 * its verifier is amended, verified and published, and only then reaches the quarterly report;
 * the report shows the commentary beside the figure (API and CSV) and the audited share.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('sign_off_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const HOME = 'plas-newydd';
const RM = 'user:rm-gwen';
const OFFICER = 'user:po-sian';
const SENT_BACK = 'EDU does not match the school attendance register for Sam Jones';
const HAPPENED = 'Two young people were excluded in April';
const DOING = 'Tutoring arranged; a meeting with the school on 3 May';

const as = (tenantId: string, role: Role, userId = `user:${role}-1`) =>
  api.tokenFor({ tenantId, roles: [role], userId });

async function at(moment: string, request: () => Promise<Response>): Promise<Response> {
  api.setNow(new Date(moment));
  try {
    return await request();
  } finally {
    api.setNow(null);
  }
}
const post = (token: string, path: string, body: object = {}, moment = '2026-05-12T10:00:00Z') =>
  at(moment, () => api.http().post(path).set('Authorization', `Bearer ${token}`).send(body));
const put = (token: string, path: string, body: object) =>
  at('2026-05-01T09:00:00Z', () =>
    api.http().put(path).set('Authorization', `Bearer ${token}`).send(body),
  );
const get = (token: string, path: string, query: object = {}) =>
  at('2026-07-10T09:00:00Z', () =>
    api.http().get(path).query(query).set('Authorization', `Bearer ${token}`),
  );
const ok = (response: Response, status = 200) => {
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
  return response;
};

let tenant: string;
let admin: string;
let rm: string;
let officer: string;

beforeAll(async () => {
  tenant = `so-${randomUUID().slice(0, 8)}`;
  admin = as(tenant, 'provider-admin', 'user:admin-ann');
  rm = as(tenant, 'regional-manager', RM);
  officer = as(tenant, 'performance-officer', OFFICER);
  const before = '2026-01-05T09:00:00Z';
  ok(
    await post(
      admin,
      '/regions',
      { regionId: 'north', name: 'North', regionalManagerId: 'rm-gwen' },
      before,
    ),
    201,
  );
  ok(
    await post(admin, '/frameworks/presets/childrens-homes', { effectiveFrom: '2026-01' }, before),
    201,
  );
  ok(
    await post(
      admin,
      '/services',
      {
        serviceId: HOME,
        name: 'Plas Newydd',
        regionId: 'north',
        serviceType: 'childrens-home',
        frameworkId: 'childrens-homes',
        openedOn: '2026-01-01',
      },
      before,
    ),
    201,
  );
});

const quarterly = async () => {
  await projections.caughtUp();
  return ok(
    await get(as(tenant, 'commissioner'), '/reports/quarterly', {
      quarter: '2026-27 Q1',
      detail: 'months',
    }),
  ).body as {
    services: {
      lines: {
        code: string;
        months: { period: string; value: unknown }[];
        commentary?: { whatHappened: string; whatIsBeingDone: string; version: number };
      }[];
    }[];
    total: { code: string; commentary?: { whatHappened: string } }[];
    dataQuality: Record<string, number | null>;
  };
};
const aprilEdu = async () =>
  (await quarterly()).services[0]?.lines.find((l) => l.code === 'EDU')?.months[0]?.value ?? null;

describe('sign-off, audits and commentary over HTTP', () => {
  it('turns sign-off on: only the provider admin may', async () => {
    expect((await put(rm, '/sign-off', { on: true })).status).toBe(403);
    const bad = await put(admin, '/sign-off', { on: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'on' })]);
    expect(ok(await put(admin, '/sign-off', { on: true })).body).toMatchObject({
      on: true,
      unchanged: false,
    });
    expect(ok(await get(rm, '/sign-off')).body).toMatchObject({ on: true, by: 'user:admin-ann' });
  });

  it('a return sent back by the verifier is amended, verified and published, then reported', async () => {
    const returns = `/services/${HOME}/returns`;
    const submitted = ok(
      await post(rm, returns, { period: '2026-04', values: { ...allMet, EDU: 70 } }),
      201,
    );
    expect(submitted.body).toMatchObject({ signOff: 'submitted' });
    expect(await aprilEdu()).toBeNull(); // not published: not in the report
    expect(ok(await get(officer, '/returns-to-verify')).body.returns).toMatchObject([
      { serviceId: HOME, period: '2026-04', signOff: 'submitted' },
    ]);

    // Sending back needs a reason: 400 naming it, nothing written.
    const noReason = await post(officer, `${returns}/2026-04/sending-back`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    const sentBack = ok(
      await post(officer, `${returns}/2026-04/sending-back`, { reason: SENT_BACK }),
    );
    expect(sentBack.body).toMatchObject({ signOff: 'sent-back', amendmentNumber: 0 });
    expect((await post(officer, `${returns}/2026-04/verification`)).status).toBe(409);

    const amended = ok(
      await post(
        rm,
        `${returns}/2026-04/amendments`,
        { values: { EDU: 93 }, reason: 'Register recounted' },
        '2026-05-13T10:00:00Z',
      ),
      201,
    );
    expect(amended.body).toMatchObject({ signOff: 'submitted', amendments: 1 });
    // Whoever gave the figures does not verify them; a home manager may not at all.
    expect((await post(rm, `${returns}/2026-04/verification`)).status).toBe(403);
    expect((await post(as(tenant, 'home-manager'), `${returns}/2026-04/verification`)).status).toBe(
      403,
    );
    expect((await post(admin, `${returns}/2026-04/publication`)).status).toBe(409);
    ok(await post(officer, `${returns}/2026-04/verification`));
    expect(await aprilEdu()).toBeNull(); // verified is not yet published
    const published = ok(await post(admin, `${returns}/2026-04/publication`));
    expect(published.body).toMatchObject({ signOff: 'published', publishedAmendment: 1 });
    expect(await aprilEdu()).toBe(93);

    const history = ok(await get(as(tenant, 'hr'), `${returns}/2026-04`)).body;
    expect(history.signOff).toMatchObject({
      stage: 'published',
      publishedAmendment: 1,
      steps: [
        { kind: 'sent-back', by: OFFICER, reason: SENT_BACK },
        { kind: 'verified', by: OFFICER, amendmentNumber: 1 },
        { kind: 'published', by: 'user:admin-ann', amendmentNumber: 1 },
      ],
    });
  });

  it('shows the commentary beside the figure, the latest version, in the API and the CSV', async () => {
    const write = (token: string, body: object) =>
      post(token, '/commentary', { indicatorCode: 'EDU', period: '2026-27 Q1', ...body });
    ok(
      await write(rm, {
        serviceId: HOME,
        whatHappened: 'First draft',
        whatIsBeingDone: 'To follow',
      }),
      201,
    );
    const revised = ok(
      await write(rm, { serviceId: HOME, whatHappened: HAPPENED, whatIsBeingDone: DOING }),
      201,
    );
    expect(revised.body).toMatchObject({ version: 2 });
    ok(
      await write(officer, {
        whatHappened: 'Education dipped across the region in April',
        whatIsBeingDone: 'Reviewed with every home',
      }),
      201,
    );
    const bad = await write(rm, {
      serviceId: HOME,
      period: '2026 Q1',
      whatHappened: 'x',
      whatIsBeingDone: 'y',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'period' })]);

    const report = await quarterly();
    const edu = report.services[0]!.lines.find((l) => l.code === 'EDU')!;
    expect(edu.commentary).toMatchObject({
      whatHappened: HAPPENED,
      whatIsBeingDone: DOING,
      version: 2,
    });
    expect(report.total.find((l) => l.code === 'EDU')!.commentary).toMatchObject({
      whatHappened: 'Education dipped across the region in April',
    });
    const versions = ok(
      await get(rm, '/commentary', { serviceId: HOME, indicatorCode: 'EDU', period: '2026-27 Q1' }),
    ).body.versions as { whatHappened: string }[];
    expect(versions.map((v) => v.whatHappened)).toEqual(['First draft', HAPPENED]);

    const csv = await get(as(tenant, 'commissioner'), '/reports/quarterly.csv', {
      quarter: '2026-27 Q1',
    });
    const [header, ...rows] = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header!.endsWith(',commentary')).toBe(true);
    expect(rows.find((r) => r.startsWith(`${HOME},Plas Newydd,north,EDU,`))).toContain(
      `What happened: ${HAPPENED} — What is being done: ${DOING}`,
    );
  });

  it('an audit of the month: a chosen sample, the return found corrected, the audited share reported', async () => {
    const drawn = ok(
      await post(officer, '/data-quality-audits', {
        auditId: 'audit-2026-04',
        period: '2026-04',
        chosen: [HOME],
      }),
      201,
    );
    expect(drawn.body).toMatchObject({ method: 'chosen', sample: [HOME], population: [HOME] });
    const random = ok(
      await post(officer, '/data-quality-audits', {
        auditId: 'audit-random',
        period: '2026-04',
        random: { size: 1, seed: 'fixed-seed' },
      }),
      201,
    );
    expect(random.body).toMatchObject({ seed: 'fixed-seed', sample: [HOME] });
    expect((await post(officer, '/data-quality-audits', { period: '2026-04' })).status).toBe(400);

    const history = ok(await get(rm, `/services/${HOME}/returns/2026-04`)).body;
    const amendmentEventId = history.history[1].eventId as string;
    const finding = ok(
      await post(officer, '/data-quality-audits/audit-2026-04/findings', {
        serviceId: HOME,
        finding: 'corrected',
        amendmentEventId,
        checked: 'School attendance register, April',
      }),
      201,
    );
    expect(finding.body).toMatchObject({ finding: 'corrected', amendmentEventId });
    expect(
      (
        await post(officer, '/data-quality-audits/audit-2026-04/findings', {
          serviceId: HOME,
          finding: 'confirmed',
          checked: 'again',
        })
      ).status,
    ).toBe(409);
    const audit = ok(await get(as(tenant, 'regulator'), '/data-quality-audits/audit-2026-04')).body;
    expect(audit.returns).toMatchObject([
      { serviceId: HOME, finding: 'corrected', checked: 'School attendance register, April' },
    ]);

    expect((await quarterly()).dataQuality).toEqual({
      returns: 1,
      audited: 1,
      auditedShare: 100,
      confirmed: 0,
      corrected: 1,
      queried: 0,
      confirmedShare: 0,
    });
    const csv = await get(as(tenant, 'commissioner'), '/reports/quarterly.csv', {
      quarter: '2026-27 Q1',
    });
    expect(csv.text).toContain(',All services,,AUDITED,Returns audited (data quality),percentage,');

    // The workbook: a Data quality sheet, and the commentary beside the quarter.
    const xlsx = await at('2026-07-10T09:00:00Z', () =>
      api
        .http()
        .get('/reports/quarterly.xlsx')
        .query({ quarter: '2026-27 Q1' })
        .set('Authorization', `Bearer ${as(tenant, 'commissioner')}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        }),
    );
    expect(xlsx.status).toBe(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.body);
    const quality: unknown[][] = [];
    workbook
      .getWorksheet('Data quality')!
      .eachRow((r) => quality.push((r.values as unknown[]).slice(1)));
    expect(quality).toContainEqual(['Audited share (%)', 100]);
    expect(quality).toContainEqual(['Corrected by amendment', 1]);
    const sheet = workbook.getWorksheet('Quarterly report')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const commentaryColumn = headers.indexOf('Commentary') + 1;
    expect(commentaryColumn).toBeGreaterThan(0);
    const commentaries: unknown[] = [];
    sheet.eachRow((row) => commentaries.push(row.getCell(commentaryColumn).value));
    expect(commentaries).toContain(`What happened: ${HAPPENED} — What is being done: ${DOING}`);

    // The report's page: the audited share, and the commentary beside the figure.
    await projections.caughtUp();
    const page = await get(as(tenant, 'commissioner'), '/app/reports/quarterly', {
      quarter: '2026-27 Q1',
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '1 of 1 returns audited (100 %): 0 confirmed, 1 corrected by amendment, 0 queried.',
    );
    expect(page.text).toMatch(
      /data-commentary="EDU"[\s\S]*What happened: Two young people were excluded in April/,
    );
  });
});
