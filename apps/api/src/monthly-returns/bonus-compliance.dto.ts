import { ApiProperty } from '@nestjs/swagger';

export class BonusMonthDto {
  @ApiProperty({ example: '2026-09' })
  period!: string;

  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({ example: 1, description: 'The framework version that judged the month.' })
  frameworkVersion!: number;

  @ApiProperty({ nullable: true, type: Number, example: 8, description: 'Indicators met.' })
  met!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 8, description: 'Needed (k of n).' })
  required!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 9 })
  of!: number | null;

  @ApiProperty({
    nullable: true,
    type: Boolean,
    example: true,
    description: 'Null when the framework has no bonus scheme.',
  })
  compliant!: boolean | null;

  @ApiProperty({ example: 0, description: 'Amendments so far (the figures are as last amended).' })
  amendments!: number;
}

export class BonusServiceDto {
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  name!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 5, description: 'Months of the span that were bonus-compliant.' })
  compliantMonths!: number;

  @ApiProperty({ example: 6, description: 'Months of the span with a return.' })
  reportedMonths!: number;

  @ApiProperty({
    type: [BonusMonthDto],
    description:
      'Each month of the span with a return, in order; months without one are not listed.',
  })
  months!: BonusMonthDto[];
}

export class BonusComplianceDto {
  @ApiProperty({ example: '2026-04' })
  from!: string;

  @ApiProperty({ example: '2026-09' })
  to!: string;

  @ApiProperty({ type: [BonusServiceDto] })
  services!: BonusServiceDto[];
}
