import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ReturnsImportQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    example: 'true',
    description: 'Check the file and report what would be stored, storing nothing.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  dryRun?: 'true' | 'false';
}

export class ImportProblemDto {
  @ApiProperty({
    example: 14,
    description: 'The row as a spreadsheet numbers it: the header is 1.',
  })
  row!: number;

  @ApiProperty({
    example: 'value',
    description: "The column's header (`value` in CSV; the indicator code in Excel).",
  })
  column!: string;

  @ApiProperty({ example: 'ADM must be a whole number (a count)' })
  reason!: string;
}

export class ReturnsImportReportDto {
  @ApiProperty({
    example: '0b9f3c52-8d1e-4f4a-9a3c-1e2f3a4b5c6d',
    description: "The import's id: every event it stored carries it.",
  })
  importId!: string;

  @ApiProperty({ example: false })
  dryRun!: boolean;

  @ApiProperty({ enum: ['csv', 'xlsx'], example: 'csv' })
  format!: string;

  @ApiProperty({ example: 1200, description: 'Data rows read (the header not counted).' })
  rows!: number;

  @ApiProperty({ example: 240, description: 'Service-months the file gives values for.' })
  returns!: number;

  @ApiProperty({
    example: 240,
    description: 'New returns: stored now, or (dry run) to be stored.',
  })
  toStore!: number;

  @ApiProperty({
    example: 0,
    description: 'Returns already stored with the same values: skipped (a file imported again).',
  })
  unchanged!: number;

  @ApiProperty({ example: 240, description: 'Returns stored by this request (0 on a dry run).' })
  stored!: number;

  @ApiProperty({
    example: 240,
    description: 'Events stored (one MonthlyReturnSubmitted a return).',
  })
  events!: number;

  @ApiProperty({ type: [ImportProblemDto], example: [], description: 'Empty on a 200.' })
  problems!: ImportProblemDto[];
}
