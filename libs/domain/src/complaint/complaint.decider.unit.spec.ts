import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type {
  AcknowledgeComplaint,
  LogComplaint,
  LogCompliment,
  RespondToComplaint,
} from './complaint.commands';
import { complaintDecider } from './complaint.decider';
import type {
  ComplaintAcknowledged,
  ComplaintLogged,
  ComplaintResponded,
  ComplimentLogged,
} from './complaint.events';
import { complimentDecider } from './compliment.decider';

const spec = deciderSpecification(complaintDecider);
const now = new Date('2026-04-08T10:00:00Z'); // Wednesday, London BST
const COMPLAINT = 'c-1';
const SUBJECT = '0b8e3c52-7d1f-4a36-9a51-2f6c1e0d9a47';

const log = (data: Partial<LogComplaint['data']> = {}): LogComplaint => ({
  type: 'LogComplaint',
  data: {
    complaintId: COMPLAINT,
    serviceId: 'ty-gwyn',
    receivedOn: '2026-04-02',
    category: 'communication',
    summary: 'Not told about a change of placement plan',
    complainant: { relationship: 'parent' },
    newSubjectId: SUBJECT,
    acknowledgementDueOn: '2026-04-07',
    responseDueOn: '2026-04-27',
    loggedBy: 'user:mgr-1',
    now,
    ...data,
  },
});
const logged: ComplaintLogged = {
  type: 'ComplaintLogged',
  data: {
    complaintId: COMPLAINT,
    serviceId: 'ty-gwyn',
    receivedOn: '2026-04-02',
    category: 'communication',
    summary: 'Not told about a change of placement plan',
    complainant: { subjectId: SUBJECT, relationship: 'parent', name: null, contact: null },
    acknowledgementDueOn: '2026-04-07',
    responseDueOn: '2026-04-27',
    loggedBy: 'user:mgr-1',
    loggedAt: now.toISOString(),
  },
};
const acknowledge = (data: Partial<AcknowledgeComplaint['data']> = {}): AcknowledgeComplaint => ({
  type: 'AcknowledgeComplaint',
  data: {
    complaintId: COMPLAINT,
    acknowledgedOn: '2026-04-07',
    acknowledgedBy: 'user:mgr-1',
    now,
    ...data,
  },
});
const acknowledged: ComplaintAcknowledged = {
  type: 'ComplaintAcknowledged',
  data: {
    complaintId: COMPLAINT,
    acknowledgedOn: '2026-04-07',
    acknowledgedBy: 'user:mgr-1',
    recordedAt: now.toISOString(),
  },
};
const respond = (data: Partial<RespondToComplaint['data']> = {}): RespondToComplaint => ({
  type: 'RespondToComplaint',
  data: {
    complaintId: COMPLAINT,
    respondedOn: '2026-04-08',
    summary: 'Apologised; the plan is now shared with parents within a day of any change.',
    escalationRoute: 'Local Government and Social Care Ombudsman, 0300 061 0614',
    upheld: 'partly-upheld',
    respondedBy: 'user:mgr-1',
    now,
    ...data,
  },
});
const responded: ComplaintResponded = {
  type: 'ComplaintResponded',
  data: {
    complaintId: COMPLAINT,
    respondedOn: '2026-04-08',
    summary: 'Apologised; the plan is now shared with parents within a day of any change.',
    escalationRoute: 'Local Government and Social Care Ombudsman, 0300 061 0614',
    upheld: 'partly-upheld',
    respondedBy: 'user:mgr-1',
    recordedAt: now.toISOString(),
  },
};

