import { COMPLAINT_UPCASTERS } from './complaint.events';

describe('complaint events stored before personal data was kept apart (schema version 1)', () => {
  it('are read with their summary as text, and a complainant with no data subject, name or contact', () => {
    const v1 = {
      complaintId: 'c-1',
      summary: 'Not told about a change of placement plan',
      complainant: { relationship: 'parent' },
      loggedBy: 'user:mgr-1',
    };
    expect(COMPLAINT_UPCASTERS.ComplaintLogged[1](v1)).toEqual({
      complaintId: 'c-1',
      summary: 'Not told about a change of placement plan',
      complainant: { subjectId: null, relationship: 'parent', name: null, contact: null },
      loggedBy: 'user:mgr-1',
    });
  });

  it('keep a response’s summary as the text it was', () => {
    const v1 = { complaintId: 'c-1', summary: 'We apologised.', upheld: 'upheld' };
    expect(COMPLAINT_UPCASTERS.ComplaintResponded[1](v1)).toEqual(v1);
  });

  it('read a compliment with its summary as text and no data subject', () => {
    const v1 = { complimentId: 'k-1', summary: 'Thanks to Sam on nights', loggedBy: 'user:mgr-1' };
    expect(COMPLAINT_UPCASTERS.ComplimentLogged[1](v1)).toEqual({ ...v1, subjectId: null });
  });
});
