import { PROVIDER_NOTIFICATION_KINDS } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';

/*
 * Providers' notifications to the council (seed 004 §72–73) and hand-back notices (§51): the
 * bodies (types checked here; kinds, times and texts by the decider, naming the field) and
 * what the API answers.
 */

export class LogProviderNotificationBody {
  @ApiProperty({ enum: PROVIDER_NOTIFICATION_KINDS, example: 'hospital-admission' })
  @IsString()
  kind!: string;

  @ApiProperty({
    example: '2026-04-02T09:30:00+01:00',
    description: 'When it happened: a date and time with its time zone, not in the future.',
  })
  @IsString()
  occurredAt!: string;

  @ApiPropertyOptional({
    example: '2026-04-02T10:05:00+01:00',
    description:
      'When the council was told, if before this request (a phone call to the duty officer); by default now.',
  })
  @IsOptional()
  @IsString()
  notifiedAt?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Rhys, 9',
    description: 'Who it concerns (kept encrypted apart from the trail; erasable).',
  })
  @IsOptional()
  @IsString()
  serviceUser?: string | null;

  @ApiProperty({
    example: 'Admitted to the children’s ward after a fall at home; evening calls suspended.',
    description: 'What happened and what is being done (kept encrypted apart from the trail).',
  })
  @IsString()
  details!: string;

  @ApiPropertyOptional({
    example: '5d1c8f0e-2b7a-4c3d-9e6f-0a1b2c3d4e5f',
    description:
      'The service user as a data subject already known (the dataSubjectId of an earlier notification); by default a new one.',
  })
  @IsOptional()
  @IsString()
  subjectId?: string;
}

export class ProviderNotificationLoggedDto {
  @ApiProperty({ example: 'southwark:provider-notification:1c9e…' })
  streamId!: string;

  @ApiProperty({ example: '1c9e2f3a-4b5c-8d6e-9f70-8a1b2c3d4e5f' })
  notificationId!: string;

  @ApiProperty({ enum: PROVIDER_NOTIFICATION_KINDS, example: 'hospital-admission' })
  kind!: string;

  @ApiProperty({ example: '2026-04-02T08:30:00.000Z' })
  occurredAt!: string;

  @ApiProperty({ example: '2026-04-02T09:05:00.000Z' })
  notifiedAt!: string;

  @ApiProperty({
    example: '2026-04-07T23:00:00.000Z',
    description:
      'By when the council had to be told: §72 (refused entry) one day after; §73 the end of the next working day (bank holidays skipped).',
  })
  dueBy!: string;

  @ApiProperty({ example: false })
  late!: boolean;

  @ApiProperty({ example: '5d1c8f0e-2b7a-4c3d-9e6f-0a1b2c3d4e5f' })
  dataSubjectId!: string;

  @ApiProperty({ example: false })
  replayed!: boolean;
}

export class ProviderNotificationAcknowledgedDto {
  @ApiProperty({ example: 'southwark:provider-notification:1c9e…' })
  streamId!: string;

  @ApiProperty({ example: '1c9e2f3a-4b5c-8d6e-9f70-8a1b2c3d4e5f' })
  notificationId!: string;

  @ApiProperty({ example: '2026-04-02T10:00:00.000Z' })
  acknowledgedAt!: string;

  @ApiProperty({ example: false })
  replayed!: boolean;
}

export class GiveHandBackNoticeBody {
  @ApiProperty({
    example: 'We can no longer staff the evening calls in that area.',
    description: 'Why (kept encrypted apart from the trail: it can name the family).',
  })
  @IsString()
  reason!: string;
}

export class HandBackNoticeDto {
  @ApiProperty({ example: 'southwark:care-package-hand-back:pkg-2026-0117' })
  streamId!: string;

  @ApiProperty({ example: 'pkg-2026-0117' })
  packageId!: string;

  @ApiProperty({ example: '2026-04-02T14:00:00.000Z' })
  noticeGivenAt!: string;

  @ApiProperty({
    example: '2026-04-09T14:00:00.000Z',
    description: 'Seven days after the notice: the package returns to the council then.',
  })
  handBackAt!: string;

  @ApiProperty({ example: '7a1b…' })
  dataSubjectId!: string;

  @ApiProperty({ example: false })
  replayed!: boolean;
}

export class HandBackNoticesQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    example: 'true',
    description: 'Only packages still the provider’s (the seven days not up). Default true.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  pending?: 'true' | 'false';
}
