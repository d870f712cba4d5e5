import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './bank-holidays';
import { isWeekend, WorkingDayCalendar } from './working-day-calendar';

const calendar = WorkingDayCalendar.of(ENGLAND_AND_WALES_BANK_HOLIDAYS);
const namesIn = (year: number) =>
  calendar.holidaysBetween(`${year}-01-01`, `${year}-12-31`).map((h) => `${h.date} ${h.name}`);

describe('the England & Wales bank holidays', () => {
  it.each([
    // [year, Good Friday, Easter Monday]
    [2000, '2000-04-21', '2000-04-24'],
    [2008, '2008-03-21', '2008-03-24'],
    [2011, '2011-04-22', '2011-04-25'],
    [2019, '2019-04-19', '2019-04-22'],
    [2024, '2024-03-29', '2024-04-01'],
    [2025, '2025-04-18', '2025-04-21'],
    [2026, '2026-04-03', '2026-04-06'],
    [2038, '2038-04-23', '2038-04-26'],
  ])('has Good Friday and Easter Monday of %i', (_year, goodFriday, easterMonday) => {
    expect(calendar.holidayOn(goodFriday)?.name).toBe('Good Friday');
    expect(calendar.holidayOn(easterMonday)?.name).toBe('Easter Monday');
    expect(calendar.isWorkingDay(goodFriday)).toBe(false);
    expect(calendar.isWorkingDay(easterMonday)).toBe(false);
  });

  describe('when Christmas or Boxing Day falls on a weekend', () => {
    it('moves Boxing Day 2020 (a Saturday) to Monday 28 December', () => {
      expect(namesIn(2020).filter((n) => n.startsWith('2020-12'))).toEqual([
        '2020-12-25 Christmas Day',
        '2020-12-28 Boxing Day (substitute day)',
      ]);
    });

    it('moves both in 2021 (Saturday and Sunday) to Monday 27 and Tuesday 28 December', () => {
      expect(namesIn(2021).filter((n) => n.startsWith('2021-12'))).toEqual([
        '2021-12-27 Christmas Day (substitute day)',
        '2021-12-28 Boxing Day (substitute day)',
      ]);
      expect(calendar.isWorkingDay('2021-12-29')).toBe(true);
    });

    it('moves Christmas Day 2022 (a Sunday) to Tuesday 27 December, after Boxing Day', () => {
      expect(namesIn(2022).filter((n) => n.startsWith('2022-12'))).toEqual([
        '2022-12-26 Boxing Day',
        '2022-12-27 Christmas Day (substitute day)',
      ]);
    });

    it("moves New Year's Day 2022 (a Saturday) to Monday 3 January", () => {
      expect(calendar.holidayOn('2022-01-03')?.name).toBe("New Year's Day (substitute day)");
    });
  });

  it('lists no day that falls on a weekend (the substitute day is the bank holiday)', () => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => isWeekend(h.date))).toEqual([]);
  });

  it('has the one-off days of 2022: spring bank holiday moved, the Platinum Jubilee, the State Funeral', () => {
    expect(namesIn(2022)).toEqual([
      "2022-01-03 New Year's Day (substitute day)",
      '2022-04-15 Good Friday',
      '2022-04-18 Easter Monday',
      '2022-05-02 Early May bank holiday',
      '2022-06-02 Spring bank holiday',
      '2022-06-03 Queen’s Platinum Jubilee',
      '2022-08-29 Summer bank holiday',
      "2022-09-19 Queen Elizabeth's Funeral Day",
      '2022-12-26 Boxing Day',
      '2022-12-27 Christmas Day (substitute day)',
    ]);
    expect(calendar.isWorkingDay('2022-05-30')).toBe(true); // the usual last Monday of May
  });

  it('has the Coronation, Monday 8 May 2023, besides the early May bank holiday', () => {
    expect(calendar.holidayOn('2023-05-08')?.name).toBe("King Charles III's Coronation");
    expect(calendar.holidayOn('2023-05-01')?.name).toBe('Early May bank holiday');
  });

  it('has the early May bank holiday of 2020 on VE Day, Friday 8 May, not Monday 4 May', () => {
    expect(calendar.isHoliday('2020-05-08')).toBe(true);
    expect(calendar.isWorkingDay('2020-05-04')).toBe(true);
  });

  it('has the jubilees of 2002 and 2012 and the royal wedding of 2011 (which date-holidays misses)', () => {
    expect(calendar.holidaysBetween('2002-05-20', '2002-06-10').map((h) => h.date)).toEqual([
      '2002-06-03',
      '2002-06-04',
    ]);
    expect(calendar.isHoliday('2011-04-29')).toBe(true);
    expect(calendar.holidaysBetween('2012-05-20', '2012-06-10').map((h) => h.date)).toEqual([
      '2012-06-04',
      '2012-06-05',
    ]);
  });

  it('covers every year from 2000 to 2040 with at least 8 days', () => {
    for (let year = 2000; year <= 2040; year++) {
      expect({ year, enough: namesIn(year).length >= 8 }).toEqual({ year, enough: true });
    }
  });
});

