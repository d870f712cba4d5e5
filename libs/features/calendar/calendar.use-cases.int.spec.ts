import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidCommandError, NotFoundError } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, type TestDatabase } from '@kpi/testing';
import { loadWorkingDayCalendar, type CommandContext } from '@kpi/command-handling';
import { addBankHoliday, removeBankHoliday } from './calendar.use-cases';
import { logComplaint } from '@kpi/features/complaints';
import { PersonalDataVault } from '@kpi/personal-data';
import { registerOrganisation, registerRegion, registerService } from '@kpi/features/organisation';

/**
 * The platform calendar stream is one per database, so each test gets a database of its own
 * (no test sees another's adjustments).
 */
let database: TestDatabase;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeEach(async () => {
  database = await createTestDatabase('calendar');
  const pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, Buffer.alloc(32, 1).toString('base64'));
});
afterEach(() => database.drop());

const now = new Date('2026-03-02T10:00:00Z');
const context = (tenantId = 'platform', actor = 'system:cli'): CommandContext => ({
  store,
  tenantId,
  actor,
  correlationId: null,
  commandId: randomUUID(),
  now,
});

describe('the bank-holiday calendar through the use cases (real PostgreSQL)', () => {
  it('is the data file until an adjustment is made', async () => {
    const calendar = await loadWorkingDayCalendar(store);
    expect(calendar.holidayOn('2026-04-03')?.name).toBe('Good Friday');
    expect(calendar.addWorkingDays('2026-04-02', 15)).toBe('2026-04-27');
  });

  it('counts a day added, and no more a day removed, in the order they were made', async () => {
    await addBankHoliday(context(), { date: '2026-04-14', name: 'A one-off holiday' });
    let calendar = await loadWorkingDayCalendar(store);
    expect(calendar.isWorkingDay('2026-04-14')).toBe(false);
    expect(calendar.addWorkingDays('2026-04-02', 15)).toBe('2026-04-28');

    await removeBankHoliday(context(), { date: '2026-04-06', reason: 'Wrong in the data file' });
    calendar = await loadWorkingDayCalendar(store);
    expect(calendar.isWorkingDay('2026-04-06')).toBe(true);
    expect(calendar.addWorkingDays('2026-04-02', 15)).toBe('2026-04-27');

    await removeBankHoliday(context(), { date: '2026-04-14', reason: 'Cancelled' });
    await addBankHoliday(context(), { date: '2026-04-06', name: 'Easter Monday' });
    calendar = await loadWorkingDayCalendar(store);
    expect(calendar.isWorkingDay('2026-04-14')).toBe(true);
    expect(calendar.holidayOn('2026-04-06')?.name).toBe('Easter Monday');
    expect(calendar.addWorkingDays('2026-04-02', 15)).toBe('2026-04-27');
  });

  it('keeps the adjustments on the platform stream, with who made them', async () => {
    await addBankHoliday(context('platform', 'user:ops-ada'), {
      date: '2026-06-05',
      name: 'A jubilee',
    });
    const [stored] = await store.readStream('platform:calendar:england-and-wales');
    expect(stored).toMatchObject({
      type: 'BankHolidayAdded',
      metadata: { tenantId: 'platform', actor: 'user:ops-ada' },
      data: {
        date: '2026-06-05',
        name: 'A jubilee',
        addedBy: 'user:ops-ada',
        addedAt: now.toISOString(),
      },
    });
  });

  it('refuses a weekend, a day that already is one, and removing a day that is not', async () => {
    await expect(
      addBankHoliday(context(), { date: '2026-06-06', name: 'Saturday' }),
    ).rejects.toThrow(InvalidCommandError);
    await expect(
      addBankHoliday(context(), { date: '2026-12-25', name: 'Christmas Day' }),
    ).rejects.toThrow(ConflictError);
    await expect(removeBankHoliday(context(), { date: '2026-06-09', reason: 'x' })).rejects.toThrow(
      NotFoundError,
    );
    expect(await store.readStream('platform:calendar:england-and-wales')).toEqual([]);
  });

  it("is changed as the platform only, never in a tenant's context", async () => {
    await expect(
      addBankHoliday(context('acme', 'user:admin'), { date: '2026-06-05', name: 'x' }),
    ).rejects.toThrow('tenant "platform" only');
  });

  it('reserves the tenant id "platform": no organisation may register under it', async () => {
    await expect(
      registerOrganisation(context('platform', 'user:admin'), {
        name: 'Platform',
        kind: 'provider',
      }),
    ).rejects.toThrow(InvalidCommandError);
    expect(await store.readStream('platform:organisation')).toEqual([]);
  });

  it('gives complaints logged after an adjustment the new due dates, and leaves earlier ones be', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const admin = context(tenant, 'user:admin');
    await registerRegion(admin, {
      regionId: id('north'),
      name: 'North',
      regionalManagerId: id('rm-1'),
    });
    await registerService(admin, {
      serviceId: id('home-1'),
      name: 'Home 1',
      regionId: id('north'),
      serviceType: 'childrens-home',
      frameworkId: id('childrens-homes'),
      openedOn: '2024-01-01',
    });
    const complaintOn = async (complaintId: string) => {
      const outcome = await logComplaint(
        { ...context(tenant, 'user:mgr-1'), now: new Date('2026-04-10T10:00:00Z') },
        vault,
        {
          complaintId: id(complaintId),
          serviceId: id('home-1'),
          receivedOn: '2026-04-02',
          category: 'other',
          summary: 'A complaint',
        },
      );
      return outcome; // the complaint as logged, with its due dates
    };
    expect(await complaintOn('before')).toMatchObject({
      acknowledgementDueOn: '2026-04-07',
      responseDueOn: '2026-04-27',
    });
    await addBankHoliday(context(), { date: '2026-04-07', name: 'A one-off holiday' });
    expect(await complaintOn('after')).toMatchObject({
      acknowledgementDueOn: '2026-04-08',
      responseDueOn: '2026-04-28',
    });
    const [before] = await store.readStream(`${tenant}:complaint:before`);
    expect(before!.data).toMatchObject({ responseDueOn: '2026-04-27' });
  });
});