describe('a complaint', () => {
  describe('when it is logged', () => {
    it('records it with the due dates worked out for it', () => {
      spec.given([]).when(log()).then([logged]);
    });

    it('takes an anonymous complaint, the relationship unknown, as a data subject of its own', () => {
      spec
        .given([])
        .when(log({ complainant: undefined }))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            complainant: { subjectId: SUBJECT, relationship: null, name: null, contact: null },
          }),
        );
    });

    it("takes the complainant's name and contact, to be sealed before they are stored", () => {
      spec
        .given([])
        .when(
          log({
            complainant: {
              name: ' Ann Jones ',
              relationship: 'parent',
              contact: 'ann@example.org, 07700 900123',
            },
          }),
        )
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            complainant: {
              subjectId: SUBJECT,
              relationship: 'parent',
              name: 'Ann Jones',
              contact: 'ann@example.org, 07700 900123',
            },
          }),
        );
    });

    it('keeps the data subject the request names (someone who complained before)', () => {
      spec
        .given([])
        .when(log({ complainant: { subjectId: 'a1f0c2de-0000-4000-8000-00000000beef' } }))
        .thenEvents(([event]) =>
          expect(event?.data).toMatchObject({
            complainant: { subjectId: 'a1f0c2de-0000-4000-8000-00000000beef' },
          }),
        );
    });

    it('refuses to log the same complaint twice', () => {
      spec.given([logged]).when(log()).thenThrows(ConflictError, 'c-1 is already logged');
    });

    it.each([
      [{ receivedOn: '2026-04-09' }, 'receivedOn: is in the future (today is 2026-04-08)'],
      [{ receivedOn: '2026-02-30' }, 'receivedOn: must be a date written YYYY-MM-DD'],
      [{ category: 'food' }, 'category: must be one of care-and-support, staff-conduct'],
      [{ category: undefined }, 'category: must be one of'],
      [{ summary: '' }, 'summary: is required'],
      [{ summary: 42 }, 'summary: is required'],
      [
        { complainant: 'Ann' },
        'complainant: must be { subjectId?, relationship?, name?, contact? }',
      ],
      [{ complainant: { relationship: 7 } }, 'complainant.relationship: must be text'],
      [{ complainant: { name: 'A'.repeat(201) } }, 'complainant.name: must be text of up to 200'],
      [{ complainant: { contact: ['07700 900123'] } }, 'complainant.contact: must be text'],
      [
        { complainant: { subjectId: 'Ann Jones' } },
        'complainant.subjectId: must be a data subject id',
      ],
      [{ complainant: { email: 'ann@example.org' } }, 'complainant.email: is not a known field'],
    ])('refuses %j, naming the field', (data, message) => {
      spec.given([]).when(log(data)).thenThrows(InvalidCommandError, message);
    });

    it('names every wrong field at once', () => {
      spec
        .given([])
        .when(log({ category: 'x', summary: '' }))
        .thenThrows(InvalidCommandError, /category: .*; summary: /);
    });
  });

  describe('when it is acknowledged', () => {
    it('records the day', () => {
      spec.given([logged]).when(acknowledge()).then([acknowledged]);
    });

    it('refuses an unknown complaint (404)', () => {
      spec.given([]).when(acknowledge()).thenThrows(NotFoundError, 'No complaint c-1');
    });

    it('refuses a second acknowledgement', () => {
      spec
        .given([logged, acknowledged])
        .when(acknowledge())
        .thenThrows(ConflictError, 'already acknowledged on 2026-04-07');
    });

    it.each([
      [{ acknowledgedOn: '2026-04-01' }, 'acknowledgedOn: is before the complaint was received'],
      [{ acknowledgedOn: '2026-04-09' }, 'acknowledgedOn: is in the future'],
      [{ acknowledgedOn: 'today' }, 'acknowledgedOn: must be a date'],
    ])('refuses %j', (data, message) => {
      spec.given([logged]).when(acknowledge(data)).thenThrows(InvalidCommandError, message);
    });

    it('may be recorded after the response, but not dated after it', () => {
      spec
        .given([logged, responded])
        .when(acknowledge({ acknowledgedOn: '2026-04-03' }))
        .thenEvents(([event]) => expect(event?.type).toBe('ComplaintAcknowledged'));
      spec
        .given([logged, { ...responded, data: { ...responded.data, respondedOn: '2026-04-06' } }])
        .when(acknowledge({ acknowledgedOn: '2026-04-07' }))
        .thenThrows(InvalidCommandError, 'acknowledgedOn: is after the response (2026-04-06)');
    });
  });

  describe('when it is responded to', () => {
    it('records the response, its finding and how to escalate', () => {
      spec.given([logged, acknowledged]).when(respond()).then([responded]);
    });

    it('refuses an unknown complaint (404)', () => {
      spec.given([]).when(respond()).thenThrows(NotFoundError, 'No complaint c-1');
    });

    it('refuses a second response', () => {
      spec
        .given([logged, responded])
        .when(respond())
        .thenThrows(ConflictError, 'already responded to on 2026-04-08');
    });

    it.each([undefined, null, '', '   ', 5])(
      'refuses a response that does not say how to escalate (%p)',
      (escalationRoute) => {
        spec
          .given([logged])
          .when(respond({ escalationRoute }))
          .thenThrows(
            InvalidCommandError,
            'escalationRoute: is required: the response must tell the complainant how to escalate',
          );
      },
    );

    it.each([
      [
        { respondedOn: '2026-04-01' },
        'respondedOn: is before the complaint was received (2026-04-02)',
      ],
      [{ respondedOn: '2026-04-09' }, 'respondedOn: is in the future (today is 2026-04-08)'],
      [{ upheld: 'yes' }, 'upheld: must be one of upheld, partly-upheld, not-upheld'],
      [{ summary: '' }, 'summary: is required'],
    ])('refuses %j', (data, message) => {
      spec.given([logged]).when(respond(data)).thenThrows(InvalidCommandError, message);
    });

    it('counts "today" in London: just after midnight BST is already the next day', () => {
      spec
        .given([logged])
        .when(respond({ respondedOn: '2026-04-09', now: new Date('2026-04-08T23:30:00Z') }))
        .thenEvents(([event]) => expect(event?.type).toBe('ComplaintResponded'));
    });
  });
});

