import { addMonths, type IndicatorValue, type Period } from '@kpi/domain';
import { MONTHS_SHOWN, type DemoCalendar } from './demo-calendar';

/*
 * The provider's story, exactly as the README tells it, counted back from the last month seeded
 * (`$TO`); the months the README's grid shows start at `$FROM` (`$TO` − 5):
 *
 * - home-02's manager misses education (EDU) in the last four months, red, and nothing else
 *   there: Stage 1 at `$TO` − 3, second month at − 2, Stage 2 at − 1, Stage 3 at `$TO`; met
 *   before. Still bonus-compliant every month shown (8 of 9 met).
 * - home-01's manager misses supervision (SUP) in the last two months: Stage 1.
 * - One late return: home-02's for `$FROM`, sent on the 24th (due the 20th).
 * - One amendment: home-01's return for `$TO` (training re-checked, 100 → 96 %, still met).
 *
 * Everything else is chance (a seeded sequence, the same every run): each KPI is missed about
 * one month in twenty. Chance never touches the story: never in the last month (the only open
 * stages are the story's), never two months running for the same home and KPI (so chance
 * reaches Stage 1 at most, resolved the month after), and never at home-01 or home-02 in the
 * months shown.
 */

/** home-02 (index 1): EDU missed in the last four months. */
export const STAGE_3_HOME = 1;
export const STAGE_3_KPI = 'EDU';
export const STAGE_3_MISSES = 4;
/** home-01 (index 0): SUP missed in the last two months. */
export const STAGE_1_HOME = 0;
export const STAGE_1_KPI = 'SUP';
export const STAGE_1_MISSES = 2;
/** home-02's return for the first month shown arrived late. */
export const LATE_HOME = 1;
/** home-01's return for the last month was amended. */
export const AMENDED_HOME = 0;
export const AMENDMENT = {
  values: { TRN: 96 },
  reason: 'Training matrix re-checked: two certificates had lapsed',
} as const;

/** The homes with a story keep quiet (no chance) in the months shown. */
const STORY_HOMES = [STAGE_3_HOME, STAGE_1_HOME];

/** How often a KPI is missed in a month, by chance, outside the stories. */
const CHANCE_OF_A_MISS = 0.05;
/** How often no child went missing from care (RTI not applicable), outside the stories. */
const CHANCE_OF_NO_MISSING_EPISODE = 0.3;

/** The stage-3 run's first month: the run of `$ENTRY` (`home-02.EDU.<month>.s3`). */
export const stage3RunStart = (calendar: DemoCalendar): Period =>
  addMonths(calendar.lastMonth, -(STAGE_3_MISSES - 1));

export const isLateReturn = (calendar: DemoCalendar, homeIndex: number, period: Period) =>
  homeIndex === LATE_HOME && period === calendar.shownFrom;

export const isAmendedReturn = (calendar: DemoCalendar, homeIndex: number, period: Period) =>
  homeIndex === AMENDED_HOME && period === calendar.lastMonth;

/** One KPI's values: met and missed, drawn from one random number so draws never shift. */
interface KpiDraw {
  met(r: number): IndicatorValue;
  missed(r: number): IndicatorValue;
}

const between = (low: number, high: number) => (r: number) =>
  Math.round((low + r * (high - low)) * 10) / 10;
const always = (value: IndicatorValue) => () => value;

/** The children's-homes preset's KPIs (docs/kpi-frameworks.md): a met and a missed value each. */
const KPIS: Record<string, KpiDraw> = {
  SUP: { met: always(100), missed: between(80, 99) },
  TRN: { met: between(95, 100), missed: between(80, 94) },
  EDU: { met: between(90, 100), missed: between(70, 89) },
  PLN: { met: always(100), missed: between(85, 99) },
  RTI: { met: always(100), missed: between(80, 99) },
  NTF: { met: always(100), missed: always(90) },
  R44: { met: always(true), missed: always(false) },
  RPI: { met: (r) => Math.floor(r * 3), missed: (r) => 3 + Math.floor(r * 4) },
  AGY: { met: between(0, 10), missed: between(11, 30) },
};

/**
 * The values of every home's return for every month: chance first (a fixed number of draws per
 * home-month, whatever is decided, so the sequence never shifts), then the story on top.
 */
export function demoValues(
  calendar: DemoCalendar,
  homes: number,
  random: () => number,
): Map<string, Record<string, IndicatorValue>> {
  const values = new Map<string, Record<string, IndicatorValue>>();
  const missedLastMonth = new Set<string>();
  for (const period of calendar.periods) {
    const shown = period >= calendar.shownFrom;
    const missedThisMonth = new Set<string>();
    for (let home = 0; home < homes; home++) {
      const quiet = period === calendar.lastMonth || (shown && STORY_HOMES.includes(home));
      const month: Record<string, IndicatorValue> = {};
      for (const [code, draw] of Object.entries(KPIS)) {
        const [chance, value] = [random(), random()];
        const key = `${home}|${code}`;
        const missed = !quiet && chance < CHANCE_OF_A_MISS && !missedLastMonth.has(key);
        if (missed) missedThisMonth.add(key);
        month[code] = missed ? draw.missed(value) : draw.met(value);
      }
      if (random() < CHANCE_OF_NO_MISSING_EPISODE && !(shown && STORY_HOMES.includes(home))) {
        month.RTI = { notApplicable: true, reason: 'No missing-from-care episodes this month' };
        missedThisMonth.delete(`${home}|RTI`);
      }
      values.set(`${home}|${period}`, month);
    }
    missedLastMonth.clear();
    for (const key of missedThisMonth) missedLastMonth.add(key);
  }
  storyOnTop(calendar, homes, values);
  return values;
}

function storyOnTop(
  calendar: DemoCalendar,
  homes: number,
  values: Map<string, Record<string, IndicatorValue>>,
): void {
  const set = (home: number, back: number, code: string, value: IndicatorValue) => {
    if (home >= homes) return;
    values.get(`${home}|${addMonths(calendar.lastMonth, -back)}`)![code] = value;
  };
  // Red (below the floor of 75), a little lower each month.
  for (let back = 0; back < STAGE_3_MISSES; back++) set(STAGE_3_HOME, back, STAGE_3_KPI, 70 + back);
  for (let back = 0; back < STAGE_1_MISSES; back++) set(STAGE_1_HOME, back, STAGE_1_KPI, 80);
  // Sent as 100 %, amended to 96 %: met either way, so the amendment changes no stage.
  set(AMENDED_HOME, 0, 'TRN', 100);
}

/** The months a story needs: the grid's six months hold it all. */
export const MONTHS_NEEDED = MONTHS_SHOWN;
/** Homes a story needs: home-01 and home-02. */
export const HOMES_NEEDED = 2;

/** The seed of the chance part: the same background every run. */
export const DEMO_SEED = 20181201;

/** A small deterministic generator (mulberry32), so the demo is the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
