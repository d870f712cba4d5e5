import { applyDecorators, Headers } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** The Idempotency-Key request header: a retried request with the same key returns the first result. */
export const IdempotencyKey = () => Headers('idempotency-key');

export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any unique string (e.g. a UUID) per intended change. Retrying with the same key returns the first result and writes nothing.',
      example: '3f0b2a7e-1b5c-4f0d-9a7e-52b1f8f0c9d4',
    }),
  );
