import fc from 'fast-check';
import { CapabilityProcessModel, capabilityFacts as f } from '@kpi/testing';
import type { IndicatorValue } from '../kpi/indicator-value';
import { ZERO_COUNTER } from './capability-ledger.policy';
import type { CapabilityEvent, CounterSummary } from './capability.events';

/**
 * The property the issue asks for: whatever the month results, the order returns arrive in
 * and the amendments made, the counters and stages the process ends with are those computed
 * from the final data processed in month order.
 */
const T = 'acme';
const MONTHS = [
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
];

type Result = 'met' | 'missed' | 'na';
const valueOf = (result: Result, base: number): IndicatorValue =>
  result === 'met'
    ? base + 5
    : result === 'missed'
      ? base - 20
      : { notApplicable: true, reason: 'n/a' };
const valuesOf = ([edu, sup]: [Result, Result]) => ({
  EDU: valueOf(edu, 90),
  SUP: valueOf(sup, 95),
});

const results = fc.tuple(
  fc.constantFrom<Result>('met', 'missed', 'missed', 'na'),
  fc.constantFrom<Result>('met', 'missed', 'missed'),
);

const scenario = fc.integer({ min: 1, max: MONTHS.length }).chain((count) =>
  fc.record({
    months: fc.array(results, { minLength: count, maxLength: count }),
    arrival: fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
    amendments: fc.array(
      fc.record({ month: fc.nat({ max: count - 1 }), to: results, at: fc.nat({ max: 2 * count }) }),
      { maxLength: 6 },
    ),
    /** A second manager takes over from this month (none when past the last). */
    handoverAt: fc.integer({ min: 1, max: count + 2 }),
  }),
);

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function setUp(model: CapabilityProcessModel, handoverAt: number, { appoint = true } = {}) {
  model.record(...f.framework(T));
  model.record(...f.home(T));
  if (appoint) appointManagers(model, handoverAt);
}

/** mgr-a from the first month, and mgr-b from `handoverAt` (none when past the last). */
function appointManagers(model: CapabilityProcessModel, handoverAt: number) {
  model.record(...f.appointed(T, 'mgr-a', '2026-01-01'));
  if (handoverAt < MONTHS.length)
    model.record(...f.handover(T, 'mgr-a', 'mgr-b', `${MONTHS[handoverAt]}-01`));
}

/** Each counter's records in force and where it stands, from its stream. */
function outcome(model: CapabilityProcessModel) {
  const counters: Record<string, { records: string[]; summary: CounterSummary }> = {};
  for (const [streamId, events] of model.counterStreams()) {
    const active = new Map<string, string>();
    let summary: CounterSummary = ZERO_COUNTER;
    for (const event of events as CapabilityEvent[]) {
      if (event.type === 'CapabilityAppealRecorded') continue;
      summary = event.data.counter;
      if (event.type === 'CapabilityReviewRecorded') continue;
      if (event.type === 'CapabilityStageWithdrawn' || event.type === 'CapabilityRecordWithdrawn')
        active.delete(event.data.recordKey);
      else active.set(event.data.recordKey, `${event.type} ${event.data.entryId}`);
    }
    if (active.size === 0 && summary.stage === 0) continue; // all withdrawn: as if never written
    counters[streamId] = { records: [...active.values()].sort(), summary };
  }
  return counters;
}

/**
 * Records the scenario as it happened: returns in arrival order, amendments after their return.
 * With `appointedAfter` n > 0, the home has no manager on record until n returns have come in;
 * then its managers are recorded, from the first month (backdated).
 */
function recordAsItHappened(
  model: CapabilityProcessModel,
  { months, arrival, amendments, handoverAt }: Scenario,
  appointedAfter = 0,
): [Result, Result][] {
  setUp(model, handoverAt, { appoint: appointedAfter === 0 });
  const finalResults = [...months];
  const amendmentsDone = new Map<number, number>();
  const submitted = new Set<number>();
  const pendingAmendments = [...amendments].sort((a, b) => a.at - b.at);
  arrival.forEach((month, step) => {
    model.record(...f.returned(T, MONTHS[month]!, valuesOf(months[month]!)));
    submitted.add(month);
    if (appointedAfter === step + 1) appointManagers(model, handoverAt);
    for (const amendment of pendingAmendments.filter((a) => a.at === step)) {
      if (!submitted.has(amendment.month)) continue;
      const number = (amendmentsDone.get(amendment.month) ?? 0) + 1;
      amendmentsDone.set(amendment.month, number);
      finalResults[amendment.month] = amendment.to;
      model.record(
        ...f.amended(T, MONTHS[amendment.month]!, valuesOf(amendment.to), {
          amendmentNumber: number,
        }),
      );
    }
  });
  return finalResults;
}

describe('the capability process (property)', () => {
  it('ends, for any arrival order and amendments, where the final data in month order ends', () => {
    fc.assert(
      fc.property(scenario, (happened) => {
        const actual = new CapabilityProcessModel(T);
        const finalResults = recordAsItHappened(actual, happened);

        // The same final data, in month order, never amended.
        const expected = new CapabilityProcessModel(T);
        setUp(expected, happened.handoverAt);
        finalResults.forEach((result, month) =>
          expected.record(...f.returned(T, MONTHS[month]!, valuesOf(result))),
        );

        expect(outcome(actual)).toEqual(outcome(expected));
      }),
      { numRuns: 300 },
    );
  });

  it("counts a home's next month from its cursor exactly as counting every month again", () => {
    let shortWays = 0;
    fc.assert(
      // Also homes whose manager is recorded only after some returns (or never: past the last).
      fc.property(scenario, fc.nat({ max: MONTHS.length + 1 }), (happened, appointedAfter) => {
        const full = new CapabilityProcessModel(T);
        recordAsItHappened(full, happened, appointedAfter);
        const short = new CapabilityProcessModel(T, { cursors: true });
        recordAsItHappened(short, happened, appointedAfter);
        shortWays += short.shortWays;
        // Every event of every counter's stream the same, causes and evidence included.
        expect(short.counterStreams()).toEqual(full.counterStreams());
      }),
      { numRuns: 300 },
    );
    expect(shortWays).toBeGreaterThan(0);
  });

  it('takes the short way for a home without a manager too: nothing to count, its months kept', () => {
    const model = new CapabilityProcessModel(T, { cursors: true });
    setUp(model, MONTHS.length, { appoint: false });
    for (const month of MONTHS) model.record(...f.returned(T, month, valuesOf(['missed', 'met'])));
    expect(model.shortWays).toBe(MONTHS.length - 1);
    expect(model.counterStreams().size).toBe(0);
    // Appointed from the first month: every month missed counts against the manager.
    appointManagers(model, MONTHS.length);
    const edu = [...model.counterStreams()].find(([id]) => id.includes('EDU'))![1];
    expect((edu.at(-1)!.data as { counter: CounterSummary }).counter).toMatchObject({
      stage: 3,
      consecutiveMisses: MONTHS.length,
    });
  });

  it('takes the short way for every month after the first when the returns come in order', () => {
    const model = new CapabilityProcessModel(T, { cursors: true });
    setUp(model, MONTHS.length);
    for (const month of MONTHS) model.record(...f.returned(T, month, valuesOf(['missed', 'met'])));
    expect(model.shortWays).toBe(MONTHS.length - 1);
    const summary = (
      model
        .counterStreams()
        .get([...model.counterStreams().keys()].find((id) => id.includes('EDU'))!)!
        .at(-1)!.data as { counter: CounterSummary }
    ).counter;
    expect(summary).toMatchObject({ stage: 3, consecutiveMisses: MONTHS.length });
  });
});
