import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';

/** The trend page's address: which indicator to chart (default: the framework's first). */
export class TrendPageQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @Matches(/^[A-Z0-9_]{1,40}$/, {
    message: 'must be an indicator code: capital letters, digits or _',
  })
  indicator?: string;
}
