import {
  monthlyReturnDeadline,
  recurringStaffDeadline,
  type Period,
  type WorkingDays,
} from '@kpi/domain';
import { TIMER_JOB_ATTEMPTS, timerBackoffMs } from '@kpi/scheduling';
import { deadlineJobId, jobsForDeadline } from './deadline-jobs';

const calendar: WorkingDays = { workingDaysBefore: (date, n) => `${date}-${n}` };
const november = monthlyReturnDeadline(
  { serviceId: 'home-01', regionId: 'north' },
  '2026-11' as Period,
);
const fixedCalendar: WorkingDays = {
  workingDaysBefore: (_date, n) => (n === 5 ? '2026-12-14' : '2026-12-18'),
};

describe('deadline jobs', () => {
  it('have ids from the tenant and the deadline key, without the colons BullMQ refuses', () => {
    expect(deadlineJobId('acme', november, { kind: 'due' })).toBe(
      'acme~monthly-return~home-01~2026-11~due',
    );
    expect(
      deadlineJobId('acme', november, { kind: 'reminder', reminder: '1-working-day-before' }),
    ).toBe('acme~monthly-return~home-01~2026-11~remind-1-working-day-before');
  });

  it('a deadline ahead: the due job at the end of its day, reminders at 09:00, each delayed from now', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const jobs = jobsForDeadline('acme', november, fixedCalendar, now);
    expect(jobs.map((j) => [j.name, j.runAt.toISOString(), j.opts.delay])).toEqual([
      [
        'deadline-due',
        '2026-12-21T00:00:00.000Z',
        Date.parse('2026-12-21T00:00:00Z') - now.getTime(),
      ],
      [
        'deadline-reminder',
        '2026-12-14T09:00:00.000Z',
        Date.parse('2026-12-14T09:00:00Z') - now.getTime(),
      ],
      [
        'deadline-reminder',
        '2026-12-18T09:00:00.000Z',
        Date.parse('2026-12-18T09:00:00Z') - now.getTime(),
      ],
    ]);
  });

  it('a deadline already past runs at once and without its reminders', () => {
    const jobs = jobsForDeadline('acme', november, calendar, new Date('2027-01-05T10:00:00Z'));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'deadline-due', opts: { delay: 0 } });
  });

  it('staff deadlines have no reminders', () => {
    const supervision = recurringStaffDeadline(
      'supervision',
      { staffId: 'sam', serviceId: 'home-01' },
      '2026-11-30',
    )!;
    expect(
      jobsForDeadline('acme', supervision, calendar, new Date('2026-12-03T12:00:00Z')),
    ).toHaveLength(1);
  });

  it('are retried with capped exponential backoff, and kept when they fail: never dropped', () => {
    const [job] = jobsForDeadline(
      'acme',
      november,
      fixedCalendar,
      new Date('2026-12-03T12:00:00Z'),
    );
    expect(job!.opts).toMatchObject({ attempts: TIMER_JOB_ATTEMPTS, removeOnFail: false });
    expect([1, 2, 3, 10, 11, 25].map(timerBackoffMs)).toEqual([
      1_000, 2_000, 4_000, 512_000, 600_000, 600_000,
    ]);
    const total = Array.from({ length: TIMER_JOB_ATTEMPTS - 1 }, (_, i) =>
      timerBackoffMs(i + 1),
    ).reduce((a, b) => a + b);
    // 1 + 2 + … + 512 s, then 14 × 10 min: about 2 h 37 min before a job is left failed.
    expect(total).toBe(9_423_000);
  });
});
