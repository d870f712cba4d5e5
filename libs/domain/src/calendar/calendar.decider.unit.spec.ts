import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import { foldEvents } from '../shared/decider';
import type { AddBankHoliday, RemoveBankHoliday } from './calendar.commands';
import { calendarDecider, calendarDeciderFrom } from './calendar.decider';
import type { BankHolidayAdded, BankHolidayRemoved } from './calendar.events';

const decider = calendarDeciderFrom([
  { date: '2026-05-04', name: 'Early May bank holiday' },
  { date: '2026-05-25', name: 'Spring bank holiday' },
]);
const spec = deciderSpecification(decider);
const now = new Date('2026-03-02T10:00:00Z');

const add = (data: Partial<AddBankHoliday['data']> = {}): AddBankHoliday => ({
  type: 'AddBankHoliday',
  data: { date: '2026-06-05', name: 'A jubilee', addedBy: 'system:cli', now, ...data },
});
const remove = (data: Partial<RemoveBankHoliday['data']> = {}): RemoveBankHoliday => ({
  type: 'RemoveBankHoliday',
  data: {
    date: '2026-05-25',
    reason: 'Moved by proclamation to 5 June',
    removedBy: 'system:cli',
    now,
    ...data,
  },
});
const added: BankHolidayAdded = {
  type: 'BankHolidayAdded',
  data: {
    date: '2026-06-05',
    name: 'A jubilee',
    addedBy: 'system:cli',
    addedAt: now.toISOString(),
  },
};
const removed: BankHolidayRemoved = {
  type: 'BankHolidayRemoved',
  data: {
    date: '2026-05-25',
    reason: 'Moved by proclamation to 5 June',
    removedBy: 'system:cli',
    removedAt: now.toISOString(),
  },
};

describe('the platform bank-holiday calendar', () => {
  describe('when a day is proclaimed a bank holiday', () => {
    it('adds it', () => {
      spec.given([]).when(add()).then([added]);
    });

    it('counts it in the calendar in force', () => {
      const calendar = foldEvents(decider, [added]);
      expect(calendar.isWorkingDay('2026-06-05')).toBe(false);
      expect(calendar.addWorkingDays('2026-06-04', 1)).toBe('2026-06-08');
    });

    it('refuses a day that is already one, naming it', () => {
      spec
        .given([])
        .when(add({ date: '2026-05-04' }))
        .thenThrows(ConflictError, '2026-05-04 is already a bank holiday (Early May bank holiday)');
      spec.given([added]).when(add()).thenThrows(ConflictError, 'already a bank holiday');
    });

    it('refuses a weekend day: its substitute weekday is the bank holiday', () => {
      spec
        .given([])
        .when(add({ date: '2026-06-06' }))
        .thenThrows(InvalidCommandError, 'date: is a Saturday');
      spec
        .given([])
        .when(add({ date: '2026-06-07' }))
        .thenThrows(InvalidCommandError, 'date: is a Sunday');
    });

    it.each([
      [{ date: '2026-02-30' }, 'date: must be a date written YYYY-MM-DD'],
      [{ date: '5 June 2026' }, 'date: must be a date written YYYY-MM-DD'],
      [{ date: undefined }, 'date: must be a date written YYYY-MM-DD'],
      [{ name: '  ' }, 'name: is required'],
      [{ name: 'x'.repeat(201) }, 'name: is required: 1 to 200 characters'],
    ])('refuses %j', (data, message) => {
      spec.given([]).when(add(data)).thenThrows(InvalidCommandError, message);
    });
  });

  describe('when a day is no longer a bank holiday', () => {
    it('removes a day of the data file', () => {
      spec.given([]).when(remove()).then([removed]);
      expect(foldEvents(decider, [removed]).isWorkingDay('2026-05-25')).toBe(true);
    });

    it('removes a day added before', () => {
      spec
        .given([added])
        .when(remove({ date: '2026-06-05' }))
        .thenEvents(([event]) => expect(event).toMatchObject({ data: { date: '2026-06-05' } }));
    });

    it('refuses a day that is not a bank holiday, also one removed already', () => {
      spec
        .given([])
        .when(remove({ date: '2026-05-26' }))
        .thenThrows(NotFoundError, '2026-05-26 is not a bank holiday');
      spec.given([removed]).when(remove()).thenThrows(NotFoundError, 'is not a bank holiday');
    });

    it('can be added back after it was removed', () => {
      spec
        .given([removed])
        .when(add({ date: '2026-05-25', name: 'Spring bank holiday' }))
        .thenEvents(([event]) => expect(event?.type).toBe('BankHolidayAdded'));
    });

    it.each([
      [{ reason: '' }, 'reason: is required'],
      [{ date: '2026-13-01' }, 'date: must be a date'],
    ])('refuses %j', (data, message) => {
      spec.given([]).when(remove(data)).thenThrows(InvalidCommandError, message);
    });
  });

  it('starts from the England & Wales data file', () => {
    const calendar = calendarDecider.initialState();
    expect(calendar.holidayOn('2026-04-03')?.name).toBe('Good Friday');
    expect(calendar.addWorkingDays('2026-04-02', 15)).toBe('2026-04-27');
  });
});
