import { eventStoreMigrations, migrate } from '@kpi/event-store';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import type { Pool } from 'pg';
import { recordAccess, type AccessEntry } from './access-log';
import { readAccessLog, type AccessLogParams } from './access-log.query';

let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('access_log');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
});
afterAll(() => database.drop());

const entry = (overrides: Partial<AccessEntry> = {}): AccessEntry => ({
  at: new Date('2026-05-12T09:30:00Z'),
  ownerTenantId: 'acme',
  reader: { tenantId: 'ofsted', userId: 'acc-inspector', roles: ['regulator'] },
  kind: 'audit-trail',
  subjectId: 'acme:monthly-return:ty-gwyn:2026-04',
  detail: 'events',
  grantId: 'grant-1',
  outcome: 'read',
  requestId: 'req-1',
  ...overrides,
});
const read = (tenantId: string, params: Partial<AccessLogParams> = {}) =>
  readAccessLog(pool, tenantId, { sides: ['owner'], limit: 100, offset: 0, ...params });

describe('the access log table (real PostgreSQL)', () => {
  it('keeps an entry as written', async () => {
    await recordAccess(pool, entry({ ownerTenantId: 'kept', requestId: 'req-kept' }));
    const { entries } = await read('kept');
    expect(entries).toEqual([
      {
        entryId: expect.any(Number),
        at: '2026-05-12T09:30:00.000Z',
        ownerTenantId: 'kept',
        readerTenantId: 'ofsted',
        readerUserId: 'acc-inspector',
        readerRoles: ['regulator'],
        kind: 'audit-trail',
        subjectId: 'acme:monthly-return:ty-gwyn:2026-04',
        detail: 'events',
        grantId: 'grant-1',
        outcome: 'read',
        requestId: 'req-kept',
      },
    ]);
  });

  it.each([
    ['UPDATE', "UPDATE access_log SET outcome = 'refused'"],
    ['DELETE', 'DELETE FROM access_log'],
    ['TRUNCATE', 'TRUNCATE access_log'],
  ])('refuses %s: it is append-only', async (operation, sql) => {
    await recordAccess(pool, entry({ ownerTenantId: 'append-only' }));
    await expect(pool.query(sql)).rejects.toMatchObject({
      code: '42501',
      message: `the access log is append-only: ${operation} on access_log is not allowed`,
    });
    expect((await read('append-only')).entries.length).toBeGreaterThan(0);
  });

  it('refuses a kind or an outcome it does not know', async () => {
    await expect(recordAccess(pool, entry({ kind: 'diary' as never }))).rejects.toThrow(/check/);
    await expect(recordAccess(pool, entry({ outcome: 'peeked' as never }))).rejects.toThrow(
      /check/,
    );
  });
});

describe('reading the access log', () => {
  beforeAll(async () => {
    const at = (day: string) => new Date(`${day}T11:00:00Z`);
    await recordAccess(
      pool,
      entry({
        ownerTenantId: 'bryn',
        at: at('2026-04-01'),
        subjectId: 'mgr-1',
        kind: 'capability-record',
        grantId: null,
        reader: { tenantId: 'bryn', userId: 'acc-hr', roles: ['hr'] },
      }),
    );
    await recordAccess(
      pool,
      entry({ ownerTenantId: 'bryn', at: at('2026-04-02'), subjectId: 'bryn:service:s1' }),
    );
    await recordAccess(
      pool,
      entry({
        ownerTenantId: 'bryn',
        at: at('2026-04-03'),
        subjectId: 'bryn:service:s2',
        outcome: 'refused',
      }),
    );
    await recordAccess(
      pool,
      entry({
        ownerTenantId: 'bryn',
        at: at('2026-04-04'),
        subjectId: 'bryn:service:s1',
        grantId: 'grant-2',
      }),
    );
    await recordAccess(
      pool,
      entry({
        ownerTenantId: 'someone-else',
        at: at('2026-04-05'),
        subjectId: 'someone-else:service:x',
      }),
    );
  });
  const subjects = (page: { entries: { subjectId: string }[] }) =>
    page.entries.map((e) => e.subjectId);

  it("shows an organisation the reads of its data, newest first, and nobody else's", async () => {
    expect(subjects(await read('bryn'))).toEqual([
      'bryn:service:s1',
      'bryn:service:s2',
      'bryn:service:s1',
      'mgr-1',
    ]);
  });

  it("shows a regulator its own people's reads under grants, on anyone's data", async () => {
    const page = await read('ofsted', { sides: ['grant-holder'] });
    expect(subjects(page)).toEqual(
      expect.arrayContaining(['someone-else:service:x', 'bryn:service:s1']),
    );
    expect(page.entries.every((e) => e.readerTenantId === 'ofsted' && e.grantId)).toBe(true);
  });

  it('filters by subject, kind, grant, outcome and days (London)', async () => {
    expect(subjects(await read('bryn', { subjectId: 'bryn:service:s1' }))).toEqual([
      'bryn:service:s1',
      'bryn:service:s1',
    ]);
    expect(subjects(await read('bryn', { kind: 'capability-record' }))).toEqual(['mgr-1']);
    expect(subjects(await read('bryn', { grantId: 'grant-2' }))).toEqual(['bryn:service:s1']);
    expect(subjects(await read('bryn', { outcome: 'refused' }))).toEqual(['bryn:service:s2']);
    expect(subjects(await read('bryn', { from: '2026-04-02', to: '2026-04-03' }))).toEqual([
      'bryn:service:s2',
      'bryn:service:s1',
    ]);
  });

  it('pages with limit and offset, saying where the next page starts', async () => {
    const first = await read('bryn', { limit: 3 });
    expect(first.nextOffset).toBe(3);
    const last = await read('bryn', { limit: 3, offset: 3 });
    expect(subjects(last)).toEqual(['mgr-1']);
    expect(last.nextOffset).toBeNull();
  });
});
