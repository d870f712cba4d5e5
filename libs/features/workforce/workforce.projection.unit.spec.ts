import type {
  StaffEvent,
  StaffMemberLeft,
  StaffMemberRegistered,
  SupervisionRecorded,
} from '@kpi/domain';
import { supervisionRecorded, recorded } from '@kpi/testing/fixtures';
import type { Recorded } from '@kpi/projections';
import { evolveWorkforce, workforceKeyOf, type WorkforceRow } from './workforce.projection';

const staffRegistered = (
  data: Partial<StaffMemberRegistered['data']> = {},
): StaffMemberRegistered => ({
  type: 'StaffMemberRegistered',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    role: 'care-worker',
    startedOn: '2026-01-05',
    dbsCheckedOn: '2025-12-10',
    registeredBy: 'user:hr-sam',
    recordedAt: '2026-01-05T09:00:00.000Z',
    ...data,
  },
});
const staffLeft = (leftOn = '2026-05-29'): StaffMemberLeft => ({
  type: 'StaffMemberLeft',
  data: {
    staffId: 'cw-alys',
    serviceId: 'plas-newydd',
    leftOn,
    reason: 'Resigned',
    recordedBy: 'user:hr-sam',
    recordedAt: '2026-05-29T09:00:00.000Z',
  },
});
const oneToOne = (date: string, data: Partial<SupervisionRecorded['data']> = {}) =>
  supervisionRecorded({
    supervisionId: `sup-${date}`,
    superviseeId: 'cw-alys',
    date,
    kind: 'one-to-one',
    capabilityItems: [],
    ...data,
  });

type Event = StaffEvent | SupervisionRecorded;
const fold = (events: readonly Event[], tenantId = 'acme'): WorkforceRow | null =>
  events.reduce<WorkforceRow | null>(
    (row, event) => evolveWorkforce(row, recorded(event, { tenantId }) as Recorded<Event>),
    null,
  );

const registeredRow: WorkforceRow = {
  tenantId: 'acme',
  staffId: 'cw-alys',
  serviceId: 'plas-newydd',
  role: 'care-worker',
  startedOn: '2026-01-05',
  leftOn: null,
  oneToOneDates: [],
  latestOneToOneOn: null,
  latestAppraisalOn: null,
  careCertificateOn: null,
  latestSafeguardingOn: null,
  latestDbsCheckOn: '2025-12-10',
};

