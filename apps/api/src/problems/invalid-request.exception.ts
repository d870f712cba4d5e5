import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldError } from './problem-details';

/** The request is malformed; {@link errors} names every field that is wrong and why. */
export class InvalidRequestException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    const fields = [...new Set(errors.map((error) => error.field))];
    super(
      `The request has ${fields.length} invalid ${fields.length === 1 ? 'field' : 'fields'}: ${fields.join(', ')}`,
    );
  }
}

/** The ValidationPipe's `exceptionFactory`: class-validator's errors as field errors. */
export function invalidRequestFromValidationErrors(
  errors: ValidationError[],
): InvalidRequestException {
  return new InvalidRequestException(toFieldErrors(errors));
}

/** Members of a list are named by index (`indicators[0].code`), as the deciders name them. */
function toFieldErrors(errors: ValidationError[], parentPath = '', inList = false): FieldError[] {
  return errors.flatMap((error) => {
    const field = inList
      ? `${parentPath}[${error.property}]`
      : parentPath
        ? `${parentPath}.${error.property}`
        : error.property;
    const reasons = saidOf(error.constraints ?? {}).map(([constraint, message]) =>
      constraint === 'whitelistValidation'
        ? 'is not a known field here'
        : withoutLeadingPropertyName(message, error.property),
    );
    // Several constraints of one field (isInt, min) often share one message: say it once.
    const own = [...new Set(reasons)].map((reason) => ({ field, reason }));
    return [...own, ...toFieldErrors(error.children ?? [], field, Array.isArray(error.value))];
  });
}

/**
 * The constraints worth saying of one field. A value that is no object fails both its type check
 * (IsObject, IsArray) and ValidateNested: the type check says it, in its own words.
 */
function saidOf(constraints: Record<string, string>): [string, string][] {
  const all = Object.entries(constraints);
  return all.length > 1 ? all.filter(([constraint]) => constraint !== 'nestedValidation') : all;
}

/** class-validator's default messages start with the property ("limit must not be greater…"). */
function withoutLeadingPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
