import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, InvalidCommandError, NotFoundError, streamIds } from '@kpi/domain';
import { eventStoreMigrations, migrate, PostgresEventStore } from '@kpi/event-store';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { eraseDataSubject, PersonalDataVault } from '@kpi/personal-data';
import { eventTypeRegistry } from '@kpi/runtime';
import {
  commandSpecification,
  createTestDatabase,
  id,
  month,
  type TestDatabase,
} from '@kpi/testing';
import { eduEntry, stageEntered } from '@kpi/testing/fixtures';
import type { CommandContext } from '@kpi/command-handling';
import type { Pool } from 'pg';
import type {
  RecordCapabilityAppealInput,
  RecordCapabilityReviewInput,
} from './capability.commands';
import {
  recordCapabilityAppeal,
  recordCapabilityReview,
  recordSupervision,
} from './capability.use-cases';

/**
 * The capability commands, given / when / then on the in-memory event store, with the
 * personal-data vault on PostgreSQL (the reasons of reviews and appeals are sealed there): the
 * organisation and framework are set up by their own commands, the escalation process's
 * Stage 1–3 records are given as history on the counter's stream, then a review, an appeal or a
 * supervision is recorded and what it wrote is checked. Each test is a tenant of its own.
 */
let database: TestDatabase;
let pool: Pool;
let vault: PersonalDataVault;
beforeAll(async () => {
  database = await createTestDatabase('capability_commands');
  pool = database.pool();
  await migrate(pool, eventStoreMigrations);
  vault = new PersonalDataVault(pool, randomBytes(32).toString('base64'));
});
afterAll(() => database?.drop());

const review_ = (context: CommandContext, input: RecordCapabilityReviewInput) =>
  recordCapabilityReview(context, vault, input);
const appeal_ = (context: CommandContext, input: RecordCapabilityAppealInput) =>
  recordCapabilityAppeal(context, vault, input);

const STAGE_3 = eduEntry('2026-01', 3);

