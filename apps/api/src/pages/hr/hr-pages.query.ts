import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { AsOfQuery } from '../../capability/capability.query';
import { IsEntityId } from '../../http/query-params';

/** A GET form sends an empty box as `name=`: that is "not given". */
const BlankIsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** The stages page's address: one region, or all of them. */
export class StagesPageQuery {
  @IsOptional()
  @BlankIsAbsent()
  @IsEntityId()
  regionId?: string;
}

/**
 * The timeline's and why's address: the API's `asOf` (a date, or a date-time with a zone),
 * where the as-of form's empty box means now.
 */
export class AsOfPageQuery extends AsOfQuery {
  @BlankIsAbsent()
  declare asOf?: string;
}
