import { entityId, type EntityId } from '@kpi/command-handling';
import {
  DATA_QUALITY_FINDINGS,
  ENTITY_ID,
  MAX_REASON_LENGTH,
  parsePeriod,
  type DataQualityFinding,
  type Period,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ErasedTextDto } from '../complaints/complaint-details.dto';
import { ParsedBy } from '../http/query-params';

export class RandomSampleBody {
  @ApiProperty({ example: 3, description: 'How many returns to draw (1 to those there are).' })
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(10_000, { message: 'must be at most 10000' })
  size!: number;

  @ApiPropertyOptional({
    example: '7f3c9a1e',
    description:
      'The seed of the draw (1 to 64 characters). Left out, one is made from the request. Kept with the sample: the same population, size and seed draw the same sample again.',
  })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'must be 1 to 64 visible ASCII characters' })
  seed?: string;
}

export class DrawAuditSampleBody {
  @ApiPropertyOptional({
    example: 'audit-2026-09',
    description: "The audit's id; left out, one is made from the request.",
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'auditId'))
  auditId?: EntityId;

  @ApiProperty({ example: '2026-09', description: 'The month whose returns are sampled.' })
  @ParsedBy('isPeriod', parsePeriod)
  period!: Period;

  @ApiPropertyOptional({
    type: RandomSampleBody,
    description: 'Draw at random (give this or `chosen`).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RandomSampleBody)
  random?: RandomSampleBody;

  @ApiPropertyOptional({
    example: ['ty-gwyn', 'plas-newydd'],
    description: 'The services whose returns to audit (give this or `random`).',
  })
  @IsOptional()
  @IsArray({ message: 'must be a list of service ids' })
  @ArrayMaxSize(10_000)
  @Matches(ENTITY_ID, {
    each: true,
    message: 'each must be a service id: 1 to 63 lowercase letters, digits or -',
  })
  chosen?: EntityId[];
}

export class DrawnSampleDto {
  @ApiProperty({ example: 'acme:data-quality-audit:audit-2026-09' })
  streamId!: string;
  @ApiProperty({ example: 'audit-2026-09' })
  auditId!: string;
  @ApiProperty({ example: '2026-09' })
  period!: string;
  @ApiProperty({ enum: ['random', 'chosen'], example: 'random' })
  method!: string;
  @ApiProperty({ nullable: true, type: String, example: '7f3c9a1e' })
  seed!: string | null;
  @ApiProperty({
    example: ['plas-newydd', 'ty-gwyn', 'y-bwthyn'],
    description: 'The services with a return for the month when drawn, sorted.',
  })
  population!: string[];
  @ApiProperty({ example: ['ty-gwyn'], description: 'The returns audited, as drawn.' })
  sample!: string[];
  @ApiProperty({ example: false })
  replayed!: boolean;
}

const CHECKED_REQUIRED = `is required: what was checked (1 to ${MAX_REASON_LENGTH} characters)`;

export class RecordAuditFindingBody {
  @ApiProperty({ example: 'ty-gwyn', description: 'The sampled return’s service.' })
  @ParsedBy('isEntityId', (value) => entityId(value, 'serviceId'))
  serviceId!: EntityId;

  @ApiProperty({ enum: DATA_QUALITY_FINDINGS, example: 'corrected' })
  @IsIn(DATA_QUALITY_FINDINGS, { message: `must be one of ${DATA_QUALITY_FINDINGS.join(', ')}` })
  finding!: DataQualityFinding;

  @ApiPropertyOptional({
    example: '9d8a6c1e-1b8e-4a53-8c1f-5f2d3e4a7b90',
    description:
      'For `corrected`: the event id of the amendment that corrected the return (from its history).',
  })
  @IsOptional()
  @IsString({ message: 'must be an event id' })
  @MaxLength(100, { message: 'must be an event id' })
  amendmentEventId?: string;

  @ApiProperty({
    example: 'School attendance register for September; daily log',
    description: `What was checked, as text or references (evidence ids): 1 to ${MAX_REASON_LENGTH} characters. Kept in the personal-data vault.`,
  })
  @IsString({ message: CHECKED_REQUIRED })
  @Matches(/\S/, { message: CHECKED_REQUIRED })
  @MaxLength(MAX_REASON_LENGTH, { message: CHECKED_REQUIRED })
  checked!: string;

  @ApiPropertyOptional({
    example: 'Week 2 of the register is missing: where is it?',
    description: `For \`queried\`: what is asked, 1 to ${MAX_REASON_LENGTH} characters. Kept in the personal-data vault.`,
  })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(MAX_REASON_LENGTH, { message: `must be at most ${MAX_REASON_LENGTH} characters` })
  query?: string;
}

export class RecordedFindingDto {
  @ApiProperty({ example: 'acme:data-quality-audit:audit-2026-09' })
  streamId!: string;
  @ApiProperty({ example: 'audit-2026-09' })
  auditId!: string;
  @ApiProperty({
    format: 'uuid',
    example: '5e2d3c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
    description:
      'The finding’s id: the same for every finding of this return in this audit (what an action links to).',
  })
  findingId!: string;
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;
  @ApiProperty({ example: '2026-09' })
  period!: string;
  @ApiProperty({ enum: DATA_QUALITY_FINDINGS, example: 'corrected' })
  finding!: string;
  @ApiProperty({ nullable: true, type: String })
  amendmentEventId!: string | null;
  @ApiProperty({ example: false })
  replayed!: boolean;
}

const TEXT = {
  oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedTextDto) }],
  nullable: true,
};

export class AuditedReturnDto {
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  findingId!: string | null;
  @ApiProperty({ enum: DATA_QUALITY_FINDINGS, nullable: true, example: 'confirmed' })
  finding!: string | null;
  @ApiProperty({ nullable: true, type: String })
  amendmentEventId!: string | null;
  @ApiProperty({ nullable: true, type: Number })
  amendmentNumber!: number | null;
  @ApiProperty({ ...TEXT, example: 'School attendance register for September' })
  checked!: string | ErasedTextDto | null;
  @ApiProperty({ ...TEXT, example: null })
  query!: string | ErasedTextDto | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The data subject the texts are kept under.',
  })
  dataSubjectId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'user:po-sian' })
  recordedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  recordedAt!: string | null;
  @ApiProperty({ example: ['queried'], description: 'Earlier findings (a query answered).' })
  earlier!: string[];
}

export class DataQualityAuditDto {
  @ApiProperty({ example: 'acme:data-quality-audit:audit-2026-09' })
  streamId!: string;
  @ApiProperty({ example: 'audit-2026-09' })
  auditId!: string;
  @ApiProperty({ example: '2026-09' })
  period!: string;
  @ApiProperty({ enum: ['random', 'chosen'] })
  method!: string;
  @ApiProperty({ nullable: true, type: String })
  seed!: string | null;
  @ApiProperty({ example: ['plas-newydd', 'ty-gwyn'] })
  population!: string[];
  @ApiProperty({ example: 'user:po-sian' })
  drawnBy!: string;
  @ApiProperty({ format: 'date-time' })
  drawnAt!: string;
  @ApiProperty({ type: [AuditedReturnDto] })
  returns!: AuditedReturnDto[];
}
