import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type ServiceRegistered,
} from '@kpi/domain';
import { commandSpecification, id } from '@kpi/testing';
import type { LogComplaintInput, RespondToComplaintInput } from './complaints.commands';
import {
  acknowledgeComplaint,
  logComplaint,
  logCompliment,
  respondToComplaint,
} from './complaints.use-cases';

/**
 * The complaint and compliment commands, given / when / then on the in-memory event store:
 * the service is given as the organisation recorded it, then a command runs and what it wrote
 * and answered is checked.
 */
const tyGwyn: ServiceRegistered = {
  type: 'ServiceRegistered',
  data: {
    serviceId: 'ty-gwyn',
    name: 'Tŷ Gwyn',
    regionId: 'north',
    serviceType: 'childrens-home',
    frameworkId: 'childrens-homes',
    openedOn: '2024-04-01',
    registeredBy: 'user:admin',
    registeredAt: '2024-03-01T09:00:00.000Z',
  },
};

/** Received on the Thursday before Easter 2026. */
const complaint: LogComplaintInput = {
  complaintId: id('cmp-2026-0042'),
  serviceId: id('ty-gwyn'),
  receivedOn: '2026-04-02',
  category: 'communication',
  summary: 'Not told that the placement plan had changed.',
  complainant: { relationship: 'parent' },
};

const response: RespondToComplaintInput = {
  complaintId: id('cmp-2026-0042'),
  respondedOn: '2026-04-24',
  summary: 'We apologised.',
  escalationRoute: 'The Local Government and Social Care Ombudsman.',
  upheld: 'partly-upheld',
};

async function withService() {
  const spec = commandSpecification({ now: new Date('2026-04-24T16:00:00Z') });
  await spec.given('acme:service:ty-gwyn', [tyGwyn]);
  return spec;
}

async function withComplaint() {
  const spec = await withService();
  await logComplaint(spec.context(), complaint);
  return spec;
}

