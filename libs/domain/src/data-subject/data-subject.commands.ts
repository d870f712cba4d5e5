/** Erase a data subject: the vault destroys their key; this records it in the trail. */
export interface EraseDataSubject {
  type: 'EraseDataSubject';
  data: {
    subjectId: string;
    reason: unknown;
    erasedBy: string;
    now: Date;
  };
}

export type DataSubjectCommand = EraseDataSubject;
