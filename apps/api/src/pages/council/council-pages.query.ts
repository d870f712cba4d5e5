import { parseFinancialYear } from '@kpi/domain';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEntityId, IsFinancialQuarter, ParsedBy } from '../../http/query-params';

/** A GET form sends an empty box as `name=`: that is "not given". */
const BlankIsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** Services one page of the quarterly report lists. */
export const SERVICES_PER_PAGE = 25;

/** The quarterly report page's address: a quarter (default: the last ended), a page, a region. */
export class QuarterlyReportPageQuery {
  @IsOptional()
  @BlankIsAbsent()
  @IsFinancialQuarter()
  quarter?: string;

  @IsOptional()
  @BlankIsAbsent()
  @IsEntityId()
  regionId?: string;

  /** `months`: each service's three months beside its quarter. */
  @IsOptional()
  @BlankIsAbsent()
  @IsIn(['months'], { message: 'must be months, or left out' })
  detail?: 'months';

  @IsOptional()
  @BlankIsAbsent()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number, 0 or more' })
  @Min(0, { message: 'must be a whole number, 0 or more' })
  @Max(100_000, { message: 'must be at most 100000' })
  offset?: number;
}

/** The business-plan page's address: a plan year written 2025/26 (default: the current one). */
export class BusinessPlanPageQuery {
  @IsOptional()
  @BlankIsAbsent()
  @ParsedBy('isFinancialYear', (value) => parseFinancialYear(value))
  year?: string;

  @IsOptional()
  @BlankIsAbsent()
  @IsEntityId()
  regionId?: string;
}
