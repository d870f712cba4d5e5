import { ApiProperty } from '@nestjs/swagger';

export type DependencyStatus = 'up' | 'down';
export type OverallStatus = 'ok' | 'degraded' | 'down';

export class DependencyCheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: DependencyStatus;

  @ApiProperty({ description: 'How long the check took, in milliseconds.', example: 1.4 })
  latencyMs!: number;
}

export class GlobalCheckpointDto {
  @ApiProperty({ example: 7712 })
  transactionId!: number;

  @ApiProperty({ example: 10423 })
  globalPosition!: number;
}

export class ProjectionLagDto {
  @ApiProperty({
    description: 'The projection (its checkpoint name without `projection:`).',
    example: 'kpi-status',
  })
  name!: string;

  @ApiProperty({ description: 'Events in the global log after its checkpoint.', example: 0 })
  eventsBehind!: number;

  @ApiProperty({ type: GlobalCheckpointDto })
  checkpoint!: GlobalCheckpointDto;
}

export class QueueCountsDto {
  @ApiProperty({ description: 'Due now, waiting for a worker.', example: 0 })
  waiting!: number;

  @ApiProperty({
    description: 'Scheduled for later (deadlines and reminders ahead, offer windows still open).',
    example: 1204,
  })
  delayed!: number;

  @ApiProperty({ description: 'Being run by a worker.', example: 0 })
  active!: number;

  @ApiProperty({
    description:
      'Failed every attempt (retried with backoff first) and kept for an operator: never dropped.',
    example: 0,
  })
  failed!: number;

  @ApiProperty({ description: 'Done in the last 30 days.', example: 5210 })
  completed!: number;
}

export class QueuesDto {
  @ApiProperty({
    type: QueueCountsDto,
    nullable: true,
    description: 'The deadline jobs (BullMQ queue `deadlines`); null while Redis is down.',
  })
  deadlines!: QueueCountsDto | null;

  @ApiProperty({
    type: QueueCountsDto,
    nullable: true,
    description:
      'The call-off timers: care-package offers moving on as their windows close (BullMQ queue `call-off`); null while Redis is down.',
  })
  callOff!: QueueCountsDto | null;

  @ApiProperty({
    type: QueueCountsDto,
    nullable: true,
    description:
      'The notification emails and daily digests (BullMQ queue `notifications`; docs/decisions/0036); null while Redis is down.',
  })
  notifications!: QueueCountsDto | null;
}

export class HealthChecksDto {
  @ApiProperty({ type: DependencyCheckDto })
  database!: DependencyCheckDto;

  @ApiProperty({ type: DependencyCheckDto })
  redis!: DependencyCheckDto;

  @ApiProperty({ type: [ProjectionLagDto], description: 'Empty when the database is down.' })
  projections!: ProjectionLagDto[];

  @ApiProperty({ type: QueuesDto })
  queues!: QueuesDto;
}

export class HealthReportDto {
  @ApiProperty({
    enum: ['ok', 'degraded', 'down'],
    description:
      'ok: everything up. degraded: the database is up, Redis is not. down: the database is down.',
    example: 'ok',
  })
  status!: OverallStatus;

  @ApiProperty({ type: HealthChecksDto })
  checks!: HealthChecksDto;
}
