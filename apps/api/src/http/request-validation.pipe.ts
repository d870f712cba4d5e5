import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import {
  invalidRequestFromValidationErrors,
  InvalidRequestException,
} from '../problems/invalid-request.exception';
import { unknownMapMembers } from './nested-members';

/**
 * The app's ValidationPipe: class-validator's checks with every member not declared refused
 * (`forbidNonWhitelisted`), errors as field errors, and two more refusals:
 * - a body that is a list where the handler takes an object (a body class): Nest's own pipe
 *   would name the list's indexes as unknown fields, or, for `[]`, every field as missing;
 * - a member of a map declared with MapOfObjectsShaped that fits none of its shapes.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Kept on errors with children too (Nest drops it there by default): whether the value
      // is a list decides how its members are named, `indicators[0]` and not `indicators.0`.
      validationError: { target: false, value: true },
      exceptionFactory: invalidRequestFromValidationErrors,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && Array.isArray(value) && this.toValidate(metadata)) {
      throw new InvalidRequestException([
        { field: 'body', reason: 'must be a JSON object, not a list' },
      ]);
    }
    return super.transform(value, metadata);
  }

  protected override async validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    return [...(await super.validate(object, validatorOptions)), ...unknownMapMembers(object)];
  }
}
