import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, periodsBetween, type Period, type Role } from '@kpi/domain';
import { PostgresEventStore } from '@kpi/event-store';
import { PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { Workbook } from 'exceljs';
import type { Response } from 'supertest';
import {
  report,
  SEED_DEMO_DEFAULTS,
  seedDemo,
} from '../../apps/cli/src/commands/seed-demo.command';
import type { SeedDemoSummary } from '../../apps/cli/src/commands/seed-demo/seed-demo';
import { seedDemoAccounts } from '../../apps/cli/src/commands/seed-demo/demo-accounts';
import {
  filledIn,
  WALKTHROUGH,
  type WalkthroughValues,
} from '../../apps/cli/src/commands/seed-demo/walkthrough';
import type { AnnualLine, QuarterlyReport } from '@kpi/features/monthly-returns';
import { startApiUnderTest, type ApiUnderTest } from './support/api-under-test';
import { startProjections, type ProjectionsInProcess } from './support/worker-in-process';

/*
 * The README's "See it with demo data", run as a newcomer runs it: the seed (the code behind
 * `npm run cli -- seed-demo`, with its default options) writes the demo into a database of this
 * test's own as of a given moment, the worker's projections catch up, and every line of the
 * README's walkthrough is carried out in order against the API with that moment as its clock —
 * the values line `seed-demo` printed, the tokens, the curl requests — and each answer must be
 * what the comment above it in the README says. A change to the README's commands or claims
 * without the story (or to the story without the README) fails here.
 */

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The `sh` blocks of the README's section "### See it with demo data". */
function demoSectionBlocks(): string[][] {
  const start = README.indexOf('### See it with demo data');
  expect(start).toBeGreaterThan(0);
  const rest = README.slice(README.indexOf('\n', start));
  const end = rest.search(/^#{2,3} /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trimEnd().split('\n'));
}

/** Moments to seed and run the walkthrough at. */
const CLOCKS = [
  // The day issue 13 saw a return dated six days ahead: a Sunday in December, mid-quarter.
  ['Sunday 6 December 2026, 09:30', '2026-12-06T09:30:00.000Z'],
  // 00:00:30 on 1 April 2027 (BST): March, 2026-27 Q4 and the financial year ended 30 s ago.
  [
    '30 seconds into April 2027 (a new month, quarter and financial year)',
    '2027-03-31T23:00:30.000Z',
  ],
] as const;

describe("the README's demo section", () => {
  it('seeds with the default options, then runs exactly the walkthrough seed-demo prints', () => {
    const [seedBlock, walkthrough] = demoSectionBlocks();
    expect(seedBlock!.map(command).filter(Boolean)).toEqual(['npm run cli -- seed-demo']);
    expect(walkthrough).toEqual(WALKTHROUGH);
  });
});

describe.each(CLOCKS)('the README walkthrough, seeded and run at %s', (_, instant) => {
  const now = new Date(instant);
  let api: ApiUnderTest;
  let projections: ProjectionsInProcess;
  let summary: SeedDemoSummary;
  let printed: string[];

  beforeAll(async () => {
    api = await startApiUnderTest('readme_walkthrough');
    api.setNow(now);
    const store = new PostgresEventStore(api.pool, eventTypeRegistry());
    const vault = new PersonalDataVault(api.pool, api.config.PERSONAL_DATA_KEY);
    summary = await seedDemo({ store, vault }, { ...SEED_DEMO_DEFAULTS, now });
    const accounts = await seedDemoAccounts(store, api.pool, vault, summary, now);
    printed = report(summary, accounts, 'http://localhost:3000').split('\n');
    projections = await startProjections(api.pool, store);
    await projections.caughtUp();
  });
  afterAll(async () => {
    await projections?.stop();
    await api?.close();
  });

  it("prints the README's walkthrough with the day's months and ids, after the line that sets them", () => {
    const [, readme] = demoSectionBlocks();
    const valuesAt = printed.findIndex((line) => line.startsWith('FROM='));
    expect(valuesAt).toBeGreaterThan(0);
    const values = shellValues(printed[valuesAt]!);
    expect(values).toEqual(summary.walkthrough);
    expect(printed.slice(valuesAt + 1)).toEqual(filledIn(values));
    // The printed commands are the README's, with the values in place of the variables.
    expect(printed.slice(valuesAt + 1)).toEqual(
      readme!.map((line) =>
        line.replace(
          /\$(FROM|TO|QUARTER|ENTRY|YEAR)\b/g,
          (v) => values[v.slice(1) as keyof WalkthroughValues],
        ),
      ),
    );
  });

  it('prints how to sign in as a person of each role, and each of them can', async () => {
    const header = printed.find((line) => line.startsWith('Sign in at '))!;
    expect(header).toMatch(/^Sign in at http:\/\/localhost:3000\/app\/sign-in as any of these/);
    const password = /with the password (\S+)$/.exec(header)![1]!;
    const people = printed
      .slice(printed.indexOf(header) + 1)
      .filter((line) => /^ {2}\S+@\S+ /.test(line))
      .map((line) => line.trim().split(/\s+/)[0]!);
    expect(people).toEqual([
      'admin@demo-care.example',
      'provider-admin@demo-care.example',
      'regional-manager@demo-care.example',
      'hr@demo-care.example',
      'home-manager@demo-care.example',
      'regulator@demo-care.example',
      'admin@demo-council.example',
      'commissioner@demo-council.example',
    ]);
    const cookies = new Map<string, string>();
    for (const email of people) {
      const session = await api.http().post('/sessions').send({ email, password });
      expect({ email, status: session.status }).toEqual({ email, status: 201 });
      expect(session.body).toMatchObject({
        tenantId: email.split('@')[1]!.replace('.example', ''),
        roles: [email.split('@')[0]],
      });
      cookies.set(email, ([] as string[]).concat(session.headers['set-cookie'] ?? [])[0]!);
    }
    // The home manager of the story reads their own Stage 3, and nobody else's record.
    const homeManager = cookies.get('home-manager@demo-care.example')!.split(';')[0]!;
    const own = await api
      .http()
      .get(`/capability/managers/${summary.provider.stage3.managerId}/timeline`)
      .set('Cookie', homeManager);
    expect(own.status).toBe(200);
    expect(own.body.entries.map((e: { stage: number }) => e.stage)).toContain(3);
    const other = await api
      .http()
      .get(`/capability/managers/${summary.provider.stage1.managerId}/timeline`)
      .set('Cookie', homeManager);
    expect(other.status).toBe(403);
  });

  it('answers every request of the walkthrough as its comment says', async () => {
    const [, readme] = demoSectionBlocks();
    const valuesLine = printed.find((line) => line.startsWith('FROM='))!;
    const shell = new Map<string, string>(Object.entries(shellValues(valuesLine)));
    const checked: string[] = [];
    let claim = '';
    for (const line of readme!) {
      if (line.startsWith('#')) {
        claim = line;
        continue;
      }
      for (const statement of splitStatements(line)) {
        const token = /^(\w+)=\$\(npm run -s cli -- token (.*)\)$/.exec(statement);
        if (token) {
          shell.set(token[1]!, mintToken(api, words(token[2]!, shell)));
          continue;
        }
        const assignments = words(statement, shell);
        if (assignments.every((word) => /^\w+=/.test(word))) {
          for (const word of assignments) {
            const [name, ...value] = word.split('=');
            shell.set(name!, value.join('='));
          }
          continue;
        }
        const request = curl(words(statement, shell));
        let call = api.http().get(request.path);
        for (const [name, value] of request.headers) call = call.set(name, value);
        const response = request.output ? await call.buffer(true).parse(binary) : await call;
        const check = CHECKS[statement];
        if (!check) throw new Error(`No check for the README's request: ${statement}`);
        await check({ response, values: summary.walkthrough, summary, claim });
        checked.push(statement);
      }
    }
    expect(checked.sort()).toEqual(Object.keys(CHECKS).sort());
  });
});

/** What a check is given: the answer, the seed's values and summary, the README's claim. */
interface CheckInput {
  response: Response;
  values: WalkthroughValues;
  summary: SeedDemoSummary;
  claim: string;
}

/** The months from `$FROM` to `$TO`. */
const shown = ({ FROM, TO }: WalkthroughValues) => periodsBetween(FROM as Period, TO as Period);
const back = (values: WalkthroughValues, months: number) => addMonths(values.TO as Period, -months);

/**
 * Each README request (as written, variables unexpanded) and what its comment claims, checked.
 * A request the README no longer makes, or one it makes that is not here, fails the test.
 */
const CHECKS: Record<string, (input: CheckInput) => void | Promise<void>> = {
  'curl -s -H "$H" "localhost:3000/kpi-grid?from=$FROM&to=$TO&serviceId=home-02"': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe(
      "# home-02: EDU met, met, then missed 4 months running (red); $FROM's return came late",
    );
    expect(response.status).toBe(200);
    const [home] = response.body.services as { serviceId: string; months: GridMonth[] }[];
    expect(response.body.services).toHaveLength(1);
    expect(home!.serviceId).toBe('home-02');
    expect(home!.months.map((m) => m.period)).toEqual(shown(values));
    expect(home!.months.map((m) => `${m.cells.EDU!.outcome} ${m.cells.EDU!.rag}`)).toEqual([
      'met green',
      'met green',
      'missed red',
      'missed red',
      'missed red',
      'missed red',
    ]);
    expect(home!.months.map((m) => m.late)).toEqual([true, false, false, false, false, false]);
    // Nothing else missed at home-02 in these months.
    for (const month of home!.months)
      for (const [code, cell] of Object.entries(month.cells))
        if (code !== 'EDU')
          expect({ period: month.period, code, outcome: cell.outcome }).toMatchObject({
            outcome: 'met',
          });
  },

  'curl -s -H "$H" "localhost:3000/kpi-grid.xlsx?from=$FROM&to=$TO" -o /tmp/kpi-grid.xlsx': async ({
    response,
    claim,
  }) => {
    expect(claim).toBe('# every home, in a workbook for a spreadsheet');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new Workbook();
    await workbook.xlsx.load(response.body);
    const text = new Set<string>();
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) => (row.values as unknown[]).forEach((v) => text.add(String(v)))),
    );
    for (let h = 1; h <= 12; h++) expect(text).toContain(`home-${String(h).padStart(2, '0')}`);
  },

  'curl -s -H "$H" "localhost:3000/bonus-compliance?from=$FROM&to=$TO"': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe('# home-02 keeps its bonus every month (8 of 9 met); home-01 too');
    expect(response.status).toBe(200);
    const services = response.body.services as {
      serviceId: string;
      compliantMonths: number;
      reportedMonths: number;
      months: { period: string; met: number; compliant: boolean }[];
    }[];
    expect(services).toHaveLength(12);
    const home = (id: string) => services.find((s) => s.serviceId === id)!;
    expect(home('home-02')).toMatchObject({ compliantMonths: 6, reportedMonths: 6 });
    expect(
      home('home-02')
        .months.slice(-4)
        .map((m) => m.met),
    ).toEqual([8, 8, 8, 8]);
    expect(home('home-01')).toMatchObject({ compliantMonths: 6, reportedMonths: 6 });
    expect(home('home-01').months.map((m) => m.period)).toEqual(shown(values));
  },

  'curl -s -H "$H" localhost:3000/returns-due': ({ response, values, claim }) => {
    expect(claim).toBe('# nothing missing: every return is in');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ lastEndedMonth: values.TO, regionalManagers: [] });
  },

  'curl -s -H "$H" "localhost:3000/services/home-01/returns/$TO"': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe(
      '# a return and its history: amended once (training 100 → 96 %), with the reason',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      serviceId: 'home-01',
      period: values.TO,
      amendments: 1,
      late: false,
    });
    expect(response.body.values.TRN).toBe(96);
    const history = response.body.history as {
      kind: string;
      reason: string | null;
      values: { TRN: number };
    }[];
    expect(history.map((h) => `${h.kind} TRN ${h.values.TRN}`)).toEqual([
      'submission TRN 100',
      'amendment TRN 96',
    ]);
    expect(history[1]!.reason).toBe('Training matrix re-checked: two certificates had lapsed');
    expect(response.body.results.TRN.outcome).toBe('met');
  },

  'curl -s -H "$H" localhost:3000/capability/stages-by-region': ({ response, claim }) => {
    expect(claim).toBe(
      '# one manager at Stage 3 (West Midlands), one at Stage 1 (North Wales), nobody else',
    );
    expect(response.status).toBe(200);
    const atStage = Object.fromEntries(
      (response.body.regions as { name: string; managersAtStage: Record<string, number> }[]).map(
        (r) => [r.name, r.managersAtStage],
      ),
    );
    expect(atStage).toEqual({
      'North Wales': { stage1: 1, stage2: 0, stage3: 0 },
      'North West': { stage1: 0, stage2: 0, stage3: 0 },
      'West Midlands': { stage1: 0, stage2: 0, stage3: 1 },
    });
  },

  'curl -s -H "$H" localhost:3000/capability/managers/mgr-home-02/timeline': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe('# EDU at home-02: Stage 1 → 2 → 3, Stage 3 entered for $TO');
    expect(response.status).toBe(200);
    const education = (response.body.entries as TimelineEntry[]).filter(
      (e) => e.indicatorCode === 'EDU' && e.runStart === back(values, 3),
    );
    expect(education.map((e) => `Stage ${e.stage} ${e.period} ${e.status}`)).toEqual([
      `Stage 1 ${back(values, 3)} escalated`,
      `Stage 2 ${back(values, 1)} escalated`,
      `Stage 3 ${values.TO} open`,
    ]);
    // Whatever else the timeline holds (a chance miss long ago) is over.
    const others = (response.body.entries as TimelineEntry[]).filter((e) => !education.includes(e));
    for (const entry of others) expect(entry).toMatchObject({ stage: 1, status: 'resolved' });
  },

  'curl -s -H "$H" "localhost:3000/capability/counters?managerId=mgr-home-02"': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe('# EDU missed 4 months running, Stage 3 open as $ENTRY, a review due');
    expect(response.status).toBe(200);
    expect(response.body.counters).toEqual([
      expect.objectContaining({
        managerId: 'mgr-home-02',
        serviceId: 'home-02',
        indicatorCode: 'EDU',
        consecutiveMisses: 4,
        stage: 3,
        openEntryId: values.ENTRY,
        reviewDue: true,
      }),
    ]);
  },

  'curl -s -H "$H" "localhost:3000/capability/managers/mgr-home-02/timeline/$ENTRY/why"': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe(
      '# why Stage 3: the 4 months missed, the returns they came from, with event ids',
    );
    expect(response.status).toBe(200);
    const months = response.body.months as {
      period: string;
      outcome: string;
      return: { streamId: string; history: { eventId: string }[] };
    }[];
    expect(months.map((m) => `${m.period} ${m.outcome}`)).toEqual(
      [3, 2, 1, 0].map((n) => `${back(values, n)} missed`),
    );
    for (const month of months) {
      expect(month.return.streamId).toBe(`demo-care:monthly-return:home-02:${month.period}`);
      expect(month.return.history[0]!.eventId).toMatch(/^[0-9a-f-]{36}$/);
    }
  },

  'curl -s -H "$H" $F': ({ response, claim }) => {
    expect(claim).toBe(
      '# the framework: demo-care, demo-bright-care and demo-cwtch-care in rotation, contract year 1',
    );
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).toContain('"demo-care"');
    expect(response.body).toMatchObject({ frameworkId: 'care-at-home', contractYear: 1 });
    expect(providerIdsOf(response.body)).toEqual([
      'demo-care',
      'demo-bright-care',
      'demo-cwtch-care',
    ]);
  },

  'curl -s -H "$H" $F/packages': ({ response, summary, claim }) => {
    expect(claim).toBe(
      '# packages referred in rotation: most taken at first refusal, some declined or let lapse and moved on',
    );
    expect(response.status).toBe(200);
    const packages = response.body as {
      status: string;
      offers: { round: string; providers: string[] }[];
      declined: unknown[];
      acceptedBy: string;
    }[];
    expect(packages).toHaveLength(summary.council!.packages);
    expect(packages.every((p) => p.status === 'accepted')).toBe(true);
    const placedIn = (round: string) =>
      packages.filter((p) => p.offers[p.offers.length - 1]!.round === round).length;
    expect(placedIn('first-refusal')).toBeGreaterThan(packages.length / 2);
    expect(placedIn('second')).toBeGreaterThan(0);
    expect(packages.some((p) => p.declined.length > 0)).toBe(true);
    const lapsed = packages.filter((p) => p.offers.length > 1 && p.declined.length === 0);
    expect(lapsed.length).toBeGreaterThan(0);
    // The first packages' first refusals go round the providers in rotation order.
    const firstRefusals = packages
      .slice()
      .reverse()
      .slice(0, 3)
      .map((p) => p.offers[0]!.providers[0]);
    expect(firstRefusals).toEqual(['demo-care', 'demo-bright-care', 'demo-cwtch-care']);
  },

  'curl -s -H "$H" "$F/capacity-returns?period=$TO"': ({ response, values, claim }) => {
    expect(claim).toBe("# each provider's care workers and hours for $TO");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ period: values.TO, returned: 3, missing: 0 });
  },

  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" $F/quarterly-returns': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe("# $QUARTER: two quarterly returns in, demo-cwtch-care's missing");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ quarter: values.QUARTER, returned: 2, missing: 1 });
    const missing = (response.body.providers as { providerId: string; status: string }[]).filter(
      (r) => r.status === 'missing',
    );
    expect(missing.map((r) => r.providerId)).toEqual(['demo-cwtch-care']);
  },

  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" $F/league-table': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe('# $QUARTER: demo-care 1st, demo-bright-care 2nd, demo-cwtch-care 3rd');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ quarter: values.QUARTER, contractYear: 1 });
    expect(
      (response.body.providers as { rank: number; providerId: string }[]).map(
        (p) => `${p.rank} ${p.providerId}`,
      ),
    ).toEqual(['1 demo-care', '2 demo-bright-care', '3 demo-cwtch-care']);
  },

  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" $F/providers/demo-cwtch-care/performance':
    ({ response, claim }) => {
      expect(claim).toBe(
        '# demo-cwtch-care in $QUARTER: offers left unanswered and families contacted late (red)',
      );
      expect(response.status).toBe(200);
      const rag = Object.fromEntries(
        (response.body.kpis as { code: string; rag: string }[]).map((k) => [k.code, k.rag]),
      );
      expect(rag).toMatchObject({
        'acceptance-within-4-hours': 'red',
        'family-contact-in-time': 'red',
      });
      expect(response.body.quarterlyReturnReceived).toBe(false);
    },

  'curl -s -H "$H" localhost:3000/frameworks/direct-services/versions/1/changes/2': ({
    response,
    summary,
    claim,
  }) => {
    expect(claim).toBe(
      "# the council's direct services: version 2 of their dataset, back-dated a month, gave referrals an expected range and capacity use a benchmark, and added a supervision ratio",
    );
    expect(response.status).toBe(200);
    const { effectiveFrom, publishedAt } = summary.directServices!.secondVersion;
    expect(response.body.to).toEqual({ version: 2, effectiveFrom });
    // Back-dated: in force from the month before the one it was published in.
    expect(addMonths(effectiveFrom as Period, 1)).toBe(publishedAt.slice(0, 7));
    expect((response.body.added as { code: string }[]).map((i) => i.code)).toEqual([
      'SUPERVISED_IN_8_WEEKS',
    ]);
    const changed = Object.fromEntries(
      (response.body.changed as { code: string; changes: { field: string; to: unknown }[] }[]).map(
        (c) => [c.code, Object.fromEntries(c.changes.map((f) => [f.field, f.to]))],
      ),
    );
    expect(Object.keys(changed).sort()).toEqual(['CAP_UTILISATION', 'REFERRALS']);
    expect(changed.REFERRALS).toMatchObject({
      kind: 'activity',
      expectedRange: { lower: 1, upper: 6 },
    });
    expect(changed.CAP_UTILISATION).toMatchObject({ comparativeBenchmark: { value: 85 } });
  },

  'curl -s -H "$H" -G --data-urlencode "quarter=$QUARTER" --data-urlencode detail=months localhost:3000/reports/quarterly':
    ({ response, values, summary, claim }) => {
      expect(claim).toBe(
        '# $QUARTER at the six direct services: months then quarter, per service and all together; referrals outside 1–6 a month flagged',
      );
      expect(response.status).toBe(200);
      const report = response.body as QuarterlyReport;
      expect(report.quarter).toBe(values.QUARTER);
      expect(report.services.map((s) => s.serviceId).sort()).toEqual(
        summary.directServices!.services.map((s) => s.serviceId).sort(),
      );
      const flaggedInQuarter = summary.directServices!.flagged.filter((f) =>
        report.months.includes(f.period),
      );
      expect(flaggedInQuarter).toHaveLength(2);
      const referralMonths = report.services.flatMap((service) =>
        service.lines
          .find((l) => l.code === 'REFERRALS')!
          .months!.map((m) => ({ serviceId: service.serviceId, period: m.period, month: m })),
      );
      expect(referralMonths).toHaveLength(6 * 3);
      for (const { serviceId, period, month } of referralMonths) {
        const flagged = flaggedInQuarter.some(
          (f) => f.serviceId === serviceId && f.period === period,
        );
        expect({ serviceId, period, outcome: month.judgement?.outcome }).toEqual({
          serviceId,
          period,
          outcome: flagged ? 'flagged' : 'in-range',
        });
      }
      const people = report.total.find((l) => l.code === 'PEOPLE')!;
      expect(people.quarter.judgedValue).toBeGreaterThan(150);
    },

  'curl -s -H "$H" -G --data-urlencode "year=$YEAR" localhost:3000/reports/annual': ({
    response,
    values,
    claim,
  }) => {
    expect(claim).toBe(
      "# the financial year $YEAR: four quarters then the year; capacity use against the first year's outturn",
    );
    expect(response.status).toBe(200);
    expect(response.body.year).toBe(values.YEAR);
    const utilisation = (response.body.total as AnnualLine[]).find(
      (l) => l.code === 'CAP_UTILISATION',
    )!;
    expect(utilisation.quarters.map((q) => typeof q.judgedValue)).toEqual(
      Array<string>(4).fill('number'),
    );
    expect(utilisation.year.judgedValue).toBeGreaterThan(60);
    expect(utilisation.year.travel.previousOutturn).toEqual({
      value: expect.any(Number),
      period: expect.stringMatching(/^\d{4}-\d{2} to \d{4}-\d{2}$/),
    });
    expect(['better', 'same', 'worse']).toContain(utilisation.year.travel.againstOutturn);
  },
};

