import { InvalidCommandError } from '@kpi/domain';
import { EntityIdParam } from '../http/path-params';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { PublishFrameworkVersionBody, PublishPresetBody } from './kpi-frameworks.dto';

/** The edge parses a version's first month and the framework id once; the decider takes them typed. */
describe('framework requests at the edge', () => {
  const pipe = new RequestValidationPipe();
  const bodyOf = (metatype: new () => object, value: object) =>
    pipe.transform(value, { type: 'body', metatype });
  const version = {
    name: "Children's homes",
    effectiveFrom: '2026-01',
    indicators: [
      {
        code: 'EDU',
        name: 'Children in education (%)',
        unit: 'percentage',
        direction: 'higher-is-better',
        target: 80,
        floor: 70,
        periodicity: 'monthly',
        aggregation: 'average',
      },
    ],
    bonusRule: null,
  };

  // Moved from the framework decider's spec ('effectiveFrom: must be a month'), with its assertion.
  it.each([
    [PublishFrameworkVersionBody, { ...version, effectiveFrom: '2026-13' }],
    [PublishPresetBody, { effectiveFrom: '2026-13' }],
    [PublishPresetBody, { effectiveFrom: 202601 }],
  ])('refuses a first month that is not a month (%#), naming the field', async (type, body) => {
    const refusal = await bodyOf(type, body).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidRequestException);
    expect((refusal as InvalidRequestException).errors).toEqual([
      { field: 'effectiveFrom', reason: expect.stringContaining('must be a month') as string },
    ]);
  });

  it('takes a well-formed version as it is', async () => {
    expect(await bodyOf(PublishFrameworkVersionBody, version)).toEqual(version);
  });

  const council = {
    ...version,
    indicators: [
      {
        code: 'PEOPLE',
        name: 'People supported',
        kind: 'data-only',
        unit: 'count',
        direction: 'higher-is-better',
        breakdown: { name: 'lead need', categories: ['MH', 'LD', 'PSD', 'OP'] },
        periodicity: 'monthly',
        aggregation: 'last',
      },
      {
        code: 'OCC',
        name: 'Occupancy (%)',
        kind: 'derived',
        formula: { operation: 'percentage', of: ['DELIV', 'AVAIL'] },
        unit: 'percentage',
        direction: 'higher-is-better',
        targetsByPeriod: { quarters: { Q1: 70, Q2: 75, Q3: 80, Q4: 85 }, years: { '2026/27': 80 } },
        floor: 60,
        previousOutturn: { value: 64, period: '2025/26' },
        comparativeBenchmark: { value: 71, source: 'England average 2025/26' },
        periodicity: 'monthly',
        aggregation: 'average',
      },
    ],
  };

  it('takes the fields of council indicators as they are (the decider checks them)', async () => {
    expect(await bodyOf(PublishFrameworkVersionBody, council)).toEqual(council);
  });

  it('takes termly, contract-year and per-quarter range fields as they are', async () => {
    const periods = {
      ...version,
      indicators: [
        {
          code: 'ATT',
          name: 'Attendance (%)',
          unit: 'percentage',
          direction: 'higher-is-better',
          targetsByPeriod: { terms: { autumn: 90, spring: 92, summer: 94 } },
          periodicity: 'termly',
          yearBasis: 'academic',
          aggregation: 'average',
        },
        {
          code: 'ACCEPT',
          name: 'Accepted within 4 hours (%)',
          unit: 'percentage',
          direction: 'higher-is-better',
          targetsByContractYear: [95, 96, 97, 99],
          contractStart: '2026-04',
          periodicity: 'monthly',
          aggregation: 'average',
        },
        {
          code: 'REF',
          name: 'Referrals',
          kind: 'activity',
          unit: 'count',
          direction: 'within-range',
          expectedRangesByQuarter: { Q1: { lower: 90, upper: 120 }, Q2: { lower: 60, upper: 90 } },
          expectedRange: { lower: 80, upper: 130 },
          periodicity: 'quarterly',
          aggregation: 'sum',
        },
      ],
    };
    expect(await bodyOf(PublishFrameworkVersionBody, periods)).toEqual(periods);
  });

  it.each([
    ['formula', { operation: 'sum', of: ['A', 'B'], weights: [1, 2] }, 'weights'],
    ['breakdown', { name: 'need', categories: ['A', 'B'], colour: 'red' }, 'colour'],
    ['targetsByPeriod', { quarters: { Q1: 1 }, months: {} }, 'months'],
    ['targetsByPeriod', { terms: { autumn: 1 }, weeks: {} }, 'weeks'],
    ['expectedRangesByQuarter', { Q1: { lower: 1, upper: 2 }, Q5: { lower: 1, upper: 2 } }, 'Q5'],
    ['previousOutturn', { value: 1, period: '2025/26', source: 'x' }, 'source'],
    ['comparativeBenchmark', { value: 1, source: 'x', period: 'y' }, 'period'],
  ])('refuses a member %s does not have, naming it', async (field, value, member) => {
    const refusal = await bodyOf(PublishFrameworkVersionBody, {
      ...council,
      indicators: [{ ...council.indicators[1], [field]: value }],
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidRequestException);
    expect((refusal as InvalidRequestException).errors.map((e) => e.field)).toEqual([
      `indicators[0].${field}.${member}`,
    ]);
  });

  it('refuses a malformed framework id in the path, naming it', () => {
    const parse = () => EntityIdParam.transform('F1!', { type: 'param', data: 'frameworkId' });
    expect(parse).toThrow(InvalidCommandError);
    expect(parse).toThrow('frameworkId: must be 1 to 63 lowercase letters');
  });
});
