import type { Period } from '@kpi/domain';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { IsEntityId, IsMonth, IsSpanEnd, MAX_SPAN_MONTHS } from '../../http/query-params';

/** A GET form sends an empty box as `name=`: that is "not given". */
const BlankIsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** The KPI grid page's address: the API's span and region, each optional, and a notice. */
export class KpiGridPageQuery {
  @IsOptional()
  @BlankIsAbsent()
  @IsMonth()
  from?: Period;

  @IsOptional()
  @BlankIsAbsent()
  @IsMonth()
  @IsSpanEnd('from', MAX_SPAN_MONTHS)
  to?: Period;

  @IsOptional()
  @BlankIsAbsent()
  @IsEntityId()
  regionId?: string;

  /** Set by a form that sent the browser here: which banner to show. */
  @IsOptional()
  @IsIn(['submitted', 'amended'])
  notice?: 'submitted' | 'amended';

  @IsOptional()
  @IsEntityId()
  serviceId?: string;

  @IsOptional()
  @IsMonth()
  period?: Period;
}
