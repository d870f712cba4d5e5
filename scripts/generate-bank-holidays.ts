/**
 * Writes libs/domain/src/calendar/bank-holidays.england-and-wales.json: the England & Wales bank
 * holidays 2000–2040 (substitute and one-off days included), from the `date-holidays` package
 * (a devDependency: the runtime reads only the JSON, and admins adjust it with `cli calendar`).
 *
 *   node -r ./scripts/register.js scripts/generate-bank-holidays.ts           # write the file
 *   node -r ./scripts/register.js scripts/generate-bank-holidays.ts --check   # exit 1 if stale
 *
 * England and Wales share one list (Banking and Financial Dealings Act 1971); the script takes
 * GB/ENG and fails unless GB/WLS gives the same days. Only `public` holidays count (the package
 * also lists observances such as Mother's Day). Days that fall on a weekend are left out, as
 * gov.uk leaves them out: the substitute weekday is the bank holiday, and a weekend is never a
 * working day anyway.
 *
 * date-holidays 3.37.0 misses three changes proclaimed before 2013 ({@link CORRECTIONS}); the
 * script applies them to both lists before comparing, so a later package version that has them
 * changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';

const FIRST_YEAR = 2000;
const LAST_YEAR = 2040;
const OUTPUT = join(
  __dirname,
  '..',
  'libs/domain/src/calendar/bank-holidays.england-and-wales.json',
);

interface BankHoliday {
  date: string;
  name: string;
}

/**
 * Days date-holidays gets wrong, checked against gov.uk and the royal proclamations: `drop` is
 * a day it lists that was moved, `add` the days it misses.
 */
const CORRECTIONS: { why: string; drop: string[]; add: BankHoliday[] }[] = [
  {
    why: "Golden Jubilee 2002: spring bank holiday moved from Mon 27 May to Tue 4 June, Mon 3 June the jubilee's",
    drop: ['2002-05-27'],
    add: [
      { date: '2002-06-03', name: "Queen's Golden Jubilee" },
      { date: '2002-06-04', name: 'Spring bank holiday' },
    ],
  },
  {
    why: 'Royal wedding of Prince William and Catherine Middleton, Fri 29 April 2011',
    drop: [],
    add: [{ date: '2011-04-29', name: 'Royal wedding' }],
  },
  {
    why: 'Diamond Jubilee 2012: spring bank holiday moved from Mon 28 May to Mon 4 June (the jubilee on Tue 5 June)',
    drop: ['2012-05-28'],
    add: [{ date: '2012-06-04', name: 'Spring bank holiday' }],
  },
];

function corrected(days: BankHoliday[]): BankHoliday[] {
  const dropped = new Set(CORRECTIONS.flatMap((c) => c.drop));
  const result = days.filter((d) => !dropped.has(d.date));
  for (const day of CORRECTIONS.flatMap((c) => c.add)) {
    if (!result.some((d) => d.date === day.date)) result.push(day);
  }
  return result;
}

function bankHolidaysOf(region: 'ENG' | 'WLS'): BankHoliday[] {
  const calendar = new Holidays('GB', region);
  const days: BankHoliday[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const holiday of calendar.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const date = holiday.date.slice(0, 10);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      days.push({ date, name: holiday.name });
    }
  }
  const result = corrected(days).sort((a, b) => a.date.localeCompare(b.date));
  for (let i = 1; i < result.length; i++) {
    if (result[i]!.date === result[i - 1]!.date) {
      throw new Error(`GB/${region} lists ${result[i]!.date} twice`);
    }
  }
  return result;
}

/** One entry per line, as prettier keeps it. */
function render(days: readonly BankHoliday[]): string {
  const lines = days.map(
    (d) => `  { "date": ${JSON.stringify(d.date)}, "name": ${JSON.stringify(d.name)} }`,
  );
  return `[\n${lines.join(',\n')}\n]\n`;
}

function main(): void {
  const england = bankHolidaysOf('ENG');
  const wales = bankHolidaysOf('WLS');
  const key = (d: BankHoliday) => `${d.date} ${d.name}`;
  const inWales = new Set(wales.map(key));
  const inEngland = new Set(england.map(key));
  const onlyEngland = england.filter((d) => !inWales.has(key(d)));
  const onlyWales = wales.filter((d) => !inEngland.has(key(d)));
  if (onlyEngland.length > 0 || onlyWales.length > 0) {
    throw new Error(
      `GB/ENG and GB/WLS differ: only in England ${JSON.stringify(onlyEngland)}, only in Wales ${JSON.stringify(onlyWales)}`,
    );
  }
  const text = render(england);
  if (process.argv.includes('--check')) {
    if (readFileSync(OUTPUT, 'utf8') !== text) {
      throw new Error(`${OUTPUT} is not what date-holidays gives; run this script to rewrite it`);
    }
    console.log(`${OUTPUT} is up to date (${england.length} days)`);
    return;
  }
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${england.length} bank holidays ${FIRST_YEAR}–${LAST_YEAR} to ${OUTPUT}`);
}

try {
  main();
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