interface GridMonth {
  period: string;
  late: boolean | null;
  cells: Record<string, { outcome: string; rag: string }>;
}

interface TimelineEntry {
  entryId: string;
  indicatorCode: string;
  runStart: string;
  stage: number;
  period: string;
  status: string;
}

/** The providers of a framework view, in rotation order, whatever their entries hold. */
function providerIdsOf(view: { providers?: unknown[]; rotation?: unknown[] }): string[] {
  const list = (view.providers ?? view.rotation ?? []) as (string | { providerId: string })[];
  return list.map((p) => (typeof p === 'string' ? p : p.providerId));
}

/** A line without its comment (`# …` outside quotes). */
function command(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i).trim();
  }
  return line.trim();
}

/** A line's statements (split at `;` outside quotes), comments dropped. */
function splitStatements(line: string): string[] {
  const statements: string[] = [];
  let quote: string | null = null;
  let depth = 0;
  let current = '';
  for (const c of command(line)) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ';' && depth === 0) {
      statements.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/**
 * A statement's words as the shell makes them: `'…'` kept as is, `"…"` and bare words with
 * `$NAME` / `${NAME}` expanded; an unset variable fails (the README uses only those it sets).
 */
function words(statement: string, shell: Map<string, string>): string[] {
  const expand = (text: string) =>
    text.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
      const value = shell.get(name);
      if (value === undefined) throw new Error(`$${name} is not set before: ${statement}`);
      return value;
    });
  const result: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|([^\s'"]+)|(\s+)/g;
  let word: string | null = null;
  for (const match of statement.matchAll(pattern)) {
    if (match[4] !== undefined) {
      if (word !== null) result.push(word);
      word = null;
      continue;
    }
    const part = match[1] !== undefined ? match[1] : expand(match[2] ?? match[3]!);
    word = (word ?? '') + part;
  }
  if (word !== null) result.push(word);
  return result;
}

/** The values line `seed-demo` printed (`FROM=… TO=… QUARTER='…' ENTRY=…`), read as the shell does. */
function shellValues(line: string): WalkthroughValues {
  const values = Object.fromEntries(
    words(line, new Map()).map((word) => {
      const [name, ...value] = word.split('=');
      return [name!, value.join('=')];
    }),
  );
  return values as unknown as WalkthroughValues;
}

/** `cli token --tenant T --role R…`: the same claims, minted with the test's secret. */
function mintToken(api: ApiUnderTest, args: string[]): string {
  const tenant = args[args.indexOf('--tenant') + 1]!;
  const roles = args.slice(args.indexOf('--role') + 1).filter((a) => !a.startsWith('--'));
  expect(args.filter((a) => a.startsWith('--')).sort()).toEqual(['--role', '--tenant']);
  return api.tokenFor({ tenantId: tenant, roles: roles as Role[], userId: 'cli' });
}

/** A `curl` command the README runs: GET only, headers, `-G --data-urlencode`, `-o` to /tmp. */
function curl(args: string[]): {
  path: string;
  headers: [string, string][];
  output: string | null;
} {
  expect(args[0]).toBe('curl');
  const headers: [string, string][] = [];
  const data: string[] = [];
  let url: string | null = null;
  let output: string | null = null;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-s' || arg === '-G') continue;
    if (arg === '-H') {
      const [name, ...value] = args[++i]!.split(':');
      headers.push([name!.trim(), value.join(':').trim()]);
    } else if (arg === '--data-urlencode') {
      const [name, ...value] = args[++i]!.split('=');
      data.push(`${name}=${encodeURIComponent(value.join('='))}`);
    } else if (arg === '-o') {
      output = args[++i]!;
      // Nothing the README runs leaves files in the repository.
      expect(output).toMatch(/^\/tmp\//);
    } else if (arg.startsWith('-')) {
      throw new Error(`curl option the walkthrough test does not know: ${arg}`);
    } else url = arg;
  }
  expect(url).toMatch(/^localhost:3000\//);
  const path = url!.slice('localhost:3000'.length);
  const query = data.join('&');
  return {
    path: query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path,
    headers,
    output,
  };
}

/** Reads a response body as raw bytes (supertest buffers only text and JSON by itself). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
