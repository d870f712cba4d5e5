import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { allMet } from '@kpi/testing';
import type { Response } from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../api/support/api-under-test';
import { startProjections, type ProjectionsInProcess } from '../api/support/worker-in-process';

/**
 * HR's pages over the capability procedure: managers by stage per region → a manager's
 * timeline (as of a date) → why an entry, with the chain-verified mark and the event ids.
 */
let api: ApiUnderTest;
let projections: ProjectionsInProcess;
beforeAll(async () => {
  api = await startApiUnderTest('hr_pages_e2e');
  projections = await startProjections(
    api.pool,
    new PostgresEventStore(api.pool, eventTypeRegistry()),
  );
});
afterAll(async () => {
  await projections?.stop();
  await api?.close();
});

const HTML = /^text\/html; charset=utf-8$/;
const MANAGER = 'mgr-siwan';
const HOME = 'plas-newydd';
const STAGE_3 = `${HOME}.EDU.2026-07.s3`;
const STAGES = '/app/capability';
const TIMELINE = `/app/capability/managers/${MANAGER}/timeline`;
const WHY = `${TIMELINE}/${STAGE_3}/why`;

/** Dates around now: the store records events at the real time, whatever the test clock says. */
const dayFromNow = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const TWO_DAYS_AGO = dayFromNow(-2);
const TOMORROW = dayFromNow(1);

const admin = (tenantId: string) => api.tokenFor({ tenantId, roles: ['provider-admin'] });
const hr = (tenantId: string) => api.tokenFor({ tenantId, roles: ['hr'], userId: 'user:hr-sam' });
const as = (tenantId: string, role: Role) => api.tokenFor({ tenantId, roles: [role] });

async function created(token: string, path: string, body: object, at?: string): Promise<void> {
  api.setNow(at ? new Date(at) : null);
  try {
    const response = await api.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
    expect({ path, status: response.status }).toEqual({ path, status: 201 });
  } finally {
    api.setNow(null);
  }
}

const getPage = (token: string, path: string, query: Record<string, string> = {}) =>
  api.http().get(path).query(query).set('Authorization', `Bearer ${token}`);

const expectPage = (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(HTML);
};

/** The rows of the table rows marked `data-<attribute>`, keyed by that attribute's value. */
function rowsBy(html: string, attribute: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of html.matchAll(
    new RegExp(`<tr[^>]*data-${attribute}="([^"]+)"[^>]*>([\\s\\S]*?)</tr>`, 'g'),
  )) {
    rows.set(
      match[1]!,
      match[2]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return rows;
}

/** The options of the page's region select, in order. */
function regionOptions(html: string): { value: string; text: string; selected: boolean }[] {
  const select = /<select[^>]*name="regionId"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].map(
    (match) => ({ value: match[1]!, text: match[3]!.trim(), selected: match[2] !== undefined }),
  );
}

/** plas-newydd, managed by mgr-siwan in North Wales, misses EDU from July to October 2026. */
async function seedStory(): Promise<string> {
  const tenant = `hr-${randomUUID().slice(0, 8)}`;
  await created(admin(tenant), '/regions', {
    regionId: 'north-wales',
    name: 'North Wales',
    regionalManagerId: 'rm-gwen',
  });
  await created(admin(tenant), '/regions', {
    regionId: 'south-wales',
    name: 'South Wales',
    regionalManagerId: 'rm-dai',
  });
  await created(
    admin(tenant),
    '/frameworks/presets/childrens-homes',
    { effectiveFrom: '2026-01' },
    '2025-12-01T09:00:00Z',
  );
  await created(admin(tenant), '/services', {
    serviceId: HOME,
    name: 'Plas Newydd',
    regionId: 'north-wales',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2026-01-01',
  });
  await created(admin(tenant), `/services/${HOME}/manager-appointments`, {
    managerId: MANAGER,
    from: '2026-01-01',
  });
  const rm = api.tokenFor({
    tenantId: tenant,
    roles: ['regional-manager'],
    userId: 'user:rm-gwen',
  });
  for (let month = 1; month <= 10; month++) {
    const period = `2026-${String(month).padStart(2, '0')}`;
    await created(
      rm,
      `/services/${HOME}/returns`,
      { period, values: { ...allMet, EDU: month >= 7 ? 70 : 93 } },
      `2026-${String(month + 1).padStart(2, '0')}-12T10:00:00Z`,
    );
  }
  await projections.caughtUp();
  return tenant;
}

