import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type ServiceRegistered,
} from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import { createTestDatabase, id, type TestDatabase } from '@kpi/testing';
import type { CommandContext, DomainEvent } from '@kpi/command-handling';
import type { Pool } from 'pg';
import type { LogComplaintInput, RespondToComplaintInput } from './complaints.commands';
import { acknowledgeComplaint, logComplaint, respondToComplaint } from './complaints.use-cases';

/**
 * The complaint commands, given / when / then on PostgreSQL (the complaint's
 * texts are sealed into the personal-data vault, which lives there): the service is given as
 * the organisation recorded it, then a command runs and what it wrote and answered is checked.
 * Each test is a tenant of its own.
 */
let database: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('complaints_commands');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, eventTypeRegistry());
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database?.drop());

const log = (context: CommandContext, input: LogComplaintInput) =>
  logComplaint(context, vault, input);
const respond = (context: CommandContext, input: RespondToComplaintInput) =>
  respondToComplaint(context, vault, input);

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const response: RespondToComplaintInput = {
  complaintId: id('cmp-2026-0042'),
  respondedOn: '2026-04-24',
  summary: 'We apologised.',
  escalationRoute: 'The Local Government and Social Care Ombudsman.',
  upheld: 'partly-upheld',
};

/**
 * A tenant of the test's own, with its service: `context` for a command, `when` runs one and
 * answers its result and what it appended to the tenant's streams.
 */
async function withService() {
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    store,
    tenantId,
    actor: 'user:rm-1',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date('2026-04-24T16:00:00Z'),
    ...overrides,
  });
  const given = (streamId: string, events: DomainEvent[]) =>
    store.append(
      streamId,
      events.map(({ type, data }) => ({
        eventId: randomUUID(),
        type,
        data,
        metadata: { ...metadataOf(tenantId), actor: 'user:set-up' },
      })),
      'any',
    );
  await given(`${tenantId}:service:ty-gwyn`, [tyGwyn]);
  return {
    tenantId,
    context,
    async when<Input, Result>(
      carryOut: (context: CommandContext, input: Input) => Promise<Result>,
      input: Input,
      overrides: Partial<CommandContext> = {},
    ) {
      const last = 'SELECT coalesce(max(global_position), 0) AS at FROM events';
      const before = (await pool.query<{ at: string }>(last)).rows[0]!.at;
      const result = await carryOut(context(overrides), input);
      const { rows } = await pool.query<{
        streamId: string;
        type: string;
        data: unknown;
        metadata: unknown;
      }>(
        `SELECT stream_id AS "streamId", type, data, metadata FROM events
          WHERE tenant_id = $1 AND global_position > $2 ORDER BY global_position`,
        [tenantId, before],
      );
      return { result, events: rows };
    },
  };
}

const metadataOf = (tenantId: string) => ({
  tenantId,
  actor: 'user:rm-1',
  correlationId: null,
  causationId: null,
  commandId: null,
});

async function withComplaint() {
  const spec = await withService();
  await log(spec.context(), complaint);
  return spec;
}

/** The ciphertexts the vault keeps for a tenant. */
const sealedCount = async (tenantId: string) =>
  Number(
    (await pool.query('SELECT count(*) FROM personal_data WHERE tenant_id = $1', [tenantId]))
      .rows[0].count,
  );

