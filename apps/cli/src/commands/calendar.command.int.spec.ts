import { addBankHoliday, removeBankHoliday } from '@kpi/features/calendar';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, type TestDatabase } from '@kpi/testing';
import { calendarLines, platformContext } from './calendar.command';

let database: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  database = await createTestDatabase('calendar_cli');
  const pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
});
afterAll(() => database.drop());

describe('cli calendar list', () => {
  it("lists a year's bank holidays with the adjustments marked, days removed included", async () => {
    await addBankHoliday(platformContext(store, 'ops-ada'), {
      date: '2026-06-05',
      name: 'A jubilee',
    });
    await removeBankHoliday(platformContext(store, 'system:cli'), {
      date: '2026-05-25',
      reason: 'Moved to 5 June',
    });
    const lines = await calendarLines(store, 2026);
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe("2026-01-01  Thursday   New Year's Day");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^2026-05-25 {2}Monday {5}\(not a bank holiday\) {2}\[removed by system:cli on \d{4}-\d\d-\d\d: Moved to 5 June\]$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^2026-06-05 {2}Friday {5}A jubilee {2}\[added by user:ops-ada on /),
    );
    expect(await calendarLines(store, 2050)).toEqual(['no bank holidays known in 2050']);
  });
});
