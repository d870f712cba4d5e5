import { PROVIDER_KPIS } from '@kpi/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsFinancialQuarter } from '../http/query-params';

export class QuarterQuery {
  @ApiProperty({
    example: '2026-27 Q1',
    description: 'A UK financial-year quarter (in a URL: `2026-27%20Q1`).',
  })
  @IsFinancialQuarter()
  quarter!: string;
}

export class ProviderKpiDto {
  @ApiProperty({ enum: PROVIDER_KPIS.map((k) => k.code), example: 'acceptance-within-4-hours' })
  code!: string;

  @ApiProperty({ example: '2.1', description: 'The requirement in the contract’s KPI table.' })
  reference!: string;

  @ApiProperty({ example: 'Ability to accept a package notified within 4 hours' })
  name!: string;

  @ApiProperty({ enum: ['higher-is-better', 'lower-is-better'], example: 'higher-is-better' })
  direction!: string;

  @ApiProperty({
    enum: ['call-off', 'quarterly-return'],
    example: 'call-off',
    description: 'Counted from the packages, or reported in the provider’s quarterly return.',
  })
  source!: string;

  @ApiProperty({ example: 19, nullable: true, type: Number })
  numerator!: number | null;

  @ApiProperty({ example: 20, nullable: true, type: Number })
  denominator!: number | null;

  @ApiProperty({
    example: 0,
    description: 'Items whose window or deadline is still running: neither met nor missed yet.',
  })
  pending!: number;

  @ApiProperty({
    example: 95,
    nullable: true,
    type: Number,
    description: 'A percentage (one decimal); null with nothing to count or no return.',
  })
  value!: number | null;

  @ApiProperty({
    example: 95,
    nullable: true,
    type: Number,
    description: 'The target for the quarter’s contract year; null when the contract sets none.',
  })
  target!: number | null;

  @ApiProperty({ enum: ['green', 'red', 'grey'], example: 'green' })
  rag!: string;
}

export class ProviderPerformanceDto {
  @ApiProperty({ example: 'southwark' })
  councilId!: string;

  @ApiProperty({ example: 'care-at-home-2026' })
  frameworkId!: string;

  @ApiProperty({ example: 'bright-care' })
  providerId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({
    example: 1,
    nullable: true,
    type: Number,
    description:
      'The contract year in force on the quarter’s first day; null before the contract started.',
  })
  contractYear!: number | null;

  @ApiProperty({
    example: true,
    description: 'Whether the provider’s quarterly return for the quarter is in.',
  })
  quarterlyReturnReceived!: boolean;

  @ApiProperty({ type: [ProviderKpiDto] })
  kpis!: ProviderKpiDto[];
}

export class LeagueTableRowDto {
  @ApiProperty({ example: 1, description: 'Providers level on KPIs met and missed share a rank.' })
  rank!: number;

  @ApiProperty({ example: 'bright-care' })
  providerId!: string;

  @ApiProperty({ example: 8, description: 'KPIs met (green).' })
  green!: number;

  @ApiProperty({ example: 1, description: 'KPIs missed (red).' })
  red!: number;

  @ApiProperty({ example: 1, description: 'KPIs without data or target (grey).' })
  grey!: number;

  @ApiProperty({ type: [ProviderKpiDto] })
  kpis!: ProviderKpiDto[];
}

export class LeagueTableDto {
  @ApiProperty({ example: 'southwark' })
  councilId!: string;

  @ApiProperty({ example: 'care-at-home-2026' })
  frameworkId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ example: 1, nullable: true, type: Number })
  contractYear!: number | null;

  @ApiProperty({ type: [LeagueTableRowDto] })
  providers!: LeagueTableRowDto[];
}
