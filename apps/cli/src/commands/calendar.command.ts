import { randomUUID } from 'node:crypto';
import { addBankHoliday, removeBankHoliday } from '@kpi/features/calendar';
import { loadWorkingDayCalendar, type CommandContext } from '@kpi/command-handling';
import {
  londonDateOf,
  PLATFORM_TENANT_ID,
  streamIds,
  weekdayName,
  type BankHolidayAdded,
  type BankHolidayRemoved,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { loadEnvironment, openDatabase } from '@kpi/runtime';

/**
 * `cli calendar list|add|remove`: the England & Wales bank holidays every working-day deadline
 * counts with — the generated data file plus adjustments made here (a day proclaimed later, a
 * day wrong in the file), kept as events on the platform stream `platform:calendar:england-and-wales`.
 */
export async function calendarListCommand(options: { year?: number }): Promise<void> {
  await withStore(async (store) => {
    const year = options.year ?? Number(londonDateOf(new Date()).slice(0, 4));
    for (const line of await calendarLines(store, year)) console.log(line);
  });
}

export async function calendarAddCommand(
  date: string,
  name: string,
  options: { by: string },
): Promise<void> {
  await withStore(async (store) => {
    const outcome = await addBankHoliday(platformContext(store, options.by), { date, name });
    console.log(
      `${outcome.replayed ? 'already added' : 'added'}: ${date} ${name} (${outcome.streamId} v${outcome.streamVersion})`,
    );
  });
}

export async function calendarRemoveCommand(
  date: string,
  options: { reason: string; by: string },
): Promise<void> {
  await withStore(async (store) => {
    const outcome = await removeBankHoliday(platformContext(store, options.by), {
      date,
      reason: options.reason,
    });
    console.log(`removed: ${date} (${outcome.streamId} v${outcome.streamVersion})`);
  });
}

/**
 * One line per bank holiday of `year` in date order (`2026-04-03  Friday  Good Friday`), with
 * the adjustments made to the data file marked, days removed included.
 */
export async function calendarLines(store: EventStore, year: number): Promise<string[]> {
  const [calendar, adjustments] = await Promise.all([
    loadWorkingDayCalendar(store),
    store.readStream(streamIds.calendar()),
  ]);
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const notes = new Map<string, string>();
  for (const recorded of adjustments) {
    const event = { type: recorded.type, data: recorded.data } as
      BankHolidayAdded | BankHolidayRemoved;
    notes.set(
      event.data.date,
      event.type === 'BankHolidayAdded'
        ? `added by ${event.data.addedBy} on ${event.data.addedAt.slice(0, 10)}`
        : `removed by ${event.data.removedBy} on ${event.data.removedAt.slice(0, 10)}: ${event.data.reason}`,
    );
  }
  const rows = calendar.holidaysBetween(from, to).map((h) => ({ date: h.date, name: h.name }));
  for (const date of notes.keys()) {
    if (date >= from && date <= to && !calendar.isHoliday(date)) {
      rows.push({ date, name: '(not a bank holiday)' });
    }
  }
  rows.sort((a, b) => a.date.localeCompare(b.date));
  if (rows.length === 0) return [`no bank holidays known in ${year}`];
  return rows.map(({ date, name }) => {
    const note = notes.get(date);
    return `${date}  ${weekdayName(date).padEnd(9)}  ${name}${note ? `  [${note}]` : ''}`;
  });
}

/** The platform's context: tenant `platform`, the operator named by --by (else `system:cli`). */
export function platformContext(store: EventStore, by: string): CommandContext {
  const actor = /^(user|system):/.test(by) ? by : `user:${by}`;
  return {
    store,
    tenantId: PLATFORM_TENANT_ID,
    actor,
    correlationId: null,
    commandId: randomUUID(),
    now: new Date(),
  };
}

async function withStore(work: (store: EventStore) => Promise<void>): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    await work(store);
  } finally {
    await pool.end();
  }
}
