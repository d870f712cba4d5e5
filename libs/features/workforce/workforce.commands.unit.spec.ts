import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type ServiceRegistered,
} from '@kpi/domain';
import { commandSpecification, id } from '@kpi/testing';
import {
  recordAppraisal,
  recordDbsCheck,
  recordTraining,
  registerStaffMember,
} from './staff.use-cases';
import type { RegisterStaffMemberInput } from './workforce.commands';

/**
 * The staff-register commands, given / when / then on the in-memory event store: the service
 * is given as the organisation recorded it, then a command runs and what it wrote is checked.
 */
const plasNewydd: ServiceRegistered = {
  type: 'ServiceRegistered',
  data: {
    serviceId: 'plas-newydd',
    name: 'Plas Newydd',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
    registeredBy: 'user:admin',
    registeredAt: '2024-03-01T09:00:00.000Z',
  },
};

const alys: RegisterStaffMemberInput = {
  staffId: id('cw-alys'),
  serviceId: id('plas-newydd'),
  role: 'care-worker',
  startedOn: '2026-01-05',
  dbsCheckedOn: '2025-12-10',
};

async function withService() {
  const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
  await spec.given('acme:service:plas-newydd', [plasNewydd]);
  return spec;
}

async function withAlys() {
  const spec = await withService();
  await registerStaffMember(spec.context(), alys);
  return spec;
}

describe('staff-register commands (in memory)', () => {
  describe('registerStaffMember', () => {
    it('registers a starter at one of the tenant’s services, and answers the outcome', async () => {
      const spec = await withService();
      const { result, events } = await spec.when(registerStaffMember, alys);
      expect(events).toMatchObject([
        {
          streamId: 'acme:staff:cw-alys',
          type: 'StaffMemberRegistered',
          data: {
            staffId: 'cw-alys',
            serviceId: 'plas-newydd',
            role: 'care-worker',
            startedOn: '2026-01-05',
            dbsCheckedOn: '2025-12-10',
            registeredBy: 'user:rm-1',
          },
          metadata: { tenantId: 'acme', actor: 'user:rm-1' },
        },
      ]);
      expect(result).toMatchObject({
        streamId: 'acme:staff:cw-alys',
        streamVersion: 1,
        events: [{ type: 'StaffMemberRegistered' }],
        state: { status: 'registered', startedOn: '2026-01-05', dbsChecks: ['2025-12-10'] },
        replayed: false,
      });
    });

    it('writes nothing twice: the same command again answers the first outcome, replayed', async () => {
      const spec = await withService();
      const context = spec.context();
      const first = await registerStaffMember(context, alys);
      const { result, events } = await spec.when(registerStaffMember, alys, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toMatchObject({ streamVersion: first.streamVersion, replayed: true });
      expect(result.events.map((e) => e.type)).toEqual(['StaffMemberRegistered']);
    });

    it("answers 'not found' for a service the tenant does not have", async () => {
      const spec = await withService();
      await expect(
        spec.when(registerStaffMember, { ...alys, serviceId: id('plas-hen') }),
      ).rejects.toThrow(NotFoundError);
    });

    it('refuses a second registration of the person (409)', async () => {
      const spec = await withAlys();
      await expect(spec.when(registerStaffMember, alys)).rejects.toThrow(ConflictError);
    });

    it('refuses a first day in the future, naming startedOn', async () => {
      const spec = await withService();
      await expect(
        spec.when(registerStaffMember, { ...alys, startedOn: '2026-10-13' }),
      ).rejects.toThrow(InvalidCommandError);
      await expect(
        spec.when(registerStaffMember, { ...alys, startedOn: '2026-10-13' }),
      ).rejects.toThrow('startedOn');
    });
  });

  // Recording a leaver seals the reason into the personal-data vault (PostgreSQL): its specs
  // are in staff-leaving.int.spec.ts.

  describe('recordAppraisal', () => {
    const appraisal = {
      staffId: id('cw-alys'),
      heldOn: '2026-04-20',
      appraiserId: id('mgr-siwan'),
    };

    it('records an appraisal; the same appraisal again writes nothing', async () => {
      const spec = await withAlys();
      const { events } = await spec.when(recordAppraisal, appraisal);
      expect(events).toMatchObject([
        {
          type: 'StaffAppraisalRecorded',
          data: { heldOn: '2026-04-20', appraiserId: 'mgr-siwan' },
        },
      ]);
      const again = await spec.when(recordAppraisal, appraisal);
      expect(again.events).toEqual([]);
      expect(again.result).toMatchObject({ events: [], replayed: false });
    });

    it('refuses the appraisee as their own appraiser, and a date before they started', async () => {
      const spec = await withAlys();
      await expect(
        spec.when(recordAppraisal, { ...appraisal, appraiserId: id('cw-alys') }),
      ).rejects.toThrow('must be someone other than the appraisee');
      await expect(
        spec.when(recordAppraisal, { ...appraisal, heldOn: '2025-01-05' }),
      ).rejects.toThrow('is before the staff member started (2026-01-05)');
    });
  });

  describe('recordTraining', () => {
    const training = {
      staffId: id('cw-alys'),
      course: 'care-certificate' as const,
      completedOn: '2026-03-20',
    };

    it('records a completed course', async () => {
      const spec = await withAlys();
      const { result, events } = await spec.when(recordTraining, training);
      expect(events).toMatchObject([
        {
          type: 'StaffTrainingCompleted',
          data: { course: 'care-certificate', completedOn: '2026-03-20' },
        },
      ]);
      expect(result.state).toMatchObject({
        training: [{ course: 'care-certificate', completedOn: '2026-03-20' }],
      });
    });

    it('refuses a completion in the future, naming completedOn', async () => {
      const spec = await withAlys();
      await expect(
        spec.when(recordTraining, { ...training, completedOn: '2026-11-01' }),
      ).rejects.toThrow('completedOn');
    });
  });

  describe('recordDbsCheck', () => {
    it('records a renewal of the DBS check', async () => {
      const spec = await withAlys();
      const { events } = await spec.when(recordDbsCheck, {
        staffId: id('cw-alys'),
        checkedOn: '2026-03-03',
      });
      expect(events).toMatchObject([
        { type: 'StaffDbsCheckRecorded', data: { checkedOn: '2026-03-03' } },
      ]);
    });

    it("answers 'not found' for someone not on the register", async () => {
      const spec = await withService();
      await expect(
        spec.when(recordDbsCheck, { staffId: id('cw-alys'), checkedOn: '2026-03-03' }),
      ).rejects.toThrow(NotFoundError);
    });
  });
});
