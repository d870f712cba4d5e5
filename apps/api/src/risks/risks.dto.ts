import { entityId, type EntityId } from '@kpi/command-handling';
import { RISK_CATEGORIES } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import { NestedObject } from '../http/nested-members';
import { ParsedBy } from '../http/query-params';

/*
 * Bodies, queries and answers of the risk register (docs/decisions/0039). Types are checked
 * here; ranges (1–5), the category, dates and the rule that controls never raise a risk by the
 * risk decider, which names the field.
 */

export class RiskRatingBody {
  @ApiProperty({ example: 4, minimum: 1, maximum: 5, description: '1 rare … 5 almost certain.' })
  @IsInt({ message: 'must be a whole number from 1 to 5' })
  likelihood!: number;

  @ApiProperty({
    example: 5,
    minimum: 1,
    maximum: 5,
    description: '1 negligible … 5 catastrophic.',
  })
  @IsInt({ message: 'must be a whole number from 1 to 5' })
  impact!: number;
}

export class RaiseRiskBody {
  @ApiPropertyOptional({
    example: 'risk-business-continuity',
    description: 'Left out, one is made from the request.',
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'riskId'))
  riskId?: EntityId;

  @ApiProperty({ example: 'Business disruption stops essential services' })
  @IsString()
  title!: string;

  @ApiProperty({ example: 'rm-gwen', description: 'The account id of the person who owns it.' })
  @IsString()
  owner!: string;

  @ApiProperty({ enum: RISK_CATEGORIES, example: 'business-continuity' })
  @IsString()
  category!: string;

  @ApiProperty({ type: RiskRatingBody, description: 'Before controls.' })
  @NestedObject(() => RiskRatingBody)
  inherent!: RiskRatingBody;

  @ApiProperty({
    type: RiskRatingBody,
    description: 'After controls: its score not above the inherent one.',
    example: { likelihood: 2, impact: 4 },
  })
  @NestedObject(() => RiskRatingBody)
  residual!: RiskRatingBody;

  @ApiProperty({
    example: 'Business Continuity Plans kept up to date; Business Impact Analysis every 12 months.',
  })
  @IsString()
  controls!: string;

  @ApiProperty({ example: '2027-02-01', description: 'YYYY-MM-DD: the next review.' })
  @IsString()
  reviewOn!: string;
}

/** A revision: only the fields given change. */
export class ReviseRiskBody {
  @ApiPropertyOptional({ example: 'Business disruption stops essential services' })
  @IsOptional()
  @IsString()
  title?: string;

  @ApiPropertyOptional({ example: 'rm-gwen' })
  @IsOptional()
  @IsString()
  owner?: string;

  @ApiPropertyOptional({ enum: RISK_CATEGORIES })
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ type: RiskRatingBody })
  @IsOptional()
  @NestedObject(() => RiskRatingBody)
  inherent?: RiskRatingBody;

  @ApiPropertyOptional({ type: RiskRatingBody, example: { likelihood: 1, impact: 4 } })
  @IsOptional()
  @NestedObject(() => RiskRatingBody)
  residual?: RiskRatingBody;

  @ApiPropertyOptional({ example: 'Plans tested in a desk exercise in November.' })
  @IsOptional()
  @IsString()
  controls?: string;

  @ApiPropertyOptional({ example: '2027-05-01' })
  @IsOptional()
  @IsString()
  reviewOn?: string;
}

export class CloseRiskBody {
  @ApiPropertyOptional({
    example: '2026-11-12',
    description: 'YYYY-MM-DD, not in the future; today when left out.',
  })
  @IsOptional()
  @IsString()
  on?: string;
}

export class ListRisksQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: closed risks too.' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  includeClosed?: 'true' | 'false';
}

export class RiskOutcomeDto {
  @ApiProperty({ example: 'acme:risk:risk-business-continuity' })
  streamId!: string;

  @ApiProperty({ example: 'risk-business-continuity' })
  riskId!: string;

  @ApiProperty({ example: 1, description: '1 as raised, then one more per revision.' })
  revision!: number;

  @ApiProperty({ example: 20 })
  inherentScore!: number;

  @ApiProperty({ example: 8 })
  residualScore!: number;

  @ApiProperty({
    enum: ['green', 'amber', 'red'],
    example: 'amber',
    description: 'Of the residual score: green 1–6, amber 8–12, red 15–25.',
  })
  rag!: string;

  @ApiProperty({ enum: ['open', 'closed'], example: 'open' })
  status!: string;

  @ApiProperty()
  replayed!: boolean;
}

export class RiskListedDto {
  @ApiProperty({ example: 'risk-business-continuity' })
  riskId!: string;

  @ApiProperty({ example: 'Business disruption stops essential services' })
  title!: string;

  @ApiProperty({ example: 'rm-gwen' })
  owner!: string;

  @ApiProperty({ enum: RISK_CATEGORIES, example: 'business-continuity' })
  category!: string;

  @ApiProperty({ type: RiskRatingBody, example: { likelihood: 4, impact: 5 } })
  inherent!: RiskRatingBody;

  @ApiProperty({ type: RiskRatingBody, example: { likelihood: 2, impact: 4 } })
  residual!: RiskRatingBody;

  @ApiProperty({ example: 20 })
  inherentScore!: number;

  @ApiProperty({ example: 8 })
  residualScore!: number;

  @ApiProperty({ enum: ['green', 'amber', 'red'], example: 'amber' })
  rag!: string;

  @ApiProperty({ example: 'Business Continuity Plans kept up to date.' })
  controls!: string;

  @ApiProperty({ example: '2027-02-01' })
  reviewOn!: string;

  @ApiProperty({ example: false, description: 'Open and past its review date.' })
  reviewOverdue!: boolean;

  @ApiProperty({ example: 1 })
  revision!: number;

  @ApiProperty({ example: null, nullable: true, type: String })
  closedOn!: string | null;

  @ApiProperty({ example: '2026-11-10T10:00:00.000Z' })
  raisedAt!: string;

  @ApiProperty({ example: '2026-11-10T10:00:00.000Z' })
  updatedAt!: string;
}

export class RiskRegisterDto {
  @ApiProperty({ example: '2026-11-12' })
  today!: string;

  @ApiProperty({ type: [RiskListedDto], description: 'Highest residual score first.' })
  risks!: RiskListedDto[];
}

export class RiskRevisionDto {
  @ApiProperty({ example: 2 })
  revision!: number;

  @ApiProperty({ example: ['residual', 'reviewOn'] })
  changed!: string[];

  @ApiProperty({ example: 8 })
  residualScore!: number;

  @ApiProperty({ example: 20 })
  inherentScore!: number;

  @ApiProperty({ example: 'user:rm-gwen' })
  by!: string;

  @ApiProperty({ example: '2026-11-20T10:00:00.000Z' })
  at!: string;
}

export class RiskDetailsDto extends RiskListedDto {
  @ApiProperty({
    type: [RiskRevisionDto],
    description: 'Every revision, as raised first; each with the whole risk as it then stood.',
  })
  revisions!: RiskRevisionDto[];
}
