import { MAX_REASON_LENGTH } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const STAGES = ['submitted', 'verified', 'sent-back', 'published'] as const;
const WAITING_STAGES = ['submitted', 'verified', 'sent-back'] as const;

/** Sign-off of the organisation's monthly returns turned on or off (docs/decisions/0037). */
export class SetSignOffBody {
  @ApiProperty({
    example: true,
    description:
      'true: returns given from now on are verified and published before the KPI grid, reports, councils and the bonus use them. false: returns are published as given, as before.',
  })
  @IsBoolean({ message: 'must be true or false' })
  on!: boolean;
}

export class SignOffSettingDto {
  @ApiProperty({ example: true })
  on!: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: '2026-10-01T09:00:00.000Z',
    description: 'When it was last turned on or off; null if never.',
  })
  since!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'user:admin-ann' })
  by!: string | null;
}

export class SetSignOffAnswerDto extends SignOffSettingDto {
  @ApiProperty({ example: false, description: 'True when it was so already: nothing written.' })
  unchanged!: boolean;
}

const REASON_REQUIRED = `is required: why it is sent back (1 to ${MAX_REASON_LENGTH} characters)`;

export class SendBackReturnBody {
  @ApiProperty({
    example: 'Education figure does not match the school attendance records for September',
    description: `Why: 1 to ${MAX_REASON_LENGTH} characters, not only spaces. Kept in the personal-data vault (it can name people).`,
    maxLength: MAX_REASON_LENGTH,
  })
  @IsString({ message: REASON_REQUIRED })
  @Matches(/\S/, { message: REASON_REQUIRED })
  @MaxLength(MAX_REASON_LENGTH, { message: REASON_REQUIRED })
  reason!: string;
}

/** A return after a sign-off step. */
export class SignOffStepAnswerDto {
  @ApiProperty({ example: 'acme:monthly-return:ty-gwyn:2026-09' })
  streamId!: string;

  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: '2026-09' })
  period!: string;

  @ApiProperty({ enum: STAGES, example: 'verified', description: 'Where the return is now.' })
  signOff!: string;

  @ApiProperty({
    example: 0,
    description: 'Which figures: 0 as submitted, n after the n-th amendment.',
  })
  amendmentNumber!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: null,
    description: 'The figures published (an amendment number); null while none are.',
  })
  publishedAmendment!: number | null;

  @ApiProperty({ example: false, description: 'True when this was a retry: nothing written.' })
  replayed!: boolean;
}

export class ReturnsToVerifyQuery {
  @ApiPropertyOptional({
    enum: WAITING_STAGES,
    description:
      'submitted (the default): waiting for a verifier; verified: waiting to be published; sent-back: waiting for the provider to amend.',
  })
  @IsOptional()
  @IsIn(WAITING_STAGES, { message: `must be one of ${WAITING_STAGES.join(', ')}` })
  stage?: (typeof WAITING_STAGES)[number];
}

export class ReturnToVerifyDto {
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  serviceName!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: '2026-09' })
  period!: string;

  @ApiProperty({ enum: WAITING_STAGES, example: 'submitted' })
  signOff!: string;

  @ApiProperty({ format: 'date-time', example: '2026-10-12T09:00:00.000Z' })
  since!: string;

  @ApiProperty({ example: 'user:rm-gwen' })
  submittedBy!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  lastAmendedBy!: string | null;

  @ApiProperty({ example: 0 })
  amendments!: number;

  @ApiProperty({
    example: false,
    description: 'Whether earlier figures of it are published (and shown meanwhile).',
  })
  published!: boolean;
}

export class ReturnsToVerifyDto {
  @ApiProperty({ type: [ReturnToVerifyDto], description: 'Oldest first.' })
  returns!: ReturnToVerifyDto[];
}
