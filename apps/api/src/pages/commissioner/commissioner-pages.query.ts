import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsFinancialQuarter } from '../../http/query-params';

/** A GET form sends an empty box as `name=`: that is "not given". */
const BlankIsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** The quarter a commissioner's page shows: the current one unless the form chose another. */
export class QuarterPageQuery {
  @IsOptional()
  @BlankIsAbsent()
  @IsFinancialQuarter()
  quarter?: string;
}
