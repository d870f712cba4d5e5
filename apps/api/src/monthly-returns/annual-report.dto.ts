import { parseFinancialYear } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsEntityId, ParsedBy } from '../http/query-params';

/** The annual report's parameters: a financial year, optionally one region or one service. */
export class AnnualReportQuery {
  @ApiProperty({
    example: '2016/17',
    description:
      'A UK financial year: `2016/17` is April 2016 – March 2017 (in a URL: `2016%2F17`).',
  })
  @ParsedBy('isFinancialYear', (value) => parseFinancialYear(value))
  year!: string;

  @ApiPropertyOptional({ example: 'north-wales', description: "Only this region's services." })
  @IsOptional()
  @IsEntityId()
  regionId?: string;

  @ApiPropertyOptional({ example: 'ty-gwyn', description: 'Only this service.' })
  @IsOptional()
  @IsEntityId()
  serviceId?: string;
}
