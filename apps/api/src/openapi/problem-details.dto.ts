import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_TYPES } from '../problems/problem-details';

export class FieldErrorDto {
  @ApiProperty({ example: 'toVersion' })
  field!: string;

  @ApiProperty({ example: 'must be a whole number from 1' })
  reason!: string;
}

/** The OpenAPI shape of every error response (RFC 9457). */
export class ProblemDetailsDto {
  @ApiProperty({
    description: 'Identifies the kind of problem; see docs/api.md for the list.',
    enum: Object.values(PROBLEM_TYPES),
    example: PROBLEM_TYPES.invalidRequest,
  })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has 1 invalid field: toVersion' })
  detail!: string;

  @ApiProperty({
    description: 'The path of the failed request.',
    example: '/audit/streams/x/events',
  })
  instance!: string;

  @ApiProperty({
    description: "The request's id (also in the x-request-id header and every log line).",
    example: '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
  })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'On 400: every field that is wrong.' })
  errors?: FieldErrorDto[];
}