async function homeWithStage3({ stage3 = true } = {}) {
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  const spec = commandSpecification({ tenantId, now: new Date('2026-10-12T09:00:00Z') });
  await registerRegion(spec.context({ actor: 'user:admin' }), {
    regionId: id('north-wales'),
    name: 'North Wales',
    regionalManagerId: id('rm-gwen'),
  });
  await publishChildrensHomesPreset(spec.context(), { effectiveFrom: month('2024-04') });
  await registerService(spec.context(), {
    serviceId: id('home-02'),
    name: 'Home 2',
    regionId: id('north-wales'),
    serviceType: 'childrens-home',
    frameworkId: id('childrens-homes'),
    openedOn: '2024-04-01',
  });
  const counterStream = streamIds.capability(tenantId, 'mgr-a', 'home-02', 'EDU');
  if (stage3) {
    await spec.given(counterStream, [
      stageEntered({ period: '2026-01', misses: 1 }),
      stageEntered({ period: '2026-03', misses: 3 }),
      stageEntered({ period: '2026-04', misses: 4 }),
    ]);
  }
  return Object.assign(spec, { counterStream });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface SealedReasons {
  ref: string;
  subjectId: string;
  ciphertextHash: string;
}

/** The PostgreSQL store an erasure appends to (the commands under test use the in-memory one). */
const postgresStore = () => new PostgresEventStore(pool, eventTypeRegistry());

/** The ciphertexts the vault keeps for a tenant. */
const sealedCount = async (tenantId: string) =>
  Number(
    (await pool.query('SELECT count(*) FROM personal_data WHERE tenant_id = $1', [tenantId]))
      .rows[0].count,
  );

const counter = { managerId: id('mgr-a'), serviceId: id('home-02'), indicatorCode: 'EDU' };

const review = {
  ...counter,
  heldBy: 'hr-sam',
  heldByRole: 'hr' as const,
  heldOn: '2026-05-20',
  companionOffered: true,
  outcome: 'standards-met' as const,
  reasons: 'Attendance plan in place',
};

const appeal = {
  ...counter,
  against: { entryId: STAGE_3 },
  heardBy: 'director-ola',
  heardOn: '2026-05-22',
  outcome: 'not-upheld' as const,
  reasons: 'The four months were missed and support was offered at each stage.',
};

const supervision = {
  superviseeId: id('mgr-a'),
  supervisorId: 'rm-gwen',
  date: '2026-05-03',
  kind: 'one-to-one' as const,
  capabilityItems: [{ serviceId: 'home-02', indicatorCode: 'EDU' }],
};

describe('capability commands', () => {
  describe('record a capability review', () => {
    it("records the review of the counter's Stage 3, and answers it", async () => {
      const spec = await homeWithStage3();
      const { result, events } = await spec.when(review_, review);
      expect(events).toMatchObject([
        {
          streamId: spec.counterStream,
          type: 'CapabilityReviewRecorded',
          data: { entryId: STAGE_3, outcome: 'standards-met', heldBy: 'hr-sam' },
          metadata: { tenantId: spec.tenantId },
        },
      ]);
      expect(result).toMatchObject({
        streamId: spec.counterStream,
        entryId: STAGE_3,
        outcome: 'standards-met',
        nextReviewDue: null,
        replayed: false,
      });
      expect(result.reviewId).toBe((events[0]!.data as { reviewId: string }).reviewId);
    });

    it("keeps the reasons sealed under the manager's key: the event holds a reference and a hash", async () => {
      const spec = await homeWithStage3();
      const { events } = await spec.when(review_, review);
      const { reasons } = events[0]!.data as { reasons: SealedReasons };
      expect(reasons).toEqual({
        ref: expect.stringMatching(UUID) as string,
        subjectId: 'mgr-a',
        ciphertextHash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      });
      expect(JSON.stringify(events)).not.toContain('Attendance');
      const opened = await vault.open(spec.tenantId, [reasons]);
      expect(opened.get(reasons.ref)).toBe('Attendance plan in place');
    });

    it('writes nothing twice: the same command again answers the first result, replayed', async () => {
      const spec = await homeWithStage3();
      const context = spec.context();
      const first = await review_(context, review);
      const { result, events } = await spec.when(review_, review, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
      expect(await sealedCount(spec.tenantId)).toBe(1);
    });

    it('refuses a review when the counter has no Stage 3 (409), sealing nothing', async () => {
      const spec = await homeWithStage3({ stage3: false });
      await expect(spec.when(review_, review)).rejects.toThrow(ConflictError);
      expect(await sealedCount(spec.tenantId)).toBe(0);
    });

    it('refuses reasons that are blank or too long (400 naming them), sealing nothing', async () => {
      const spec = await homeWithStage3();
      for (const reasons of ['  ', 'x'.repeat(4001)]) {
        await expect(spec.when(review_, { ...review, reasons })).rejects.toThrow(
          /^reasons: is required: 1 to 4000 characters$/,
        );
      }
      expect(await sealedCount(spec.tenantId)).toBe(0);
    });

    it("answers 'not found' for a home the tenant does not have", async () => {
      const spec = await homeWithStage3();
      await expect(spec.when(review_, { ...review, serviceId: id('home-99') })).rejects.toThrow(
        NotFoundError,
      );
    });

    it('keeps nothing new about an erased manager: a review is refused (409), nothing written', async () => {
      const spec = await homeWithStage3();
      await review_(spec.context(), {
        ...review,
        outcome: 'mitigating-circumstances',
        furtherReviewMonths: 2,
      });
      await eraseDataSubject(
        { ...spec.context({ actor: 'user:dpo' }), store: postgresStore(), pool },
        { subjectId: 'mgr-a', reason: 'no-longer-needed' },
      );
      await expect(spec.when(review_, review)).rejects.toThrow(
        /^Data subject mgr-a was erased on 2026-10-12: nothing more is kept about them$/,
      );
      expect(await spec.store.readStream(spec.counterStream)).toHaveLength(4);
    });
  });

  describe('record a capability appeal', () => {
    it('records an appeal against the Stage 3 entry, heard by someone not involved', async () => {
      const spec = await homeWithStage3();
      const { result, events } = await spec.when(appeal_, appeal);
      expect(events).toMatchObject([
        {
          streamId: spec.counterStream,
          type: 'CapabilityAppealRecorded',
          data: {
            heardBy: 'director-ola',
            outcome: 'not-upheld',
            reasons: { subjectId: 'mgr-a' },
          },
        },
      ]);
      expect(result).toMatchObject({
        streamId: spec.counterStream,
        against: { kind: 'stage', entryId: STAGE_3, stage: 3 },
        replayed: false,
      });
      const { reasons } = events[0]!.data as { reasons: SealedReasons };
      expect((await vault.open(spec.tenantId, [reasons])).get(reasons.ref)).toBe(appeal.reasons);
    });

    it('writes nothing twice', async () => {
      const spec = await homeWithStage3();
      const context = spec.context();
      const first = await appeal_(context, appeal);
      const { result, events } = await spec.when(appeal_, appeal, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
      expect(await sealedCount(spec.tenantId)).toBe(1);
    });

    it("refuses an appeal heard by the home's regional manager (409), sealing nothing", async () => {
      const spec = await homeWithStage3();
      await expect(spec.when(appeal_, { ...appeal, heardBy: 'rm-gwen' })).rejects.toThrow(
        ConflictError,
      );
      expect(await sealedCount(spec.tenantId)).toBe(0);
    });
  });

  describe('record a supervision', () => {
    it('records a session that discussed a counter, and answers it', async () => {
      const spec = await homeWithStage3({ stage3: false });
      const { result, events } = await spec.when(recordSupervision, supervision);
      expect(events).toMatchObject([
        {
          streamId: streamIds.supervision(spec.tenantId, 'mgr-a'),
          type: 'SupervisionRecorded',
          data: {
            superviseeId: 'mgr-a',
            supervisorId: 'rm-gwen',
            capabilityItems: [{ serviceId: 'home-02', indicatorCode: 'EDU' }],
          },
        },
      ]);
      expect(result).toMatchObject({
        streamId: streamIds.supervision(spec.tenantId, 'mgr-a'),
        supervisionId: (events[0]!.data as { supervisionId: string }).supervisionId,
        replayed: false,
      });
    });

    it('writes nothing twice', async () => {
      const spec = await homeWithStage3({ stage3: false });
      const context = spec.context();
      const first = await recordSupervision(context, supervision);
      const { result, events } = await spec.when(recordSupervision, supervision, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
    });

    it("refuses items naming a home or an indicator the tenant's framework lacks", async () => {
      const spec = await homeWithStage3({ stage3: false });
      const refusal = await spec
        .when(recordSupervision, {
          ...supervision,
          capabilityItems: [
            { serviceId: 'no-such-home', indicatorCode: 'EDU' },
            { serviceId: 'home-02', indicatorCode: 'XYZ' },
          ],
        })
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(InvalidCommandError);
      expect((refusal as InvalidCommandError).problems.map((p) => p.field)).toEqual([
        'capabilityItems[0].serviceId',
        'capabilityItems[1].indicatorCode',
      ]);
    });
  });
});
