/**
 * The README's demo walkthrough ("See it with demo data"), line for line: `seed-demo` prints it
 * with the months and ids of the day it ran filled in, and test/api/readme-walkthrough.e2e.spec.ts
 * checks that the README holds exactly these lines and that what each comment says is what the
 * API answers after a seed. Change the story here, in the README and in that test together.
 *
 * `$FROM`, `$TO`, `$QUARTER`, `$ENTRY` and `$YEAR` are the values {@link WalkthroughValues} holds; `$H`,
 * `$TOKEN` and `$F` are set by the lines themselves.
 */
export const WALKTHROUGH: readonly string[] = [
  'TOKEN=$(npm run -s cli -- token --tenant demo-care --role provider-admin); H="Authorization: Bearer $TOKEN"',
  "# home-02: EDU met, met, then missed 4 months running (red); $FROM's return came late",
  'curl -s -H "$H" "localhost:3000/kpi-grid?from=$FROM&to=$TO&serviceId=home-02"',
  '# every home, in a workbook for a spreadsheet',
  'curl -s -H "$H" "localhost:3000/kpi-grid.xlsx?from=$FROM&to=$TO" -o /tmp/kpi-grid.xlsx',
  '# home-02 keeps its bonus every month (8 of 9 met); home-01 too',
  'curl -s -H "$H" "localhost:3000/bonus-compliance?from=$FROM&to=$TO"',
  '# nothing missing: every return is in',
  'curl -s -H "$H" localhost:3000/returns-due',
  '# a return and its history: amended once (training 100 → 96 %), with the reason',
  'curl -s -H "$H" "localhost:3000/services/home-01/returns/$TO"',
  'TOKEN=$(npm run -s cli -- token --tenant demo-care --role hr); H="Authorization: Bearer $TOKEN"',
  '# one manager at Stage 3 (West Midlands), one at Stage 1 (North Wales), nobody else',
  'curl -s -H "$H" localhost:3000/capability/stages-by-region',
  '# EDU at home-02: Stage 1 → 2 → 3, Stage 3 entered for $TO',
  'curl -s -H "$H" localhost:3000/capability/managers/mgr-home-02/timeline',
  '# EDU missed 4 months running, Stage 3 open as $ENTRY, a review due',
  'curl -s -H "$H" "localhost:3000/capability/counters?managerId=mgr-home-02"',
  '# why Stage 3: the 4 months missed, the returns they came from, with event ids',
  'curl -s -H "$H" "localhost:3000/capability/managers/mgr-home-02/timeline/$ENTRY/why"',
  'TOKEN=$(npm run -s cli -- token --tenant demo-council --role commissioner); H="Authorization: Bearer $TOKEN"',
  'F=localhost:3000/councils/demo-council/care-frameworks/care-at-home',
  '# the framework: demo-care, demo-bright-care and demo-cwtch-care in rotation, contract year 1',
  'curl -s -H "$H" $F',
  '# packages referred in rotation: most taken at first refusal, some declined or let lapse and moved on',
  'curl -s -H "$H" $F/packages',
  "# each provider's care workers and hours for $TO",
  'curl -s -H "$H" "$F/capacity-returns?period=$TO"',
  "# $QUARTER: two quarterly returns in, demo-cwtch-care's missing",
  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" $F/quarterly-returns',
  '# $QUARTER: demo-care 1st, demo-bright-care 2nd, demo-cwtch-care 3rd',
  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" $F/league-table',
  '# demo-cwtch-care in $QUARTER: offers left unanswered and families contacted late (red)',
  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" $F/providers/demo-cwtch-care/performance',
  "# the council's direct services: version 2 of their dataset, back-dated a month, gave referrals an expected range and capacity use a benchmark, and added a supervision ratio",
  'curl -s -H "$H" localhost:3000/frameworks/direct-services/versions/1/changes/2',
  '# $QUARTER at the six direct services: months then quarter, per service and all together; referrals outside 1–6 a month flagged',
  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" --data-urlencode detail=months localhost:3000/reports/quarterly',
  "# the financial year $YEAR: four quarters then the year; capacity use against the first year's outturn",
  'curl -s -H "$H" -G --data-urlencode "year=$YEAR" localhost:3000/reports/annual',
];

/** The values the walkthrough's `$FROM`, `$TO`, `$QUARTER` and `$ENTRY` stand for. */
export interface WalkthroughValues {
  /** The first of the six months shown (`YYYY-MM`). */
  FROM: string;
  /** The last month seeded (`YYYY-MM`). */
  TO: string;
  /** The last financial quarter that ended (`2026-27 Q2`). */
  QUARTER: string;
  /** The open Stage 3 entry of mgr-home-02 (`home-02.EDU.<month>.s3`). */
  ENTRY: string;
  /** The last financial year that ended (`2025/26`): the direct services' annual report. */
  YEAR: string;
}

/** The shell line that sets the values: `FROM=2026-06 TO=2026-11 QUARTER='2026-27 Q2' … YEAR=2025/26`. */
export function valuesLine(values: WalkthroughValues): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${/^[\w./-]+$/.test(value) ? value : `'${value}'`}`)
    .join(' ');
}

/** The walkthrough with the values in place of `$FROM`, `$TO`, `$QUARTER`, `$ENTRY` and `$YEAR`. */
export function filledIn(values: WalkthroughValues, tenant = 'demo-care'): string[] {
  return WALKTHROUGH.map((line) =>
    line
      .replace(
        /\$(FROM|TO|QUARTER|ENTRY|YEAR)\b/g,
        (_, name: keyof WalkthroughValues) => values[name],
      )
      .replace('--tenant demo-care ', `--tenant ${tenant} `),
  );
}
