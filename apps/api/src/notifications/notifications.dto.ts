import { NOTIFICATION_KINDS, NOTIFICATION_MODES, type NotificationMode } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

const EMAIL_STATUSES = ['waiting', 'sent', 'in-digest', 'held', 'not-sent'] as const;

export class NotificationPreferenceBody {
  @ApiProperty({
    enum: NOTIFICATION_MODES,
    example: 'daily-digest',
    description:
      '`immediate`: each notification is emailed as it happens; `daily-digest`: one email a day at 07:00 (London) listing them.',
  })
  @IsIn(NOTIFICATION_MODES, { message: `must be one of ${NOTIFICATION_MODES.join(', ')}` })
  mode!: NotificationMode;
}

export class NotificationPreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_MODES, example: 'daily-digest' })
  mode!: NotificationMode;
}

export class MarkNotificationsReadBody {
  @ApiPropertyOptional({
    type: [String],
    example: ['return-overdue~0b9c6a55-3f1e-4c7a-9d3e-2f6a1b7c8d90'],
    description: 'The notifications to mark read; left out: all of yours.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  notificationIds?: string[];
}

export class NotificationsReadDto {
  @ApiProperty({ example: 1 })
  marked!: number;
  @ApiProperty({ example: 2, description: 'How many of yours are still unread.' })
  unread!: number;
}

export class NotificationEmailDto {
  @ApiProperty({
    enum: EMAIL_STATUSES,
    example: 'sent',
    description:
      '`waiting` (to be sent, or kept in the pages where no SMTP server is set), `sent`, `in-digest` (for your daily digest), `held` (your address bounced), `not-sent`.',
  })
  status!: (typeof EMAIL_STATUSES)[number];
  @ApiProperty({ nullable: true, type: String, example: '2026-11-21T00:00:04.000Z' })
  sentAt!: string | null;
}

export class NotificationDto {
  @ApiProperty({ example: 'return-overdue~0b9c6a55-3f1e-4c7a-9d3e-2f6a1b7c8d90' })
  notificationId!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'return-overdue' })
  kind!: string;
  @ApiProperty({
    example: 'The October 2026 return of home-01 is overdue: it was due by 20 November 2026',
  })
  subject!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Service: 'home-01', Month: 'October 2026', 'Due on': '20 November 2026' },
  })
  facts!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String, example: '/app/returns-due' })
  link!: string | null;
  @ApiProperty({ example: '2026-11-21T00:00:01.000Z' })
  occurredAt!: string;
  @ApiProperty({ example: false })
  read!: boolean;
  @ApiProperty({ type: NotificationEmailDto })
  email!: NotificationEmailDto;
}

export class InboxDto {
  @ApiProperty({ example: 1 })
  unread!: number;
  @ApiProperty({ enum: NOTIFICATION_MODES, example: 'immediate' })
  mode!: NotificationMode;
  @ApiProperty({ type: NotificationDto, isArray: true })
  notifications!: NotificationDto[];
}

export class BounceDto {
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  accountId!: string;
  @ApiProperty({ example: 'gwen.jones@example.org' })
  email!: string;
  @ApiProperty({ example: 550 })
  smtpCode!: number;
  @ApiProperty({ example: '5.1.1 Mailbox unavailable' })
  smtpResponse!: string;
  @ApiProperty({ example: '2026-11-21T00:00:04.000Z' })
  bouncedAt!: string;
  @ApiProperty({ example: 2, description: 'Notifications not emailed since (in their page).' })
  held!: number;
}

export class BounceClearedDto {
  @ApiProperty({ example: 1 })
  cleared!: number;
}
