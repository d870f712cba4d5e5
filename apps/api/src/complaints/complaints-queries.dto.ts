import { COMPLAINT_CATEGORIES, COMPLAINT_FINDINGS } from '@kpi/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsFinancialQuarter } from '../http/query-params';

export class QuarterQuery {
  @ApiProperty({
    example: '2026-27 Q1',
    description:
      'A UK financial-year quarter: `2026-27 Q1` is April–June 2026 … Q4 January–March 2027 (in a URL: `2026-27%20Q1`).',
  })
  @IsFinancialQuarter()
  quarter!: string;
}

export class ComplaintKpiFigureDto {
  @ApiProperty({
    description:
      'Complaints whose response fell due in the period and whose due date has passed (or that were answered).',
    example: 4,
  })
  due!: number;

  @ApiProperty({ description: 'Of those, answered on or before the due date.', example: 3 })
  answeredInTime!: number;

  @ApiProperty({ description: 'Due in the period, not answered, date not passed yet.', example: 0 })
  pending!: number;

  @ApiProperty({
    nullable: true,
    description: 'answeredInTime ÷ due, a percentage; null when nothing fell due.',
    example: 75,
  })
  value!: number | null;

  @ApiProperty({
    nullable: true,
    description: 'Whether it meets the 100 % target.',
    example: false,
  })
  met!: boolean | null;
}

export class ComplaintKpiMonthDto extends ComplaintKpiFigureDto {
  @ApiProperty({ example: '2026-04' })
  period!: string;
}

export class ComplaintKpiDto {
  @ApiProperty({ example: 'home-01' })
  serviceId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ description: 'Every complaint answered within 15 working days.', example: 100 })
  target!: number;

  @ApiProperty({ type: [ComplaintKpiMonthDto] })
  months!: ComplaintKpiMonthDto[];

  @ApiProperty({
    type: ComplaintKpiFigureDto,
    description: 'The quarter: the months added up (numerators and denominators), not averaged.',
  })
  total!: ComplaintKpiFigureDto;
}

export class ReportedComplaintDto {
  @ApiProperty({
    description: "The complaint's id: a reference, no one's name.",
    example: 'c-7f3a',
  })
  reference!: string;

  @ApiProperty({ example: 'home-01' })
  serviceId!: string;

  @ApiProperty({ example: '2026-04-02' })
  receivedOn!: string;

  @ApiProperty({ enum: COMPLAINT_CATEGORIES, example: 'communication' })
  category!: string;

  @ApiProperty({ example: '2026-04-07' })
  acknowledgementDueOn!: string;

  @ApiProperty({ nullable: true, example: '2026-04-03' })
  acknowledgedOn!: string | null;

  @ApiProperty({ example: '2026-04-27' })
  responseDueOn!: string;

  @ApiProperty({ nullable: true, example: '2026-04-24' })
  respondedOn!: string | null;

  @ApiProperty({
    nullable: true,
    description: 'null while unanswered and not yet due.',
    example: true,
  })
  answeredInTime!: boolean | null;

  @ApiProperty({ enum: COMPLAINT_FINDINGS, nullable: true, example: 'partly-upheld' })
  finding!: string | null;
}

export class ReportedServiceDto {
  @ApiProperty({ example: 'home-01' })
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  name!: string;

  @ApiProperty({ description: 'Complaints received in the quarter.', example: 5 })
  complaintsReceived!: number;

  @ApiProperty({ description: 'Compliments received in the quarter.', example: 12 })
  compliments!: number;

  @ApiProperty({ type: ComplaintKpiFigureDto, description: 'The KPI for the quarter.' })
  kpi!: ComplaintKpiFigureDto;
}

export class ComplaintsReportDto {
  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ type: [ReportedServiceDto] })
  services!: ReportedServiceDto[];

  @ApiProperty({
    type: [ReportedComplaintDto],
    description:
      'Complaints received in the quarter, without their summary, the response or anything of the complainant.',
  })
  complaints!: ReportedComplaintDto[];
}
