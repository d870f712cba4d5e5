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

export class HealthChecksDto {
  @ApiProperty({ type: DependencyCheckDto })
  database!: DependencyCheckDto;

  @ApiProperty({ type: DependencyCheckDto })
  redis!: DependencyCheckDto;

  @ApiProperty({ type: [ProjectionLagDto], description: 'Empty when the database is down.' })
  projections!: ProjectionLagDto[];
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
