import { allMet, childrensHomesV1, deciderSpecification, returnSubmitted } from '@kpi/testing';
import { foldEvents } from '../shared/decider';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import type { MonthlyReturnCommand } from './monthly-return.commands';
import { monthlyReturnDecider } from './monthly-return.decider';
import type { MonthlyReturnEvent, MonthlyReturnPublished } from './monthly-return.events';

/**
 * Sign-off of a monthly return (docs/decisions/0037), given / when / then: submitted → verified
 * → published, sent back and amended, and a verified or published return amended afterwards.
 */
const spec = deciderSpecification(monthlyReturnDecider);
const period = '2026-09' as Period;
const ref = { serviceId: 'home-17', period };

const amend = (values: Record<string, unknown>, by = 'user:rm-1', signOff = true) =>
  ({
    type: 'AmendMonthlyReturn',
    data: {
      ...ref,
      values,
      reason: 'Exclusions were counted as attendance',
      framework: childrensHomesV1,
      amendedBy: by,
      signOff,
      now: new Date('2026-10-14T10:00:00Z'),
    },
  }) as const;
const verify = (by = 'user:po-1') =>
  ({
    type: 'VerifyMonthlyReturn',
    data: { ...ref, verifiedBy: by, now: new Date('2026-10-15T09:00:00Z') },
  }) as const;
const sendBack = (by = 'user:po-1') =>
  ({
    type: 'SendBackMonthlyReturn',
    data: {
      ...ref,
      reason: '  EDU does not match the school records  ',
      sentBackBy: by,
      now: new Date('2026-10-15T09:30:00Z'),
    },
  }) as const;
const publish = (by = 'user:admin-1') =>
  ({
    type: 'PublishMonthlyReturn',
    data: { ...ref, publishedBy: by, now: new Date('2026-10-16T09:00:00Z') },
  }) as const;

/** The history, then what `command` decides on it appended: to build givens with the decider. */
function after(history: MonthlyReturnEvent[], ...commands: MonthlyReturnCommand[]) {
  let events = [...history];
  for (const command of commands) {
    events = [
      ...events,
      ...monthlyReturnDecider.decide(command, foldEvents(monthlyReturnDecider, events)),
    ];
  }
  return events;
}

const submittedInSignOff = returnSubmitted({ signOffRequired: true });
const submittedWithoutSignOff = returnSubmitted();

