import { ERASURE_REASONS, type ErasureReason } from '@kpi/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export class EraseDataSubjectBody {
  @ApiProperty({
    enum: ERASURE_REASONS,
    example: 'consent-withdrawn',
    description:
      'The grounds (UK GDPR Article 17(1)): no-longer-needed (kept longer than needed), consent-withdrawn, objection-upheld, unlawfully-processed, legal-obligation. A category only, so the trail records the erasure without anything personal.',
  })
  @IsIn(ERASURE_REASONS, {
    message: `is required: one of ${ERASURE_REASONS.join(', ')}`,
  })
  reason!: ErasureReason;
}

export class DataSubjectErasureDto {
  @ApiProperty({
    example: 'acme:data-subject:3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51',
    description: 'The stream the erasure is recorded in (DataSubjectErased), in the audit trail.',
  })
  streamId!: string;

  @ApiProperty({ example: '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51' })
  subjectId!: string;

  @ApiProperty({ enum: ERASURE_REASONS, example: 'consent-withdrawn' })
  reason!: string;

  @ApiProperty({ example: '2026-05-11T09:30:00.000Z' })
  erasedAt!: string;

  @ApiProperty({
    example: '2026-05-11',
    description: 'The day (London) reads now show instead of the texts: `{ erasedOn }`.',
  })
  erasedOn!: string;

  @ApiProperty({
    description: 'True when this request had been carried out before (same Idempotency-Key).',
  })
  replayed!: boolean;
}
