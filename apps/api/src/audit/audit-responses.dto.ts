import { ApiProperty } from '@nestjs/swagger';

export class EventMetadataDto {
  @ApiProperty({ example: 'provider-acme' })
  tenantId!: string;

  @ApiProperty({ description: '`user:<id>` or `system:<component>`.', example: 'user:user-42' })
  actor!: string;

  @ApiProperty({ nullable: true, type: String, example: '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11' })
  correlationId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  causationId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '0b9e7f5c-3d41-4a7e-8f0e-2c8f3a1d9b77' })
  commandId!: string | null;
}

/**
 * One event exactly as stored: every field the recipe of docs/audit-trail.md needs to recompute
 * its content hash and chain link, nothing upcast or filled in.
 */
export class StoredEventDto {
  @ApiProperty({ format: 'uuid', example: '9d8a6c1e-1b8e-4a53-8c1f-5f2d3e4a7b90' })
  eventId!: string;

  @ApiProperty({ description: '1 for the first event of the stream.', example: 1 })
  streamVersion!: number;

  @ApiProperty({ description: 'Position in the global log.', example: 10423 })
  globalPosition!: number;

  @ApiProperty({
    description: 'Stable event type name, past tense.',
    example: 'MonthlyReturnSubmitted',
  })
  type!: string;

  @ApiProperty({
    description: 'The schema version the event was stored with: the version of `data` as shown.',
    example: 1,
  })
  schemaVersion!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event data (JSON) as stored.',
    example: { homeId: 'home-17', period: '2025-04' },
  })
  data!: unknown;

  @ApiProperty({ type: EventMetadataDto })
  metadata!: EventMetadataDto;

  @ApiProperty({
    format: 'date-time',
    description: 'When the store recorded it (to the millisecond).',
    example: '2025-05-02T08:15:30.123Z',
  })
  recordedAt!: string;

  @ApiProperty({
    description:
      'The recorded time in whole microseconds since 1970-01-01 UTC, as decimal text: the value the chain link hashes.',
    pattern: '^-?[0-9]+$',
    example: '1746173730123000',
  })
  recordedAtMicros!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'When the fact took effect, as stored; null: when it was recorded (`recordedAt`). The content hash covers this value, null included.',
    example: '2025-04-30T00:00:00.000Z',
  })
  effectiveAt!: string | null;

  @ApiProperty({
    description: "SHA-256 of the event's canonical content (RFC 8785 JSON), lowercase hex.",
    example: '8c2f4a6e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a0c2e4b6d8f0a1c3e5b7d9f1a',
  })
  contentHash!: string;

  @ApiProperty({ description: "The previous event's hash ('' for the first).", example: '' })
  previousHash!: string;

  @ApiProperty({
    description:
      'SHA-256 over the previous hash, stream, version, recorded time and content hash (the chain link).',
    example: '3f0a9c2e5b7d4e1f8a6c0b2d9e7f1a3c5b8d0e2f4a6c8e0b1d3f5a7c9e1b3d5f',
  })
  hash!: string;
}

export class StreamEventsDto {
  @ApiProperty({ example: 'acme:monthly-return:home-17:2025-04' })
  streamId!: string;

  @ApiProperty({ type: [StoredEventDto] })
  events!: StoredEventDto[];
}

export class BrokenLinkDto {
  @ApiProperty({ example: 'acme:monthly-return:home-17:2025-04' })
  streamId!: string;

  @ApiProperty({ example: 2 })
  streamVersion!: number;

  @ApiProperty({
    enum: [
      'content-changed',
      'hash-changed',
      'previous-hash-mismatch',
      'version-gap',
      'head-mismatch',
    ],
    example: 'content-changed',
  })
  reason!: string;

  @ApiProperty({ example: 'the event content does not match its stored content hash' })
  detail!: string;
}

export class VerificationReportDto {
  @ApiProperty({ example: 1 })
  streamsChecked!: number;

  @ApiProperty({ example: 3 })
  eventsChecked!: number;

  @ApiProperty({
    type: [BrokenLinkDto],
    description: 'Empty when the chain is intact.',
    example: [],
  })
  brokenLinks!: BrokenLinkDto[];
}
