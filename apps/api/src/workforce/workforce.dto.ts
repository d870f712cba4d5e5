import { parseCalendarDate } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsFinancialQuarter, ParsedBy } from '../http/query-params';

export class SupervisionComplianceQuery {
  @ApiPropertyOptional({
    example: '2026-06-30',
    description:
      'The date (YYYY-MM-DD; not in the future): usually the last day of the month reported. Today (London) by default.',
  })
  @IsOptional()
  @ParsedBy('isCalendarDate', (value) => parseCalendarDate(value, 'on'))
  on?: string;
}

export class TurnoverQuery {
  @ApiProperty({
    example: '2026-27 Q1',
    description:
      'A UK financial-year quarter: `2026-27 Q1` is April–June 2026, Q2 July–September, Q3 October–December, Q4 January–March 2027 (in a URL: `2026-27%20Q1`).',
  })
  @IsFinancialQuarter()
  quarter!: string;
}

export class SupervisionComplianceDto {
  @ApiProperty({ example: 'plas-newydd' })
  serviceId!: string;

  @ApiProperty({ example: '2026-06-30' })
  on!: string;

  @ApiProperty({
    example: '2026-03-30',
    description:
      'One-to-ones after this date (on − 3 calendar months) and on or before `on` count.',
  })
  windowStartsAfter!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 75,
    description:
      'numerator ÷ denominator as a percentage, one decimal place (target 100); null when nobody is due.',
  })
  value!: number | null;

  @ApiProperty({ example: 3, description: 'Staff due who had a one-to-one in the window.' })
  numerator!: number;

  @ApiProperty({
    example: 4,
    description: 'Staff in post on the date who started at least three months before it.',
  })
  denominator!: number;

  @ApiProperty({ example: 5, description: 'Staff in post on the date.' })
  inPost!: number;

  @ApiProperty({
    example: 1,
    description: 'In post for under three months: not yet due a one-to-one, in neither count.',
  })
  notYetDue!: number;

  @ApiProperty({
    type: [String],
    example: ['cw-bryn'],
    description: 'Staff due who had no one-to-one in the window.',
  })
  overdue!: string[];
}

export class TurnoverDto {
  @ApiProperty({ example: 'plas-newydd' })
  serviceId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ example: '2026-04-01' })
  firstDay!: string;

  @ApiProperty({ example: '2026-06-30' })
  lastDay!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 22.2,
    description:
      'numerator ÷ denominator as a percentage, one decimal place (target under 5); null when nobody was in post.',
  })
  value!: number | null;

  @ApiProperty({
    example: 2,
    description: 'Leavers: staff whose last day in post fell in the quarter.',
  })
  numerator!: number;

  @ApiProperty({
    example: 9,
    description: 'The average headcount: (headcountAtStart + headcountAtEnd) ÷ 2.',
  })
  denominator!: number;

  @ApiProperty({ example: 10, description: 'In post on the first day of the quarter.' })
  headcountAtStart!: number;

  @ApiProperty({
    example: 8,
    description: 'In post at the close of its last day (headcountAtStart + joiners − leavers).',
  })
  headcountAtEnd!: number;

  @ApiProperty({ example: 0, description: 'Started after the first day, by the last.' })
  joiners!: number;

  @ApiProperty({
    example: false,
    description: 'True while the quarter has not ended (London time): the figure may still change.',
  })
  provisional!: boolean;
}
