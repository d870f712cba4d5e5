import type { Period } from '../shared/period';
import { complaintKpi, type ComplaintRecord } from './complaint-kpi';

const complaint = (
  id: string,
  responseDueOn: string,
  respondedOn: string | null,
): ComplaintRecord => ({
  complaintId: id,
  serviceId: 'home-01',
  receivedOn: '2026-04-01',
  category: 'communication',
  acknowledgementDueOn: '2026-04-02',
  acknowledgedOn: null,
  responseDueOn,
  respondedOn,
  finding: null,
});
const april = ['2026-04'] as Period[];

describe('the complaint KPI: the share answered within 15 working days', () => {
  it('counts answered on the due day as in time, a day later as not', () => {
    const kpi = complaintKpi(
      [complaint('a', '2026-04-27', '2026-04-27'), complaint('b', '2026-04-27', '2026-04-28')],
      april,
      '2026-06-01',
    );
    expect(kpi).toEqual({ due: 2, answeredInTime: 1, pending: 0, value: 50, met: false });
  });

  it('counts a complaint in the month its response falls due, not the month received', () => {
    const kpi = complaintKpi([complaint('a', '2026-05-06', '2026-05-01')], april, '2026-06-01');
    expect(kpi.due).toBe(0);
    expect(
      complaintKpi(
        [complaint('a', '2026-05-06', '2026-05-01')],
        ['2026-05'] as Period[],
        '2026-06-01',
      ).due,
    ).toBe(1);
  });

  it('an unanswered complaint counts against it once its date has passed, and waits until then', () => {
    expect(complaintKpi([complaint('a', '2026-04-27', null)], april, '2026-04-27')).toMatchObject({
      due: 0,
      pending: 1,
      value: null,
    });
    expect(complaintKpi([complaint('a', '2026-04-27', null)], april, '2026-04-28')).toMatchObject({
      due: 1,
      answeredInTime: 0,
      value: 0,
      met: false,
    });
  });

  it('a quarter adds numerators and denominators (ratio of sums), not percentages', () => {
    const complaints = [
      complaint('a', '2026-04-10', '2026-04-09'),
      complaint('b', '2026-05-10', '2026-05-09'),
      complaint('c', '2026-05-11', '2026-05-09'),
      complaint('d', '2026-05-12', null),
    ];
    // April 1/1 = 100 %, May 2/3: the average of months would be 83.3 %, the quarter is 3/4.
    const quarter = complaintKpi(
      complaints,
      ['2026-04', '2026-05', '2026-06'] as Period[],
      '2026-07-01',
    );
    expect(quarter).toEqual({ due: 4, answeredInTime: 3, pending: 0, value: 75, met: false });
  });

  it('meets the target only at 100 %; nothing due is not applicable', () => {
    expect(
      complaintKpi([complaint('a', '2026-04-10', '2026-04-01')], april, '2026-07-01').met,
    ).toBe(true);
    expect(complaintKpi([], april, '2026-07-01')).toMatchObject({ value: null, met: null });
  });
});
