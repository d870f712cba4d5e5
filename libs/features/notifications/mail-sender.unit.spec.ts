import { emailSha256, outcomeOf, stableMessageId } from './mail-sender';
import { digestEmail, notificationEmail } from './notification-email';
import { deliveryJob, digestJob } from './notification-jobs';

const smtpError = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.response ?? 'failed')), fields);

describe('what a failed send means', () => {
  it('a 5xx refusal of the recipient is a bounce', () => {
    expect(
      outcomeOf(
        smtpError({
          code: 'EENVELOPE',
          command: 'RCPT TO',
          responseCode: 550,
          response: '550 5.1.1 unknown',
        }),
      ),
    ).toEqual({ kind: 'rejected', code: 550, response: '550 5.1.1 unknown' });
  });

  it('a 4xx for the message is deferred: that message is tried again', () => {
    expect(
      outcomeOf(
        smtpError({
          code: 'EENVELOPE',
          command: 'RCPT TO',
          responseCode: 452,
          response: '452 mailbox full',
        }),
      ),
    ).toMatchObject({ kind: 'deferred', code: 452 });
  });

  it('no server (refused, reset, timed out) or 421 (closing) is the server away: every send waits', () => {
    for (const error of [
      smtpError({ code: 'ECONNECTION', response: 'connect ECONNREFUSED 127.0.0.1:2525' }),
      smtpError({ code: 'ETIMEDOUT' }),
      smtpError({ code: 'ESOCKET' }),
      smtpError({ code: 'EPROTOCOL', responseCode: 421, response: '421 shutting down' }),
    ]) {
      expect(outcomeOf(error).kind).toBe('unavailable');
    }
  });
});

describe('Message-IDs and bounced addresses', () => {
  it('the same delivery always gets the same Message-ID, at the From’s domain; another delivery another', () => {
    const from = 'KPI ledger <notifications@kpi.example.org>';
    const id = stableMessageId(from, 'delivery', 'acme', 'acc-1', 'return-overdue~e1');
    expect(id).toMatch(/^<[0-9a-f]{40}@kpi\.example\.org>$/);
    expect(stableMessageId(from, 'delivery', 'acme', 'acc-1', 'return-overdue~e1')).toBe(id);
    expect(stableMessageId(from, 'delivery', 'acme', 'acc-2', 'return-overdue~e1')).not.toBe(id);
  });

  it('a bounce remembers a hash of the address, whatever its case', () => {
    expect(emailSha256(' Gwen@Example.org ')).toBe(emailSha256('gwen@example.org'));
    expect(emailSha256('gwen@example.org')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the emails', () => {
  const notification = {
    subject: 'The October 2026 return of home-01 is overdue: it was due by 20 November 2026',
    facts: { Service: 'home-01', Month: 'October 2026' },
    link: '/app/returns-due',
  };

  it('one notification: its subject, facts and link, and where to change how it comes', () => {
    const email = notificationEmail(notification, { baseUrl: 'https://kpi.example.org' });
    expect(email.subject).toBe(notification.subject);
    expect(email.text).toContain('Service: home-01\nMonth: October 2026');
    expect(email.text).toContain('Open: https://kpi.example.org/app/returns-due');
    expect(email.text).toContain('https://kpi.example.org/app/notifications');
  });

  it('a digest: how many, then each, numbered', () => {
    const email = digestEmail([notification, { ...notification, link: null }], '2026-11-22', {});
    expect(email.subject).toBe('KPI ledger: 2 notifications (2026-11-22)');
    expect(email.text).toContain(`1. ${notification.subject}`);
    expect(email.text).toContain(`2. ${notification.subject}`);
  });
});

describe('job ids', () => {
  const now = new Date('2026-11-21T00:00:00.000Z');

  it('a delivery’s job id is its row’s key (no `:`, which BullMQ refuses), so adding it again adds nothing', () => {
    const key = { tenantId: 'acme', accountId: 'acc-1', notificationId: 'deadline-missed~e:1' };
    expect(deliveryJob(key, now).opts.jobId).toBe('deliver~acme~acc-1~deadline-missed~e_1');
    expect(deliveryJob(key, now).opts.jobId).toBe(deliveryJob(key, new Date()).opts.jobId);
  });

  it('a digest’s is the person and the day', () => {
    expect(
      digestJob({ tenantId: 'acme', accountId: 'acc-1', digestDay: '2026-11-22' }, now).opts.jobId,
    ).toBe('digest~acme~acc-1~2026-11-22');
  });
});
