import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError } from '../shared/domain-errors';
import type { EraseDataSubject } from './data-subject.commands';
import { dataSubjectDecider } from './data-subject.decider';
import type { DataSubjectErased } from './data-subject.events';

const spec = deciderSpecification(dataSubjectDecider);
const SUBJECT = '0b8e3c52-7d1f-4a36-9a51-2f6c1e0d9a47';
const now = new Date('2026-05-11T23:30:00Z'); // already 12 May in London (BST)

const erase = (data: Partial<EraseDataSubject['data']> = {}): EraseDataSubject => ({
  type: 'EraseDataSubject',
  data: { subjectId: SUBJECT, reason: 'consent-withdrawn', erasedBy: 'user:dpo-1', now, ...data },
});
const erased: DataSubjectErased = {
  type: 'DataSubjectErased',
  data: {
    subjectId: SUBJECT,
    reason: 'consent-withdrawn',
    erasedBy: 'user:dpo-1',
    erasedAt: '2026-05-11T23:30:00.000Z',
  },
};

describe('a data subject', () => {
  describe('when erased', () => {
    it('records who erased them, when and on which grounds: nothing personal', () => {
      spec.given([]).when(erase()).then([erased]);
    });

    it('refuses a second erasure, naming the day (London) of the first', () => {
      spec
        .given([erased])
        .when(erase())
        .thenThrows(ConflictError, `Data subject ${SUBJECT} was erased on 2026-05-12`);
    });

    it.each([undefined, '', 'they asked', 7])('refuses the reason %p, naming it', (reason) => {
      spec
        .given([])
        .when(erase({ reason }))
        .thenThrows(InvalidCommandError, /^reason: must be one of no-longer-needed, consent/);
    });
  });
});