describe('the workforce read model', () => {
  describe('when a staff member is registered', () => {
    it('makes a row of their service, role, first day and DBS check', () => {
      expect(fold([staffRegistered()])).toEqual(registeredRow);
    });
  });

  describe('when they leave', () => {
    it('keeps their last day in post', () => {
      expect(fold([staffRegistered(), staffLeft()])).toEqual({
        ...registeredRow,
        leftOn: '2026-05-29',
      });
    });
  });

  describe('when one-to-one supervisions are recorded', () => {
    it('keeps every date, in order, and the latest', () => {
      const row = fold([staffRegistered(), oneToOne('2026-04-02'), oneToOne('2026-02-10')]);
      expect(row).toMatchObject({
        oneToOneDates: ['2026-02-10', '2026-04-02'],
        latestOneToOneOn: '2026-04-02',
      });
    });

    it('ignores ad hoc and group sessions', () => {
      const adHoc = recorded(oneToOne('2026-04-02', { kind: 'ad-hoc' }));
      expect(workforceKeyOf(adHoc as Recorded<Event>)).toBeNull();
      expect(fold([staffRegistered(), oneToOne('2026-04-02', { kind: 'group' })])).toEqual(
        registeredRow,
      );
    });

    it('counts sessions recorded before the staff member was registered', () => {
      const before = fold([oneToOne('2025-12-15')]);
      expect(before).toMatchObject({
        serviceId: null,
        startedOn: null,
        oneToOneDates: ['2025-12-15'],
      });
      const registeredLater = fold([
        oneToOne('2025-12-15'),
        staffRegistered(),
        oneToOne('2026-03-01'),
      ]);
      expect(registeredLater).toEqual({
        ...registeredRow,
        oneToOneDates: ['2025-12-15', '2026-03-01'],
        latestOneToOneOn: '2026-03-01',
      });
      expect(fold([staffRegistered(), oneToOne('2025-12-15'), oneToOne('2026-03-01')])).toEqual(
        registeredLater,
      );
    });

    it('keeps them in order whatever order they are recorded in', () => {
      const row = fold([
        staffRegistered(),
        oneToOne('2026-03-01'),
        oneToOne('2026-01-10'),
        oneToOne('2026-05-20'),
        oneToOne('2026-02-14'),
        oneToOne('2026-01-10', { supervisionId: 'again' }),
      ]);
      expect(row).toMatchObject({
        oneToOneDates: ['2026-01-10', '2026-02-14', '2026-03-01', '2026-05-20'],
        latestOneToOneOn: '2026-05-20',
      });
    });

    it('leaves the row as it is for a session on a day already counted', () => {
      const row = fold([staffRegistered(), oneToOne('2026-03-01')]);
      expect(
        evolveWorkforce(
          row,
          recorded(oneToOne('2026-03-01', { supervisionId: 'other' })) as Recorded<Event>,
        ),
      ).toBe(row);
    });

    it('keeps two sessions on one day as one date', () => {
      expect(
        fold([
          staffRegistered(),
          oneToOne('2026-03-01'),
          oneToOne('2026-03-01', { supervisionId: 'other' }),
        ]),
      ).toMatchObject({ oneToOneDates: ['2026-03-01'] });
    });
  });

  describe('appraisals, training and DBS checks', () => {
    it('keeps the latest of each', () => {
      const base = {
        staffId: 'cw-alys',
        serviceId: 'plas-newydd',
        recordedBy: 'u',
        recordedAt: '',
      };
      const row = fold([
        staffRegistered(),
        {
          type: 'StaffAppraisalRecorded',
          data: { ...base, heldOn: '2026-04-20', appraiserId: 'm' },
        },
        {
          type: 'StaffAppraisalRecorded',
          data: { ...base, heldOn: '2026-02-20', appraiserId: 'm' },
        },
        {
          type: 'StaffTrainingCompleted',
          data: { ...base, course: 'care-certificate', completedOn: '2026-03-20' },
        },
        {
          type: 'StaffTrainingCompleted',
          data: { ...base, course: 'safeguarding', completedOn: '2026-02-02' },
        },
        { type: 'StaffDbsCheckRecorded', data: { ...base, checkedOn: '2026-03-03' } },
      ]);
      expect(row).toMatchObject({
        latestAppraisalOn: '2026-04-20',
        careCertificateOn: '2026-03-20',
        latestSafeguardingOn: '2026-02-02',
        latestDbsCheckOn: '2026-03-03',
      });
    });
  });

  it('keys the row tenant first, so two tenants never share a row', () => {
    expect(workforceKeyOf(recorded(staffRegistered(), { tenantId: 'acme' }))).toBe(
      '["acme","cw-alys"]',
    );
    expect(
      workforceKeyOf(
        recorded(oneToOne('2026-03-01'), { tenantId: 'bryn-melyn' }) as Recorded<Event>,
      ),
    ).toBe('["bryn-melyn","cw-alys"]');
  });

  describe('when the same event is delivered twice', () => {
    it('changes nothing', () => {
      for (const event of [staffRegistered(), staffLeft(), oneToOne('2026-03-01')] as Event[]) {
        const delivered = recorded(event) as Recorded<Event>;
        const once = evolveWorkforce(fold([staffRegistered()]), delivered);
        expect(evolveWorkforce(once, delivered)).toEqual(once);
      }
    });
  });
});