describe('sign-off of a monthly return', () => {
  describe('when the organisation has sign-off on', () => {
    it('marks the submission as waiting for sign-off', () => {
      spec
        .given([])
        .when({
          type: 'SubmitMonthlyReturn',
          data: {
            ...ref,
            values: allMet,
            framework: childrensHomesV1,
            submittedBy: 'user:rm-1',
            signOff: true,
            now: new Date('2026-10-12T09:00:00Z'),
          },
        })
        .then([submittedInSignOff]);
    });

    it('is verified by someone other than who gave the figures, naming which figures', () => {
      spec
        .given([submittedInSignOff])
        .when(verify())
        .then([
          {
            type: 'MonthlyReturnVerified',
            data: {
              ...ref,
              amendmentNumber: 0,
              verifiedBy: 'user:po-1',
              verifiedAt: '2026-10-15T09:00:00.000Z',
            },
          },
        ]);
    });

    it('refuses a verification by whoever submitted the figures (403)', () => {
      spec.given([submittedInSignOff]).when(verify('user:rm-1')).thenThrows(ForbiddenError);
    });

    it('refuses to verify twice, and to publish before it is verified (409)', () => {
      spec
        .given(after([submittedInSignOff], verify()))
        .when(verify())
        .thenThrows(ConflictError);
      spec
        .given([submittedInSignOff])
        .when(publish())
        .thenThrows(ConflictError, /waiting to be verified/);
    });

    it('publishes the verified figures with the figures themselves', () => {
      spec
        .given(after([submittedInSignOff], verify()))
        .when(publish())
        .then([
          {
            type: 'MonthlyReturnPublished',
            data: {
              ...ref,
              frameworkId: 'childrens-homes',
              frameworkVersion: 1,
              amendmentNumber: 0,
              values: submittedInSignOff.data.values,
              results: submittedInSignOff.data.results,
              bonus: submittedInSignOff.data.bonus,
              submittedAt: submittedInSignOff.data.submittedAt,
              late: false,
              changedAt: submittedInSignOff.data.submittedAt,
              publishedBy: 'user:admin-1',
              publishedAt: '2026-10-16T09:00:00.000Z',
            },
          },
        ]);
    });

    it('refuses to publish again once published (409)', () => {
      spec
        .given(after([submittedInSignOff], verify(), publish()))
        .when(publish())
        .thenThrows(ConflictError, /is published/);
    });
  });

  describe('when a verifier sends it back', () => {
    it('records the reason (trimmed; sealed by the use case) and who sent it back', () => {
      spec
        .given([submittedInSignOff])
        .when(sendBack())
        .then([
          {
            type: 'MonthlyReturnSentBack',
            data: {
              ...ref,
              amendmentNumber: 0,
              reason: 'EDU does not match the school records',
              sentBackBy: 'user:po-1',
              sentBackAt: '2026-10-15T09:30:00.000Z',
            },
          },
        ]);
    });

    it('may send back a verified return before it is published', () => {
      spec
        .given(after([submittedInSignOff], verify()))
        .when(sendBack())
        .thenEvents(([event]) => expect(event!.type).toBe('MonthlyReturnSentBack'));
    });

    it('cannot verify or publish it until it is amended (409)', () => {
      const sentBack = after([submittedInSignOff], sendBack());
      spec
        .given(sentBack)
        .when(verify())
        .thenThrows(ConflictError, /sent back/);
      spec
        .given(sentBack)
        .when(publish())
        .thenThrows(ConflictError, /sent back/);
    });

    it('goes back to submitted when amended: send back → amend → verify → publish', () => {
      const amended = after([submittedInSignOff], sendBack(), amend({ EDU: 70 }));
      expect(amended[2]).toMatchObject({
        type: 'MonthlyReturnAmended',
        data: { amendmentNumber: 1, signOffRequired: true },
      });
      spec
        .given(after(amended, verify()))
        .when(publish())
        .thenEvents(([event]) => {
          const { data } = event as MonthlyReturnPublished;
          expect(data.amendmentNumber).toBe(1);
          expect(data.values.EDU).toBe(70);
          expect(data.results.EDU).toMatchObject({ outcome: 'missed', rag: 'red' });
          expect(data.changedAt).toBe('2026-10-14T10:00:00.000Z');
        });
    });

    it('lets the verifier check an amendment made by someone else, not one of their own', () => {
      const amendedByVerifier = after(
        [submittedInSignOff],
        sendBack(),
        amend({ EDU: 70 }, 'user:po-1'),
      );
      spec.given(amendedByVerifier).when(verify('user:po-1')).thenThrows(ForbiddenError);
      spec
        .given(amendedByVerifier)
        .when(verify('user:rm-1'))
        .thenEvents(([event]) => expect(event!.type).toBe('MonthlyReturnVerified'));
    });
  });

  describe('when a verified or published return is amended afterwards', () => {
    it('puts a verified return back to waiting for verification', () => {
      const amended = after([submittedInSignOff], verify(), amend({ EDU: 70 }));
      spec
        .given(amended)
        .when(publish())
        .thenThrows(ConflictError, /waiting to be verified/);
      const state = foldEvents(monthlyReturnDecider, amended);
      expect(state).toMatchObject({ signOff: { stage: 'submitted', publishedAmendment: null } });
    });

    it('keeps the published figures published until the amendment is verified and published', () => {
      const published = after([submittedInSignOff], verify(), publish());
      const amended = after(published, amend({ EDU: 70 }));
      expect(amended[amended.length - 1]).toMatchObject({
        type: 'MonthlyReturnAmended',
        data: { signOffRequired: true },
      });
      expect(foldEvents(monthlyReturnDecider, amended)).toMatchObject({
        values: { EDU: 70 },
        signOff: { stage: 'submitted', publishedAmendment: 0 },
      });
      const republished = after(amended, verify(), publish());
      expect(foldEvents(monthlyReturnDecider, republished)).toMatchObject({
        signOff: { stage: 'published', publishedAmendment: 1 },
      });
    });

    it('stays in sign-off when amended after sign-off was turned off, until published', () => {
      const amended = after([submittedInSignOff], amend({ EDU: 70 }, 'user:rm-1', false));
      expect(amended[1]).toMatchObject({ data: { signOffRequired: true } });
    });

    it('is published at once when amended with sign-off off after it was published', () => {
      const published = after([submittedInSignOff], verify(), publish());
      const amended = after(published, amend({ EDU: 70 }, 'user:rm-1', false));
      expect(amended[amended.length - 1]!.data).not.toHaveProperty('signOffRequired');
      expect(foldEvents(monthlyReturnDecider, amended)).toMatchObject({
        signOff: { stage: 'published', publishedAmendment: 1 },
      });
    });
  });

  describe('when the organisation has sign-off off (as before sign-off existed)', () => {
    it('writes the submission and amendments without a sign-off mark', () => {
      const amended = after([submittedWithoutSignOff], amend({ EDU: 70 }, 'user:rm-1', false));
      expect(amended[1]!.data).not.toHaveProperty('signOffRequired');
      expect(foldEvents(monthlyReturnDecider, amended)).toMatchObject({ signOff: null });
    });

    it('has no sign-off steps for a return published as given (409)', () => {
      spec
        .given([submittedWithoutSignOff])
        .when(verify())
        .thenThrows(ConflictError, /not in sign-off/);
      spec.given([submittedWithoutSignOff]).when(sendBack()).thenThrows(ConflictError);
      spec.given([submittedWithoutSignOff]).when(publish()).thenThrows(ConflictError);
    });

    it('puts a return published as given into sign-off when amended after sign-off is turned on', () => {
      const amended = after([submittedWithoutSignOff], amend({ EDU: 70 }));
      expect(foldEvents(monthlyReturnDecider, amended)).toMatchObject({
        signOff: { stage: 'submitted', publishedAmendment: 0 },
      });
    });
  });

  it('knows no return to sign off before one is submitted (404)', () => {
    spec.given([]).when(verify()).thenThrows(NotFoundError);
    spec.given([]).when(publish()).thenThrows(NotFoundError);
  });
});