const NEW_COMPLIMENT_SUBJECT = '5d0c2b7e-8a41-4f2b-9e67-3c1d2a9f4b10';

describe('a compliment', () => {
  const complimentSpec = deciderSpecification(complimentDecider);
  const logCompliment = (data: Partial<LogCompliment['data']> = {}): LogCompliment => ({
    type: 'LogCompliment',
    data: {
      complimentId: 'k-1',
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-03',
      summary: 'Thanks to the night staff',
      subjectId: undefined,
      newSubjectId: NEW_COMPLIMENT_SUBJECT,
      loggedBy: 'user:mgr-1',
      now,
      ...data,
    },
  });
  const complimentLogged: ComplimentLogged = {
    type: 'ComplimentLogged',
    data: {
      complimentId: 'k-1',
      serviceId: 'ty-gwyn',
      receivedOn: '2026-04-03',
      subjectId: NEW_COMPLIMENT_SUBJECT,
      summary: 'Thanks to the night staff',
      loggedBy: 'user:mgr-1',
      loggedAt: now.toISOString(),
    },
  };

  it('is logged once', () => {
    complimentSpec.given([]).when(logCompliment()).then([complimentLogged]);
    complimentSpec
      .given([complimentLogged])
      .when(logCompliment())
      .thenThrows(ConflictError, 'already logged');
  });

  it('is kept under a new data subject, or the one the request names', () => {
    complimentSpec
      .given([])
      .when(logCompliment({ subjectId: 'ann-jones-subject' }))
      .then([
        { ...complimentLogged, data: { ...complimentLogged.data, subjectId: 'ann-jones-subject' } },
      ]);
    complimentSpec
      .given([])
      .when(logCompliment({ subjectId: null }))
      .then([complimentLogged]);
  });

  it.each([
    [{ receivedOn: '2026-04-09' }, 'receivedOn: is in the future'],
    [{ receivedOn: undefined }, 'receivedOn: must be a date'],
    [{ summary: ' ' }, 'summary: is required'],
    [{ subjectId: 'Ann Jones' }, 'subjectId: must be a data subject id'],
    [{ subjectId: 7 }, 'subjectId: must be a data subject id'],
  ])('refuses %j', (data, message) => {
    complimentSpec.given([]).when(logCompliment(data)).thenThrows(InvalidCommandError, message);
  });
});