describe('complaint and compliment commands', () => {
  describe('logComplaint', () => {
    it('logs a complaint with its due dates on the bank-holiday calendar, and answers them', async () => {
      const spec = await withService();
      const { result, events } = await spec.when(log, complaint);
      expect(events).toMatchObject([
        {
          streamId: `${spec.tenantId}:complaint:cmp-2026-0042`,
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
          metadata: { tenantId: spec.tenantId, actor: 'user:rm-1' },
        },
      ]);
      expect(result).toEqual({
        streamId: `${spec.tenantId}:complaint:cmp-2026-0042`,
        complaintId: 'cmp-2026-0042',
        dataSubjectId: expect.stringMatching(UUID) as string,
        receivedOn: '2026-04-02',
        acknowledgementDueOn: '2026-04-07',
        responseDueOn: '2026-04-27',
        replayed: false,
      });
    });

    it('writes nothing twice: the same command again answers the first result, replayed', async () => {
      const spec = await withService();
      const context = spec.context();
      const first = await log(context, complaint);
      const { result, events } = await spec.when(log, complaint, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
      expect(await sealedCount(spec.tenantId)).toBe(1);
    });

    it("keeps the summary and the complainant's name and contact out of the event: sealed, under the complainant's key", async () => {
      const spec = await withService();
      const { result, events } = await spec.when(log, {
        ...complaint,
        complainant: { relationship: 'parent', name: 'Ann Jones', contact: '07700 900123' },
      });
      const sealed = {
        ref: expect.stringMatching(UUID) as string,
        subjectId: result.dataSubjectId,
        ciphertextHash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      };
      expect(events[0]!.data).toMatchObject({
        summary: sealed,
        complainant: {
          subjectId: result.dataSubjectId,
          relationship: 'parent',
          name: sealed,
          contact: sealed,
        },
      });
      expect(JSON.stringify(events)).not.toMatch(/Ann Jones|07700|placement plan/);
      const { summary, complainant } = events[0]!.data as {
        summary: { ref: string; subjectId: string; ciphertextHash: string };
        complainant: Record<'name' | 'contact', typeof summary>;
      };
      const opened = await vault.open(spec.tenantId, [
        summary,
        complainant.name,
        complainant.contact,
      ]);
      expect([...opened.values()]).toEqual([complaint.summary, 'Ann Jones', '07700 900123']);
    });

    it('seals under the data subject the request names, and refuses one already erased (409)', async () => {
      const spec = await withService();
      const first = await log(spec.context(), complaint);
      const again = await log(spec.context(), {
        ...complaint,
        complaintId: id('cmp-again'),
        complainant: { subjectId: first.dataSubjectId, name: 'Ann Jones' },
      });
      expect(again.dataSubjectId).toBe(first.dataSubjectId);
      await eraseDataSubject(
        { ...spec.context({ actor: 'user:dpo' }), store, pool },
        { subjectId: first.dataSubjectId, reason: 'consent-withdrawn' },
      );
      const before = await sealedCount(spec.tenantId);
      await expect(
        spec.when(log, {
          ...complaint,
          complaintId: id('cmp-after-erasure'),
          complainant: { subjectId: first.dataSubjectId },
        }),
      ).rejects.toThrow(ConflictError);
      expect(await store.readStream(`${spec.tenantId}:complaint:cmp-after-erasure`)).toEqual([]);
      expect(await sealedCount(spec.tenantId)).toBe(before);
    });

    it('seals nothing for a command it refuses', async () => {
      const spec = await withComplaint();
      const before = await sealedCount(spec.tenantId);
      const named = { ...complaint, complainant: { name: 'Ann Jones' } };
      await expect(spec.when(log, named)).rejects.toThrow(ConflictError);
      await expect(
        spec.when(log, { ...named, complaintId: id('cmp-x'), receivedOn: '2026-04-25' }),
      ).rejects.toThrow(InvalidCommandError);
      await expect(
        spec.when(log, { ...named, complaintId: id('cmp-y'), summary: '' }),
      ).rejects.toThrow(InvalidCommandError);
      await expect(spec.when(respond, { ...response, respondedOn: '2026-04-01' })).rejects.toThrow(
        InvalidCommandError,
      );
      expect(await sealedCount(spec.tenantId)).toBe(before);
    });

    it('derives the id from the command when none is given, the same on a retry', async () => {
      const spec = await withService();
      const context = spec.context();
      const { complaintId: _given, ...anonymous } = complaint;
      const first = await log(context, anonymous);
      const retry = await spec.when(log, anonymous, { commandId: context.commandId });
      expect(retry.events).toEqual([]);
      expect(retry.result).toEqual({ ...first, replayed: true });
      expect(first.complaintId).not.toBe('cmp-2026-0042');
    });

    it("answers 'not found' for a service the tenant does not have", async () => {
      const spec = await withService();
      await expect(spec.when(log, { ...complaint, serviceId: id('plas-hen') })).rejects.toThrow(
        NotFoundError,
      );
    });

    it('refuses a complaint id logged already (409), and a day in the future', async () => {
      const spec = await withComplaint();
      await expect(spec.when(log, complaint)).rejects.toThrow(ConflictError);
      await expect(
        spec.when(log, {
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
        streamId: `${spec.tenantId}:complaint:cmp-2026-0042`,
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
    it('records the response with how to escalate, its text sealed under the complainant’s key, and answers the finding', async () => {
      const spec = await withService();
      const { dataSubjectId } = await log(spec.context(), complaint);
      const { result, events } = await spec.when(respond, response);
      expect(events).toMatchObject([
        {
          type: 'ComplaintResponded',
          data: {
            respondedOn: '2026-04-24',
            upheld: 'partly-upheld',
            escalationRoute: response.escalationRoute,
            summary: { subjectId: dataSubjectId },
          },
        },
      ]);
      const { summary } = events[0]!.data as {
        summary: { ref: string; subjectId: string; ciphertextHash: string };
      };
      expect((await vault.open(spec.tenantId, [summary])).get(summary.ref)).toBe(response.summary);
      expect(result).toEqual({
        streamId: `${spec.tenantId}:complaint:cmp-2026-0042`,
        complaintId: 'cmp-2026-0042',
        respondedOn: '2026-04-24',
        upheld: 'partly-upheld',
        replayed: false,
      });
    });

    it('refuses a response before the complaint was received, naming respondedOn', async () => {
      const spec = await withComplaint();
      await expect(spec.when(respond, { ...response, respondedOn: '2026-04-01' })).rejects.toThrow(
        'is before the complaint was received (2026-04-02)',
      );
    });

    it('refuses a second response (409)', async () => {
      const spec = await withComplaint();
      await spec.when(respond, response);
      await expect(spec.when(respond, response)).rejects.toThrow(ConflictError);
    });
  });
});