describe('counting working days', () => {
  it('skips Good Friday and Easter Monday: Thursday 2026-04-02 + 15 working days = 2026-04-27', () => {
    expect(calendar.addWorkingDays('2026-04-02', 15)).toBe('2026-04-27');
    expect(calendar.addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
    expect(calendar.workingDaysBefore('2026-04-27', 15)).toBe('2026-04-02');
  });

  it('never counts the start day, even when it is a working day', () => {
    expect(calendar.addWorkingDays('2026-06-10', 1)).toBe('2026-06-11');
    expect(calendar.workingDaysBefore('2026-06-10', 1)).toBe('2026-06-09');
  });

  it('steps over weekends', () => {
    expect(calendar.addWorkingDays('2026-06-12', 1)).toBe('2026-06-15'); // Friday → Monday
    expect(calendar.addWorkingDays('2026-06-13', 1)).toBe('2026-06-15'); // Saturday → Monday
    expect(calendar.addWorkingDays('2026-06-12', 5)).toBe('2026-06-19');
    expect(calendar.workingDaysBefore('2026-06-15', 1)).toBe('2026-06-12');
    expect(calendar.workingDaysBefore('2026-06-14', 1)).toBe('2026-06-12'); // Sunday → Friday
  });

  it('steps over Christmas, Boxing Day and New Year across the year end', () => {
    // 2026: Christmas Friday, Boxing Day Saturday → Monday 28; New Year's Day Friday 2027.
    expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(calendar.addWorkingDays('2026-12-24', 3)).toBe('2026-12-31');
    expect(calendar.addWorkingDays('2026-12-24', 4)).toBe('2027-01-04');
    expect(calendar.workingDaysBefore('2027-01-04', 4)).toBe('2026-12-24');
  });

  it('steps over the 2022 one-off days', () => {
    expect(calendar.addWorkingDays('2022-06-01', 1)).toBe('2022-06-06');
    expect(calendar.addWorkingDays('2022-09-16', 1)).toBe('2022-09-20');
    expect(calendar.addWorkingDays('2023-05-05', 1)).toBe('2023-05-09');
  });

  it('knows weekdays from weekends and holidays', () => {
    expect(calendar.isWorkingDay('2026-04-02')).toBe(true);
    expect(calendar.isWorkingDay('2026-04-04')).toBe(false);
    expect(calendar.isWorkingDay('2026-04-05')).toBe(false);
  });

  it('refuses a malformed date or a count below one', () => {
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-04-02', 0)).toThrow(RangeError);
    expect(() => calendar.workingDaysBefore('2026-04-02', 1.5)).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('02/04/2026')).toThrow(RangeError);
  });
});

describe('a calendar of its own holidays', () => {
  const small = WorkingDayCalendar.of([{ date: '2026-06-03', name: 'A one-off' }]);

  it('is immutable: adding and removing make new calendars', () => {
    const more = small.withHoliday({ date: '2026-06-04', name: 'Another' });
    expect(small.isHoliday('2026-06-04')).toBe(false);
    expect(more.addWorkingDays('2026-06-02', 1)).toBe('2026-06-05');
    const fewer = more.withoutHoliday('2026-06-03');
    expect(fewer.addWorkingDays('2026-06-02', 1)).toBe('2026-06-03');
    expect(more.isHoliday('2026-06-03')).toBe(true);
  });

  it('lists holidays between two dates, both included, in order', () => {
    const calendarOf = WorkingDayCalendar.of([
      { date: '2026-08-31', name: 'Summer' },
      { date: '2026-05-04', name: 'Early May' },
      { date: '2026-05-25', name: 'Spring' },
    ]);
    expect(calendarOf.holidaysBetween('2026-05-04', '2026-08-31').map((h) => h.name)).toEqual([
      'Early May',
      'Spring',
      'Summer',
    ]);
    expect(calendarOf.holidaysBetween('2026-05-05', '2026-08-30')).toEqual([
      { date: '2026-05-25', name: 'Spring' },
    ]);
  });

  it('refuses a date listed twice', () => {
    expect(() =>
      WorkingDayCalendar.of([
        { date: '2026-06-03', name: 'a' },
        { date: '2026-06-03', name: 'b' },
      ]),
    ).toThrow('listed twice');
  });
});
