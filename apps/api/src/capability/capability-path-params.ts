import { InvalidCommandError } from '@kpi/domain';
import { Param, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** A timeline entry id: `<home>.<KPI>.<first month of the run>.s<stage>`. */
export const ENTRY_ID =
  /^[a-z0-9][a-z0-9-]{0,62}\.[A-Za-z][A-Za-z0-9_-]{0,39}\.\d{4}-(0[1-9]|1[0-2])\.s[123]$/;

/** Checks a timeline entry id in the path: a 400 naming the parameter otherwise. */
export const EntryIdParam: PipeTransform<unknown, string> = {
  transform(value: unknown, { data }: ArgumentMetadata): string {
    if (typeof value !== 'string' || !ENTRY_ID.test(value)) {
      throw InvalidCommandError.of(
        data ?? 'entryId',
        'must be a timeline entry id: <home>.<KPI>.<YYYY-MM>.s<1|2|3>',
      );
    }
    return value;
  },
};

/** A path parameter holding a timeline entry id, parsed once and documented in OpenAPI. */
export const EntryIdInPath =
  (name = 'entryId'): ParameterDecorator =>
  (target, method, index) => {
    Param(name, EntryIdParam)(target, method, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, method!)!;
    ApiParam({
      name,
      type: String,
      example: 'plas-newydd.EDU.2026-07.s3',
      description: 'A timeline entry: <home>.<KPI>.<first month of the run>.s<stage>.',
    })(target, method!, descriptor);
  };
