import { entityId } from '@kpi/command-handling';
import { parsePeriod } from '@kpi/domain';
import { Param, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/**
 * A path parameter parsed into its typed value by the domain's parser, at the edge: a value
 * that does not parse is a 400 naming the parameter (the parser's InvalidCommandError).
 */
class ParsedParam<Value> implements PipeTransform<unknown, Value> {
  constructor(private readonly parse: (value: unknown, field: string) => Value) {}

  transform(value: unknown, { data }: ArgumentMetadata): Value {
    return this.parse(value, data ?? 'path');
  }
}

/** Parses an id in the path (`serviceId`, `staffId`…) into an {@link EntityId}. */
export const EntityIdParam = new ParsedParam(entityId);

/** Parses a month in the path, `YYYY-MM`, into a {@link Period}. */
export const PeriodParam = new ParsedParam(parsePeriod);

/**
 * `@Param(name)` parsed by `pipe`, documented in OpenAPI as the string it is on the wire (a
 * branded type has no runtime type of its own for Swagger to read).
 */
function parsedPathParameter(
  name: string,
  pipe: PipeTransform,
  example: string,
  description: string,
): ParameterDecorator {
  return (target, method, index) => {
    Param(name, pipe)(target, method, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, method!)!;
    ApiParam({ name, type: String, example, description })(target, method!, descriptor);
  };
}

/** A path parameter holding an id: `@IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId`. */
export const IdInPath = (name: string, example: string) =>
  parsedPathParameter(
    name,
    EntityIdParam,
    example,
    '1 to 63 lowercase letters, digits or -, starting with a letter or digit.',
  );

/** A path parameter holding a month: `@MonthInPath() period: Period`. */
export const MonthInPath = (name = 'period', example = '2026-09') =>
  parsedPathParameter(name, PeriodParam, example, 'A month, written YYYY-MM.');