describe('complaint and compliment commands (in memory)', () => {
  describe('logComplaint', () => {
    it('logs a complaint with its due dates on the bank-holiday calendar, and answers them', async () => {
      const spec = await withService();
      const { result, events } = await spec.when(logComplaint, complaint);
      expect(events).toMatchObject([
        {
          streamId: 'acme:complaint:cmp-2026-0042',
          type: 'ComplaintLogged',
          data: {
            complaintId: 'cmp-2026-0042',
            serviceId: 'ty-gwyn',
            receivedOn: '2026-04-02',
            category: 'communication',
            complainant: { relationship: 'parent' },
            acknowledgementDueOn: '2026-04-07',
            responseDueOn: '2026-04-27',
          },
          metadata: { tenantId: 'acme', actor: 'user:rm-1' },
        },
      ]);
      expect(result).toEqual({
        streamId: 'acme:complaint:cmp-2026-0042',
        complaintId: 'cmp-2026-0042',
        receivedOn: '2026-04-02',
        acknowledgementDueOn: '2026-04-07',
        responseDueOn: '2026-04-27',
        replayed: false,
      });
    });

    it('writes nothing twice: the same command again answers the first result, replayed', async () => {
      const spec = await withService();
      const context = spec.context();
      const first = await logComplaint(context, complaint);
      const { result, events } = await spec.when(logComplaint, complaint, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
    });

    it('derives the id from the command when none is given, the same on a retry', async () => {
      const spec = await withService();
      const context = spec.context();
      const { complaintId: _given, ...anonymous } = complaint;
      const first = await logComplaint(context, anonymous);
      const retry = await spec.when(logComplaint, anonymous, { commandId: context.commandId });
      expect(retry.events).toEqual([]);
      expect(retry.result).toEqual({ ...first, replayed: true });
      expect(first.complaintId).not.toBe('cmp-2026-0042');
    });

    it("answers 'not found' for a service the tenant does not have", async () => {
      const spec = await withService();
      await expect(
        spec.when(logComplaint, { ...complaint, serviceId: id('plas-hen') }),
      ).rejects.toThrow(NotFoundError);
    });

    it('refuses a complaint id logged already (409), and a day in the future', async () => {
      const spec = await withComplaint();
      await expect(spec.when(logComplaint, complaint)).rejects.toThrow(ConflictError);
      await expect(
        spec.when(logComplaint, {
          ...complaint,
          complaintId: id('cmp-later'),
          receivedOn: '2026-04-25',
        }),
      ).rejects.toThrow(InvalidCommandError);
    });
  });

  describe('acknowledgeComplaint', () => {
    const acknowledgement = { complaintId: id('cmp-2026-0042'), acknowledgedOn: '2026-04-07' };

    it('records the acknowledgement, and answers it', async () => {
      const spec = await withComplaint();
      const { result, events } = await spec.when(acknowledgeComplaint, acknowledgement);
      expect(events).toMatchObject([
        { type: 'ComplaintAcknowledged', data: { acknowledgedOn: '2026-04-07' } },
      ]);
      expect(result).toEqual({
        streamId: 'acme:complaint:cmp-2026-0042',
        complaintId: 'cmp-2026-0042',
        acknowledgedOn: '2026-04-07',
        replayed: false,
      });
    });

    it('refuses a second acknowledgement (409) and an unknown complaint (404)', async () => {
      const spec = await withComplaint();
      await spec.when(acknowledgeComplaint, acknowledgement);
      await expect(spec.when(acknowledgeComplaint, acknowledgement)).rejects.toThrow(ConflictError);
      await expect(
        spec.when(acknowledgeComplaint, { ...acknowledgement, complaintId: id('cmp-nothing') }),
      ).rejects.toThrow(NotFoundError);
    });
  });

  describe('respondToComplaint', () => {
    it('records the response with how to escalate, and answers the finding', async () => {
      const spec = await withComplaint();
      const { result, events } = await spec.when(respondToComplaint, response);
      expect(events).toMatchObject([
        {
          type: 'ComplaintResponded',
          data: { respondedOn: '2026-04-24', upheld: 'partly-upheld' },
        },
      ]);
      expect(result).toEqual({
        streamId: 'acme:complaint:cmp-2026-0042',
        complaintId: 'cmp-2026-0042',
        respondedOn: '2026-04-24',
        upheld: 'partly-upheld',
        replayed: false,
      });
    });

    it('refuses a response before the complaint was received, naming respondedOn', async () => {
      const spec = await withComplaint();
      await expect(
        spec.when(respondToComplaint, { ...response, respondedOn: '2026-04-01' }),
      ).rejects.toThrow('is before the complaint was received (2026-04-02)');
    });

    it('refuses a second response (409)', async () => {
      const spec = await withComplaint();
      await spec.when(respondToComplaint, response);
      await expect(spec.when(respondToComplaint, response)).rejects.toThrow(ConflictError);
    });
  });

  describe('logCompliment', () => {
    const compliment = {
      complimentId: id('cpl-2026-0007'),
      serviceId: id('ty-gwyn'),
      receivedOn: '2026-04-03',
      summary: 'A card from a family thanking the night staff.',
    };

    it('logs a compliment, and answers its id', async () => {
      const spec = await withService();
      const { result, events } = await spec.when(logCompliment, compliment);
      expect(events).toMatchObject([
        {
          streamId: 'acme:compliment:cpl-2026-0007',
          type: 'ComplimentLogged',
          data: { serviceId: 'ty-gwyn', receivedOn: '2026-04-03' },
        },
      ]);
      expect(result).toEqual({
        streamId: 'acme:compliment:cpl-2026-0007',
        complimentId: 'cpl-2026-0007',
        replayed: false,
      });
    });

    it("answers 'not found' for a service the tenant does not have", async () => {
      const spec = await withService();
      await expect(
        spec.when(logCompliment, { ...compliment, serviceId: id('plas-hen') }),
      ).rejects.toThrow(NotFoundError);
    });
  });
});
