import { createHash, randomUUID } from 'node:crypto';
import { PROBLEM_JSON, startApiUnderTest, type ApiUnderTest } from './support/api-under-test';

/**
 * Notifications over HTTP (docs/decisions/0036): a person's own list, their email preference,
 * marking read; the admin's bounced addresses. The rows are written as the notification
 * reactor writes them (its own specs show it doing so).
 */
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest('notifications_e2e');
});
afterAll(async () => {
  await api?.close();
});

const tenant = `notify-${randomUUID().slice(0, 8)}`;
const bearer = (
  userId: string,
  roles: Parameters<ApiUnderTest['tokenFor']>[0]['roles'],
  tenantId = tenant,
) => `Bearer ${api.tokenFor({ tenantId, roles, userId })}`;

async function delivery(accountId: string, subject: string, occurredAt: string) {
  const eventId = randomUUID();
  await api.pool.query(
    `INSERT INTO notification_deliveries
       (tenant_id, account_id, notification_id, source_event_id, source_tenant_id, kind, subject,
        facts, link, occurred_at, created_at, status)
     VALUES ($1, $2, $3, $4, $1, 'return-overdue', $5, $6, '/app/returns-due', $7, now(), 'sent')`,
    [
      tenant,
      accountId,
      `return-overdue~${eventId}`,
      eventId,
      subject,
      { Service: 'home-01' },
      occurredAt,
    ],
  );
  return `return-overdue~${eventId}`;
}