describe('HR’s pages over the capability procedure', () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seedStory();
  });

  it('counts managers by stage per region and links each manager to their timeline', async () => {
    const page = await getPage(hr(tenant), STAGES);
    expectPage(page, 200);
    expect(page.text).toContain('Managers by capability stage');
    expect(page.text).toMatch(/data-region="north-wales">North Wales/);
    expect(page.text).toMatch(/data-region="south-wales">South Wales/);
    const north = /data-stage-counts="north-wales"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(
      page.text,
    )![1]!;
    expect(
      north
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ).toBe('0 0 1 1');
    expect(rowsBy(page.text, 'manager').get(MANAGER)).toBe(
      `${MANAGER} – timeline Stage 3 Review due Plas Newydd`,
    );
    expect(page.text).toContain(`href="${TIMELINE}"`);
    expect(page.text).toContain('No manager in South Wales is at a stage.');
  });

  it('shows one region, with each manager’s open stages, when the form chooses it', async () => {
    const page = await getPage(hr(tenant), STAGES, { regionId: 'north-wales' });
    expectPage(page, 200);
    expect(page.text).not.toContain('data-region="south-wales"');
    expect(rowsBy(page.text, 'manager').get(MANAGER)).toContain(
      'plas-newydd EDU: Stage 3, 4 missed',
    );
    const everyRegion = await getPage(hr(tenant), STAGES, { regionId: '' });
    expect(everyRegion.text).toContain('data-region="south-wales"');
  });

  it('offers the organisation’s regions in the region select, the chosen one selected', async () => {
    const page = await getPage(hr(tenant), STAGES, { regionId: 'south-wales' });
    expect(regionOptions(page.text)).toEqual([
      { value: '', text: 'Every region', selected: false },
      { value: 'north-wales', text: 'North Wales', selected: false },
      { value: 'south-wales', text: 'South Wales', selected: true },
    ]);
    expect(page.text).not.toMatch(/<input[^>]*name="regionId"/);
  });

  it('lists the timeline’s stages with their status in words and links each to its why', async () => {
    const page = await getPage(hr(tenant), TIMELINE);
    expectPage(page, 200);
    expect(page.text).toContain('As known now: 1 open stage.');
    const entries = rowsBy(page.text, 'entry');
    expect([...entries.keys()]).toEqual([
      `${HOME}.EDU.2026-07.s1`,
      `${HOME}.EDU.2026-07.s2`,
      STAGE_3,
    ]);
    expect(entries.get(STAGE_3)).toMatch(
      /^plas-newydd EDU Stage 3 .* 2026-07 to 2026-10 4 Open Review due No Why/,
    );
    expect(entries.get(`${HOME}.EDU.2026-07.s1`)).toContain('Escalated');
    expect(page.text).toContain(`href="${WHY}"`);
  });

  it('shows the timeline as it was known on the date the form gives, and carries it to why', async () => {
    const before = await getPage(hr(tenant), TIMELINE, { asOf: TWO_DAYS_AGO });
    expectPage(before, 200);
    expect(before.text).toContain(`As known at the end of ${TWO_DAYS_AGO}: 0 open stages.`);
    expect(before.text).toContain(`No stage had been entered by the end of ${TWO_DAYS_AGO}.`);
    expect(rowsBy(before.text, 'entry').size).toBe(0);

    const after = await getPage(hr(tenant), TIMELINE, { asOf: TOMORROW });
    expect(after.text).toContain(`As known at the end of ${TOMORROW}: 1 open stage.`);
    expect(rowsBy(after.text, 'entry').size).toBe(3);
    expect(after.text).toContain(`href="${WHY}?asOf=${TOMORROW}"`);
    const blank = await getPage(hr(tenant), TIMELINE, { asOf: '' });
    expect(blank.text).toContain('As known now');
  });

  it('answers why with the months, the chain-verified mark and the stored event ids', async () => {
    const page = await getPage(hr(tenant), WHY);
    expectPage(page, 200);
    expect(page.text).toContain(`Why is ${MANAGER} at Stage 3`);
    expect(page.text).toContain('EDU was missed 4 consecutive months');
    expect(page.text).toMatch(
      /govuk-tag--green">Chain verified<\/strong>\s+The hash chains of the 5 streams cited/,
    );
    const months = rowsBy(page.text, 'month');
    expect([...months.entries()]).toEqual(
      ['2026-07', '2026-08', '2026-09', '2026-10'].map((p) => [p, `${p} 70 90 75 Red missed 1`]),
    );
    const why = await api
      .http()
      .get(`/capability/managers/${MANAGER}/timeline/${STAGE_3}/why`)
      .set('Authorization', `Bearer ${hr(tenant)}`);
    const storedIds = [
      ...why.body.months.map((m: { countedFrom: { eventId: string } }) => m.countedFrom.eventId),
      ...why.body.stageChanges.map((c: { eventId: string }) => c.eventId),
    ];
    const shown = [...page.text.matchAll(/<code data-event-id>([^<]+)<\/code>/g)].map((m) => m[1]);
    expect(shown).toEqual(storedIds);
    expect(page.text).toContain(`href="${TIMELINE}"`);
  });

  it('answers why as it was known on a date, back to that timeline', async () => {
    // The stages were stored as the test ran: two days before, nothing was known of them.
    const before = await getPage(hr(tenant), WHY, { asOf: TWO_DAYS_AGO });
    expectPage(before, 404);
    const known = await getPage(hr(tenant), WHY, { asOf: TOMORROW });
    expectPage(known, 200);
    expect(known.text).toContain(`(as known at the end of ${TOMORROW})`);
    expect(known.text).toContain(`href="${TIMELINE}?asOf=${TOMORROW}"`);
  });

  it('gives the roles that may not read employment records the 403 page', async () => {
    for (const role of ROLES) {
      const allowed = ['regional-manager', 'hr', 'provider-admin', 'regulator'].includes(role);
      for (const path of [STAGES, TIMELINE, WHY]) {
        const page = await getPage(as(tenant, role), path);
        expectPage(page, allowed ? 200 : 403);
        if (!allowed) expect(page.text).toContain('You cannot open this page');
      }
    }
  });

  it('lets a home manager read their own timeline and why, and nobody else’s', async () => {
    const own = api.tokenFor({ tenantId: tenant, roles: ['home-manager'], managerId: MANAGER });
    for (const path of [TIMELINE, WHY]) expectPage(await getPage(own, path), 200);
    const timeline = await getPage(own, TIMELINE);
    expect(timeline.text).not.toContain(`href="${STAGES}"`);
    expect(timeline.text).toContain(`href="${WHY}"`);
    expectPage(await getPage(own, STAGES), 403);

    const someoneElse = api.tokenFor({
      tenantId: tenant,
      roles: ['home-manager'],
      managerId: 'mgr-other',
    });
    for (const path of [TIMELINE, WHY]) {
      const page = await getPage(someoneElse, path);
      expectPage(page, 403);
      expect(page.text).toContain('only your own capability record');
    }
    const start = await getPage(own, '/app');
    expect(start.text).toContain(`href="${TIMELINE}"`);
    expect(start.text).toContain('See your own capability record');
  });

  it('gives another tenant’s HR the 404 page for this manager and entry', async () => {
    const other = `other-${randomUUID().slice(0, 8)}`;
    for (const path of [TIMELINE, WHY]) {
      const page = await getPage(hr(other), path);
      expectPage(page, 404);
      expect(page.text).toContain('Page not found');
    }
    const unknownRegion = await getPage(hr(other), STAGES, { regionId: 'north-wales' });
    expectPage(unknownRegion, 404);
  });

  it('names who amended a return by the email of their account, beside their user id', async () => {
    const email = `rm-${randomUUID().slice(0, 8)}@example.org`;
    const invited = await api
      .http()
      .post('/accounts/invitations')
      .set('Authorization', `Bearer ${as(tenant, 'admin')}`)
      .send({ email, roles: ['regional-manager'] });
    expect(invited.status).toBe(201);
    const accountId = invited.body.accountId as string;
    const person = api.tokenFor({
      tenantId: tenant,
      roles: ['regional-manager'],
      userId: accountId,
    });
    const amended = await api
      .http()
      .post(`/services/${HOME}/returns/2026-10/amendments`)
      .set('Authorization', `Bearer ${person}`)
      .send({ values: { EDU: 71 }, reason: 'Attendance re-counted' });
    expect(amended.status).toBe(201);
    await projections.caughtUp();

    const page = await getPage(hr(tenant), WHY);
    expectPage(page, 200);
    expect(page.text).toContain(`${email} (${accountId})`);
    // Who is no account of the organisation stays as the trail records them.
    expect(page.text).toContain('user:rm-gwen');
  });

  it('answers a date that is not one with the 400 page naming the field', async () => {
    const page = await getPage(hr(tenant), TIMELINE, { asOf: '2026-13-01' });
    expectPage(page, 400);
    expect(page.text).toContain('asOf:');
  });
});

describe('the start page', () => {
  it('links HR to the capability pages, and not a commissioner', async () => {
    const tenant = `hr-${randomUUID().slice(0, 8)}`;
    expect((await getPage(hr(tenant), '/app')).text).toContain(`href="${STAGES}"`);
    expect((await getPage(as(tenant, 'commissioner'), '/app')).text).not.toContain(
      `href="${STAGES}"`,
    );
  });
});
