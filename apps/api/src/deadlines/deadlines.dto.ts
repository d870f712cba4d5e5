import type { EntityId } from '@kpi/command-handling';
import { DEADLINE_KINDS } from '@kpi/domain';
import { DEADLINE_VIEWS, type DeadlineView } from '@kpi/features/deadlines';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsEntityId } from '../http/query-params';

export class DeadlinesQuery {
  @ApiPropertyOptional({ description: 'One service (home) only.', example: 'home-01' })
  @IsOptional()
  @IsEntityId()
  serviceId?: EntityId;

  @ApiPropertyOptional({ description: "One region's services only.", example: 'north-wales' })
  @IsOptional()
  @IsEntityId()
  regionId?: EntityId;

  @ApiPropertyOptional({
    enum: DEADLINE_VIEWS,
    default: 'upcoming',
    description:
      'upcoming: not done yet and not past its date. overdue: past its date and still not done (judged missed, or its due job has not run yet). all: every deadline, done or not.',
  })
  @IsOptional()
  @IsIn(DEADLINE_VIEWS, { message: `must be one of ${DEADLINE_VIEWS.join(', ')}` })
  view?: DeadlineView;
}

export class DeadlineDto {
  @ApiProperty({ example: 'complaint-response:c-7f3a:2026-04-27' })
  key!: string;

  @ApiProperty({ enum: DEADLINE_KINDS, example: 'complaint-response' })
  kind!: string;

  @ApiProperty({ example: 'home-01' })
  serviceId!: string;

  @ApiProperty({
    description: 'The service (returns), complaint or staff member.',
    example: 'c-7f3a',
  })
  subjectId!: string;

  @ApiProperty({ nullable: true, description: 'Returns: the month reported.', example: null })
  period!: string | null;

  @ApiProperty({
    description: 'The last day the work is in time (Europe/London).',
    example: '2026-04-27',
  })
  dueOn!: string;

  @ApiProperty({
    enum: ['open', 'met', 'missed', 'cancelled'],
    description:
      'open until the deadline passes; then met, missed, or cancelled (the staff member left).',
    example: 'missed',
  })
  status!: string;

  @ApiProperty({ enum: ['upcoming', 'overdue', 'done', 'cancelled'], example: 'overdue' })
  state!: string;

  @ApiProperty({
    nullable: true,
    description: 'When the work was done (late work too).',
    example: null,
  })
  doneOn!: string | null;

  @ApiProperty({ nullable: true, description: 'The stored event that did it.', example: null })
  doneByEventId!: string | null;

  @ApiProperty({ example: 0 })
  remindersSent!: number;
}

export class DeadlinesDto {
  @ApiProperty({ enum: DEADLINE_VIEWS, example: 'overdue' })
  view!: DeadlineView;

  @ApiProperty({
    description: "Today's date in Europe/London, as the answer was computed.",
    example: '2026-12-03',
  })
  today!: string;

  @ApiProperty({ type: [DeadlineDto] })
  deadlines!: DeadlineDto[];
}
