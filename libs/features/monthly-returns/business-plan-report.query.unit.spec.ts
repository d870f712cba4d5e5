import {
  BUSINESS_PLAN_INDICATORS,
  parseAcademicYear,
  parseFinancialYear,
  type IndicatorDefinition,
} from '@kpi/domain';
import { planPeriod, planSpans } from './business-plan-report.query';

const financialYear = parseFinancialYear('2025/26');
const academicYear = parseAcademicYear('2025/26');
const byCode = (code: string) => BUSINESS_PLAN_INDICATORS.find((i) => i.code === code)!;
const spansOf = (definition: IndicatorDefinition) =>
  planSpans(definition, financialYear, academicYear);
const r = (numerator: number, denominator: number) => ({ numerator, denominator });

describe('the business-plan report: periods of a line', () => {
  it('a quarterly indicator has the four financial quarters, each after the one before', () => {
    expect(
      spansOf(byCode('PQ_REVIEWS')).map((s) => [s.name, s.months[0], s.previous.name]),
    ).toEqual([
      ['2025-26 Q1', '2025-04', '2024-25 Q4'],
      ['2025-26 Q2', '2025-07', '2025-26 Q1'],
      ['2025-26 Q3', '2025-10', '2025-26 Q2'],
      ['2025-26 Q4', '2026-01', '2025-26 Q3'],
    ]);
  });

  it('a termly indicator has the three terms of the academic year, autumn first', () => {
    expect(
      spansOf(byCode('PT_ATTENDANCE')).map((s) => [s.name, s.months, s.previous.name]),
    ).toEqual([
      ['Aut 25', ['2025-09', '2025-10', '2025-11', '2025-12'], 'Sum 25'],
      ['Spr 26', ['2026-01', '2026-02', '2026-03'], 'Aut 25'],
      ['Sum 26', ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08'], 'Spr 26'],
    ]);
  });

  it('an annual indicator has its year: financial (Apr–Mar) or academic (Sep–Aug)', () => {
    const [financial] = spansOf(byCode('PA_DIRECT_PAYMENTS'));
    expect([financial!.name, financial!.months[0], financial!.previous.name]).toEqual([
      '2025/26',
      '2025-04',
      '2024/25',
    ]);
    const [academic] = spansOf(byCode('PY_TRANSITION'));
    expect([academic!.name, academic!.months[0], academic!.months[11]]).toEqual([
      '2025/26',
      '2025-09',
      '2026-08',
    ]);
    expect(academic!.previous.months[0]).toBe('2024-09');
  });
});

describe('the business-plan report: a period judged', () => {
  const reviews = byCode('PQ_REVIEWS'); // Q1 80, Q2 82, Q3 84, Q4 85, floor 70, outturn 76
  const [q1, q2, , q4] = spansOf(reviews);

  it('the same actual is green against Q1’s target and amber against Q4’s', () => {
    expect(planPeriod(reviews, q1!, r(81, 100), null)).toMatchObject({
      period: '2025-26 Q1',
      target: 80,
      judgedValue: 81,
      rag: 'green',
    });
    expect(planPeriod(reviews, q4!, r(81, 100), null)).toMatchObject({ target: 85, rag: 'amber' });
    expect(planPeriod(reviews, q4!, r(60, 100), null)).toMatchObject({ rag: 'red' });
  });

  it('shows the target without an actual, and no RAG', () => {
    expect(planPeriod(reviews, q2!, null, null)).toMatchObject({
      target: 82,
      value: null,
      judgedValue: null,
      rag: null,
    });
  });

  it('gives the direction of travel against the period before and against the outturn', () => {
    expect(planPeriod(reviews, q2!, r(75, 100), r(81, 100)).travel).toEqual({
      previousPeriod: '2025-26 Q1',
      previousValue: 81,
      againstPreviousPeriod: 'worse',
      againstOutturn: 'worse',
    });
    expect(planPeriod(reviews, q2!, r(90, 100), r(81, 100)).travel).toMatchObject({
      againstPreviousPeriod: 'better',
      againstOutturn: 'better',
    });
  });

  it('a term is judged against its own term’s target', () => {
    const attendance = byCode('PT_ATTENDANCE'); // spring 91, summer 92, autumn 93
    const [autumn, spring] = spansOf(attendance);
    expect(planPeriod(attendance, autumn!, r(92, 100), null)).toMatchObject({
      target: 93,
      rag: 'amber',
    });
    expect(planPeriod(attendance, spring!, r(92, 100), null)).toMatchObject({
      target: 91,
      rag: 'green',
    });
  });

  it('an activity indicator shows its quarter’s range, flagged outside it, never missed', () => {
    const referrals = byCode('AQ_REFERRALS'); // Q1 90–120, Q2 80–110
    const [first, second] = spansOf(referrals);
    expect(planPeriod(referrals, first!, 85, null)).toMatchObject({
      target: null,
      expectedRange: { lower: 90, upper: 120 },
      rag: 'amber',
      judgement: { outcome: 'flagged' },
    });
    expect(planPeriod(referrals, second!, 85, null)).toMatchObject({
      expectedRange: { lower: 80, upper: 110 },
      rag: 'green',
      judgement: { outcome: 'in-range' },
    });
  });

  it('a data-only indicator has no target and no RAG, but a direction of travel', () => {
    const people: IndicatorDefinition = {
      code: 'PEOPLE',
      name: 'People supported',
      kind: 'data-only',
      unit: 'count',
      direction: 'higher-is-better',
      periodicity: 'quarterly',
      aggregation: 'sum',
    };
    expect(planPeriod(people, spansOf(people)[1]!, 12, 10)).toMatchObject({
      target: null,
      rag: null,
      judgement: null,
      travel: { againstPreviousPeriod: 'better', againstOutturn: null },
    });
  });
});
