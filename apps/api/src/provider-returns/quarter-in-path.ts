import { parseQuarterKey } from '@kpi/domain';
import { Param, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/**
 * Parses a quarter key in the path (`2026-27-q1`, as in the return's stream id) into the
 * quarter it names, `2026-27 Q1`: one that does not parse is a 400 naming the parameter.
 */
export const QuarterKeyParam: PipeTransform<unknown, string> = {
  transform(value: unknown, { data }: ArgumentMetadata): string {
    return parseQuarterKey(value, data ?? 'quarterKey').quarter;
  },
};

/** `@QuarterInPath() quarter: string`: the quarter of `:quarterKey`, written `2026-27 Q1`. */
export const QuarterInPath =
  (name = 'quarterKey'): ParameterDecorator =>
  (target, method, index) => {
    Param(name, QuarterKeyParam)(target, method, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, method!)!;
    ApiParam({
      name,
      type: String,
      example: '2026-27-q1',
      description: 'The quarter of the return, as in its stream id: `2026-27 Q1` is `2026-27-q1`.',
    })(target, method!, descriptor);
  };
