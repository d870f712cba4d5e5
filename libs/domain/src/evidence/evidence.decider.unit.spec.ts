import { deciderSpecification } from '@kpi/testing';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { AttachEvidence, DetachEvidence } from './evidence.commands';
import { evidenceDecider } from './evidence.decider';
import type { EvidenceAttached, EvidenceDetached, EvidenceTarget } from './evidence.events';

const spec = deciderSpecification(evidenceDecider);
const now = new Date('2026-04-08T10:00:00Z');
const COMPLAINT: EvidenceTarget = { kind: 'complaint', complaintId: 'cmp-42' };
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

const attach = (data: Partial<AttachEvidence['data']> = {}): AttachEvidence => ({
  type: 'AttachEvidence',
  data: {
    evidenceId: 'ev-1',
    attachedTo: COMPLAINT,
    sha256: HASH_A,
    size: 1234,
    mediaType: 'application/pdf',
    fileName: 'letter.pdf',
    personalSubjectId: null,
    attachedBy: 'user:mgr',
    now,
    ...data,
  },
});

const attached = (data: Partial<EvidenceAttached['data']> = {}): EvidenceAttached => ({
  type: 'EvidenceAttached',
  data: {
    evidenceId: 'ev-1',
    attachedTo: COMPLAINT,
    sha256: HASH_A,
    size: 1234,
    mediaType: 'application/pdf',
    fileName: 'letter.pdf',
    personalData: null,
    attachedBy: 'user:mgr',
    attachedAt: now.toISOString(),
    ...data,
  },
});

const detach = (evidenceId = 'ev-1'): DetachEvidence => ({
  type: 'DetachEvidence',
  data: { evidenceId, detachedBy: 'user:rm', now },
});

const detached: EvidenceDetached = {
  type: 'EvidenceDetached',
  data: {
    evidenceId: 'ev-1',
    attachedTo: COMPLAINT,
    detachedBy: 'user:rm',
    detachedAt: now.toISOString(),
  },
};

describe('attaching a file', () => {
  it('records its hash, size, type and name', () => {
    spec.given([]).when(attach()).then([attached()]);
  });

  it('names the data subject of a file holding personal data; the bytes are sealed after the decision', () => {
    spec
      .given([])
      .when(attach({ personalSubjectId: 'subject-1' }))
      .then([attached({ personalData: { subjectId: 'subject-1', content: null } })]);
  });

  it('keeps a file without a name', () => {
    spec
      .given([])
      .when(attach({ fileName: undefined }))
      .then([attached({ fileName: null })]);
  });

  it('refuses a name that is a path, naming the field', () => {
    spec
      .given([])
      .when(attach({ fileName: '../../etc/passwd' }))
      .thenThrows(InvalidCommandError, /fileName/);
    spec
      .given([])
      .when(attach({ fileName: 'x'.repeat(256) }))
      .thenThrows(InvalidCommandError, /fileName/);
  });

  it('refuses the same file twice on the same record (409)', () => {
    spec
      .given([attached()])
      .when(attach({ evidenceId: 'ev-2' }))
      .thenThrows(ConflictError, /attached here already, as ev-1/);
  });

  it('takes the same file again once it was detached, and another file beside it', () => {
    spec
      .given([attached(), detached])
      .when(attach({ evidenceId: 'ev-2' }))
      .then([attached({ evidenceId: 'ev-2' })]);
    spec
      .given([attached()])
      .when(attach({ evidenceId: 'ev-2', sha256: HASH_B }))
      .then([attached({ evidenceId: 'ev-2', sha256: HASH_B })]);
  });

  it('refuses an evidence id used already (409)', () => {
    spec
      .given([attached()])
      .when(attach({ sha256: HASH_B }))
      .thenThrows(ConflictError, /ev-1 is attached already/);
  });
});

describe('detaching a file', () => {
  it('records who took it off, naming what it was attached to', () => {
    spec.given([attached()]).when(detach()).then([detached]);
  });

  it('refuses a file never attached here (404)', () => {
    spec.given([attached()]).when(detach('ev-9')).thenThrows(NotFoundError);
    spec.given([]).when(detach()).thenThrows(NotFoundError);
  });

  it('refuses to detach twice (409)', () => {
    spec
      .given([attached(), detached])
      .when(detach())
      .thenThrows(ConflictError, /already/);
  });
});
