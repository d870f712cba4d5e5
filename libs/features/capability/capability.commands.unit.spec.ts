import { ConflictError, InvalidCommandError, NotFoundError, streamIds } from '@kpi/domain';
import { publishChildrensHomesPreset } from '@kpi/features/kpi-frameworks';
import { registerRegion, registerService } from '@kpi/features/organisation';
import { commandSpecification, id, month } from '@kpi/testing';
import { eduEntry, stageEntered } from '@kpi/testing/fixtures';
import {
  recordCapabilityAppeal,
  recordCapabilityReview,
  recordSupervision,
} from './capability.use-cases';

/**
 * The capability commands, given / when / then on the in-memory event store: the organisation
 * and framework are set up by their own commands, the escalation process's Stage 1–3 records
 * are given as history on the counter's stream, then a review, an appeal or a supervision is
 * recorded and what it wrote is checked.
 */
const COUNTER_STREAM = streamIds.capability('acme', 'mgr-a', 'home-02', 'EDU');
const STAGE_3 = eduEntry('2026-01', 3);

async function homeWithStage3({ stage3 = true } = {}) {
  const spec = commandSpecification({ now: new Date('2026-10-12T09:00:00Z') });
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
  if (stage3) {
    await spec.given(COUNTER_STREAM, [
      stageEntered({ period: '2026-01', misses: 1 }),
      stageEntered({ period: '2026-03', misses: 3 }),
      stageEntered({ period: '2026-04', misses: 4 }),
    ]);
  }
  return spec;
}

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

describe('capability commands (in memory)', () => {
  describe('record a capability review', () => {
    it("records the review of the counter's Stage 3, and answers it", async () => {
      const spec = await homeWithStage3();
      const { result, events } = await spec.when(recordCapabilityReview, review);
      expect(events).toMatchObject([
        {
          streamId: COUNTER_STREAM,
          type: 'CapabilityReviewRecorded',
          data: { entryId: STAGE_3, outcome: 'standards-met', heldBy: 'hr-sam' },
          metadata: { tenantId: 'acme' },
        },
      ]);
      expect(result).toMatchObject({
        streamId: COUNTER_STREAM,
        entryId: STAGE_3,
        outcome: 'standards-met',
        nextReviewDue: null,
        replayed: false,
      });
      expect(result.reviewId).toBe((events[0]!.data as { reviewId: string }).reviewId);
    });

    it('writes nothing twice: the same command again answers the first result, replayed', async () => {
      const spec = await homeWithStage3();
      const context = spec.context();
      const first = await recordCapabilityReview(context, review);
      const { result, events } = await spec.when(recordCapabilityReview, review, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
    });

    it('refuses a review when the counter has no Stage 3 (409)', async () => {
      const spec = await homeWithStage3({ stage3: false });
      await expect(spec.when(recordCapabilityReview, review)).rejects.toThrow(ConflictError);
    });

    it("answers 'not found' for a home the tenant does not have", async () => {
      const spec = await homeWithStage3();
      await expect(
        spec.when(recordCapabilityReview, { ...review, serviceId: id('home-99') }),
      ).rejects.toThrow(NotFoundError);
    });
  });

  describe('record a capability appeal', () => {
    it('records an appeal against the Stage 3 entry, heard by someone not involved', async () => {
      const spec = await homeWithStage3();
      const { result, events } = await spec.when(recordCapabilityAppeal, appeal);
      expect(events).toMatchObject([
        {
          streamId: COUNTER_STREAM,
          type: 'CapabilityAppealRecorded',
          data: { heardBy: 'director-ola', outcome: 'not-upheld' },
        },
      ]);
      expect(result).toMatchObject({
        streamId: COUNTER_STREAM,
        against: { kind: 'stage', entryId: STAGE_3, stage: 3 },
        replayed: false,
      });
    });

    it('writes nothing twice', async () => {
      const spec = await homeWithStage3();
      const context = spec.context();
      const first = await recordCapabilityAppeal(context, appeal);
      const { result, events } = await spec.when(recordCapabilityAppeal, appeal, {
        commandId: context.commandId,
      });
      expect(events).toEqual([]);
      expect(result).toEqual({ ...first, replayed: true });
    });

    it("refuses an appeal heard by the home's regional manager (409)", async () => {
      const spec = await homeWithStage3();
      await expect(
        spec.when(recordCapabilityAppeal, { ...appeal, heardBy: 'rm-gwen' }),
      ).rejects.toThrow(ConflictError);
    });
  });

  describe('record a supervision', () => {
    it('records a session that discussed a counter, and answers it', async () => {
      const spec = await homeWithStage3({ stage3: false });
      const { result, events } = await spec.when(recordSupervision, supervision);
      expect(events).toMatchObject([
        {
          streamId: streamIds.supervision('acme', 'mgr-a'),
          type: 'SupervisionRecorded',
          data: {
            superviseeId: 'mgr-a',
            supervisorId: 'rm-gwen',
            capabilityItems: [{ serviceId: 'home-02', indicatorCode: 'EDU' }],
          },
        },
      ]);
      expect(result).toMatchObject({
        streamId: streamIds.supervision('acme', 'mgr-a'),
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