describe('a person’s notifications', () => {
  it('lists their own, newest first, with the unread count; nobody else’s', async () => {
    const older = await delivery(
      'acc-gwen',
      'The October 2026 return of home-01 is overdue',
      '2026-11-21T00:00:01Z',
    );
    const newer = await delivery(
      'acc-gwen',
      'The November 2026 return of home-01 is overdue',
      '2026-12-21T00:00:01Z',
    );
    await delivery('acc-tom', 'Someone else’s', '2026-12-22T00:00:01Z');

    const mine = await api
      .http()
      .get('/me/notifications')
      .set('Authorization', bearer('acc-gwen', ['regional-manager']));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ unread: 2, mode: 'immediate' });
    expect(
      mine.body.notifications.map((n: { notificationId: string }) => n.notificationId),
    ).toEqual([newer, older]);
    expect(mine.body.notifications[0]).toMatchObject({
      facts: { Service: 'home-01' },
      link: '/app/returns-due',
      read: false,
      email: { status: 'sent' },
    });

    // The same user id in another organisation is another person.
    const elsewhere = await api
      .http()
      .get('/me/notifications')
      .set('Authorization', bearer('acc-gwen', ['regional-manager'], 'other-tenant'));
    expect(elsewhere.body).toMatchObject({ unread: 0, notifications: [] });
    expect((await api.http().get('/me/notifications')).status).toBe(401);
  });

  it('marks them read: named ones, then all', async () => {
    const first = await delivery('acc-ann', 'One', '2026-11-21T00:00:01Z');
    await delivery('acc-ann', 'Two', '2026-11-22T00:00:01Z');
    const auth = bearer('acc-ann', ['hr']);
    const one = await api
      .http()
      .post('/me/notifications/read')
      .set('Authorization', auth)
      .send({ notificationIds: [first] });
    expect(one.body).toEqual({ marked: 1, unread: 1 });
    const all = await api.http().post('/me/notifications/read').set('Authorization', auth).send({});
    expect(all.body).toEqual({ marked: 1, unread: 0 });
    const bad = await api
      .http()
      .post('/me/notifications/read')
      .set('Authorization', auth)
      .send({ notificationIds: 'all' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('keeps their choice of immediate or daily-digest email; anything else is a 400 naming the field', async () => {
    const auth = bearer('acc-priya', ['home-manager']);
    const bad = await api
      .http()
      .put('/me/notification-preference')
      .set('Authorization', auth)
      .send({ mode: 'weekly' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('mode');
    const { rows } = await api.pool.query(
      'SELECT 1 FROM notification_preferences WHERE account_id = $1',
      ['acc-priya'],
    );
    expect(rows).toEqual([]);

    const set = await api
      .http()
      .put('/me/notification-preference')
      .set('Authorization', auth)
      .send({ mode: 'daily-digest' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ mode: 'daily-digest' });
    const mine = await api.http().get('/me/notifications').set('Authorization', auth);
    expect(mine.body.mode).toBe('daily-digest');
  });
});

describe('bounced addresses', () => {
  it('are shown to the organisation’s admins (403 for others), and cleared by them (404 when none)', async () => {
    const email = 'gone@notify.example';
    await api.pool.query(
      `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
       VALUES ($1, 'acc-gone', $2, ARRAY['hr'], NULL, 'active', now(), now())`,
      [tenant, email],
    );
    await api.pool.query(
      `INSERT INTO notification_bounces (tenant_id, account_id, email_sha256, smtp_code, smtp_response, bounced_at)
       VALUES ($1, 'acc-gone', $2, 550, '5.1.1 Mailbox unavailable', now())`,
      [tenant, createHash('sha256').update(email).digest('hex')],
    );
    const admin = bearer('acc-admin', ['admin']);
    expect(
      (
        await api
          .http()
          .get('/notifications/bounces')
          .set('Authorization', bearer('acc-hr', ['hr']))
      ).status,
    ).toBe(403);
    const listed = await api.http().get('/notifications/bounces').set('Authorization', admin);
    expect(listed.body).toEqual([
      expect.objectContaining({ accountId: 'acc-gone', email, smtpCode: 550, held: 0 }),
    ]);
    const cleared = await api
      .http()
      .post('/notifications/bounces/acc-gone/clearance')
      .set('Authorization', admin);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ cleared: 1 });
    expect(
      (await api.http().get('/notifications/bounces').set('Authorization', admin)).body,
    ).toEqual([]);
    const again = await api
      .http()
      .post('/notifications/bounces/acc-gone/clearance')
      .set('Authorization', admin);
    expect(again.status).toBe(404);
  });
});

describe('the notifications page', () => {
  it('lists the person’s notifications and offers the choice of email; a form without its CSRF token is refused', async () => {
    await delivery(
      'acc-page',
      'The October 2026 return of home-02 is overdue',
      '2026-11-21T00:00:01Z',
    );
    const page = await api
      .http()
      .get('/app/notifications')
      .set('Authorization', bearer('acc-page', ['regional-manager']));
    expect(page.status).toBe(200);
    expect(page.text).toContain('The October 2026 return of home-02 is overdue');
    expect(page.text).toContain('1 unread notification.');
    expect(page.text).toContain('Notifications (1 unread)');
    expect(page.text).toContain('value="daily-digest"');
    const refused = await api
      .http()
      .post('/app/notifications/preference')
      .set('Authorization', bearer('acc-page', ['regional-manager']))
      .type('form')
      .send({ mode: 'daily-digest' });
    expect(refused.status).toBe(403);
  });
});

/** A page with a form: its CSRF token, and the cookie holding the token's secret. */
async function openForm(authorization: string, path: string) {
  const page = await api.http().get(path).set('Authorization', authorization);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  const cookies = [page.headers['set-cookie'] ?? []].flat().map((c: string) => c.split(';')[0]!);
  expect(csrf).toBeDefined();
  return { page, csrf: csrf!, cookies };
}

const postForm = (
  authorization: string,
  path: string,
  cookies: string[],
  form: [string, string][],
) =>
  api
    .http()
    .post(path)
    .set('Authorization', authorization)
    .set('Cookie', cookies)
    .type('form')
    .send(new URLSearchParams(form).toString());

describe('the pages’ forms', () => {
  it('save the choice of a daily digest, refuse a choice that is none (400, the error named), and mark all read', async () => {
    await delivery(
      'acc-forms',
      'The October 2026 return of home-03 is overdue',
      '2026-11-21T00:00:01Z',
    );
    const auth = bearer('acc-forms', ['regional-manager']);
    const { csrf, cookies } = await openForm(auth, '/app/notifications');
    const bad = await postForm(auth, '/app/notifications/preference', cookies, [
      ['_csrf', csrf],
      ['mode', 'weekly'],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Choose at once or a daily digest');
    const saved = await postForm(auth, '/app/notifications/preference', cookies, [
      ['_csrf', csrf],
      ['mode', 'daily-digest'],
    ]);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/app/notifications?saved=preference');
    const read = await postForm(auth, '/app/notifications/read', cookies, [['_csrf', csrf]]);
    expect(read.status).toBe(303);
    const mine = await api.http().get('/me/notifications').set('Authorization', auth);
    expect(mine.body).toMatchObject({ unread: 0, mode: 'daily-digest' });
  });

  it('the people page marks an address that bounced, and its admin clears it there', async () => {
    const email = 'bounced-page@notify.example';
    await api.pool.query(
      `INSERT INTO accounts (tenant_id, account_id, email, roles, manager_id, status, invited_at, updated_at)
       VALUES ($1, 'acc-bounced-page', $2, ARRAY['hr'], NULL, 'active', now(), now())`,
      [tenant, email],
    );
    await api.pool.query(
      `INSERT INTO notification_bounces (tenant_id, account_id, email_sha256, smtp_code, smtp_response, bounced_at)
       VALUES ($1, 'acc-bounced-page', $2, 550, '5.1.1 Mailbox unavailable', now())`,
      [tenant, createHash('sha256').update(email).digest('hex')],
    );
    const admin = bearer('acc-admin', ['admin']);
    const { page, csrf, cookies } = await openForm(admin, '/app/people');
    const row = /<tr class="govuk-table__row" data-account="acc-bounced-page">[\s\S]*?<\/tr>/.exec(
      page.text,
    )?.[0];
    expect(row).toContain('Email bounced');
    const cleared = await postForm(
      admin,
      '/app/people/acc-bounced-page/bounce-clearance',
      cookies,
      [['_csrf', csrf]],
    );
    expect(cleared.status).toBe(303);
    const after = await api.http().get('/app/people').set('Authorization', admin);
    expect(after.text).not.toContain('Email bounced');
  });
});
