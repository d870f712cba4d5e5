import { entityId, type EntityId } from '@kpi/command-handling';
import {
  InvalidCommandError,
  isPeriod,
  MAX_COMMENTARY_LENGTH,
  parseFinancialQuarter,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { ParsedBy } from '../http/query-params';

const INDICATOR_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const QUARTER = /^\d{4}-\d{2} Q[1-4]$/;

/** A commentary's period: a month `2026-09`, or a financial quarter `2026-27 Q2`. */
function parseCommentaryPeriod(value: unknown): string {
  if (isPeriod(value)) return value;
  if (typeof value === 'string' && QUARTER.test(value)) {
    parseFinancialQuarter(value);
    return value;
  }
  throw InvalidCommandError.of(
    'period',
    `must be a month YYYY-MM or a financial quarter like 2026-27 Q2; got ${JSON.stringify(value) ?? 'nothing'}`,
  );
}

const required = (what: string) =>
  `is required: ${what} (1 to ${MAX_COMMENTARY_LENGTH} characters)`;

export class WriteCommentaryBody {
  @ApiPropertyOptional({
    example: 'plas-newydd',
    nullable: true,
    type: String,
    description:
      'The service commented on; null or left out for the organisation as a whole (shown beside the report’s total).',
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'serviceId'))
  serviceId?: EntityId | null;

  @ApiProperty({ example: 'EDU', description: "The indicator's code." })
  @Matches(INDICATOR_CODE, {
    message: 'must be an indicator code (a letter, then up to 39 letters, digits, _ or -)',
  })
  indicatorCode!: string;

  @ApiProperty({
    example: '2026-27 Q2',
    description: 'A month `YYYY-MM` or a quarter `2026-27 Q2`.',
  })
  @ParsedBy('isCommentaryPeriod', parseCommentaryPeriod)
  period!: string;

  @ApiProperty({
    example: 'Two young people were excluded from school in August and September',
    description: `What happened: 1 to ${MAX_COMMENTARY_LENGTH} characters. Kept in the personal-data vault (it may name people).`,
  })
  @IsString({ message: required('what happened') })
  @Matches(/\S/, { message: required('what happened') })
  @MaxLength(MAX_COMMENTARY_LENGTH, { message: required('what happened') })
  whatHappened!: string;

  @ApiProperty({
    example: 'Tutoring arranged; a meeting with the school on 3 October',
    description: `What is being done: 1 to ${MAX_COMMENTARY_LENGTH} characters. Kept in the personal-data vault.`,
  })
  @IsString({ message: required('what is being done') })
  @Matches(/\S/, { message: required('what is being done') })
  @MaxLength(MAX_COMMENTARY_LENGTH, { message: required('what is being done') })
  whatIsBeingDone!: string;
}

export class WrittenCommentaryDto {
  @ApiProperty({ example: 'acme:commentary:plas-newydd:EDU:2026-27-q2' })
  streamId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'plas-newydd' })
  serviceId!: string | null;
  @ApiProperty({ example: 'EDU' })
  indicatorCode!: string;
  @ApiProperty({ example: '2026-27 Q2' })
  period!: string;
  @ApiProperty({ example: 2, description: '1 for the first, n for the n-th revision.' })
  version!: number;
  @ApiProperty({ example: false })
  replayed!: boolean;
}

export class CommentaryQuery {
  @ApiPropertyOptional({ example: 'plas-newydd', description: 'Left out: the organisation’s.' })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'serviceId'))
  serviceId?: EntityId;

  @ApiProperty({ example: 'EDU' })
  @IsString({ message: 'is required: an indicator code' })
  @Matches(INDICATOR_CODE, { message: 'must be an indicator code' })
  indicatorCode!: string;

  @ApiProperty({ example: '2026-27 Q2' })
  @ParsedBy('isCommentaryPeriod', parseCommentaryPeriod)
  period!: string;
}

const TEXT = { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }] };

/** A commentary as read: what happened, what is being done (or `{ erasedOn }`). */
export class CommentaryDto {
  @ApiProperty({ ...TEXT, example: 'Two young people were excluded in August' })
  whatHappened!: string | ErasedTextDto;
  @ApiProperty({ ...TEXT, example: 'Tutoring arranged' })
  whatIsBeingDone!: string | ErasedTextDto;
  @ApiProperty({ example: 1 })
  version!: number;
  @ApiProperty({ example: 'user:rm-gwen' })
  writtenBy!: string;
  @ApiProperty({ format: 'date-time' })
  writtenAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The data subject its texts are kept under.',
  })
  dataSubjectId!: string | null;
}

export class CommentaryHistoryDto {
  @ApiProperty({ type: [CommentaryDto], description: 'Every version, oldest first.' })
  versions!: CommentaryDto[];
}
