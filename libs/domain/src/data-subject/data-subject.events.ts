/**
 * Why a data subject was erased: the grounds for erasure of UK GDPR Article 17(1), as
 * categories, so the event that records the erasure holds no personal data.
 *
 * - `no-longer-needed`: kept longer than needed for what it was collected for (the retention
 *   period is over)
 * - `consent-withdrawn`: it rested on consent, and consent was withdrawn
 * - `objection-upheld`: the person objected to it being kept, and the objection was upheld
 * - `unlawfully-processed`: it should not have been kept
 * - `legal-obligation`: a law or a court requires it erased
 */
export const ERASURE_REASONS = [
  'no-longer-needed',
  'consent-withdrawn',
  'objection-upheld',
  'unlawfully-processed',
  'legal-obligation',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/**
 * A data subject's key was destroyed: everything sealed with it is unreadable for good, and
 * reads show that it was erased and when. Nothing personal: the subject's id, the reason's
 * category, who erased and when.
 */
export interface DataSubjectErased {
  type: 'DataSubjectErased';
  data: {
    subjectId: string;
    reason: ErasureReason;
    erasedBy: string;
    erasedAt: string;
  };
}

export type DataSubjectEvent = DataSubjectErased;
