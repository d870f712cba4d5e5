import { ApiProperty } from '@nestjs/swagger';

/** The responses of the counters and the dashboard by region. */
export class CounterDto {
  @ApiProperty({ example: 'mgr-siwan' })
  managerId!: string;

  @ApiProperty({ example: 'plas-newydd' })
  serviceId!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'EDU' })
  indicatorCode!: string;

  @ApiProperty({ example: 4 })
  consecutiveMisses!: number;

  @ApiProperty({ enum: [0, 1, 2, 3], example: 3 })
  stage!: number;

  @ApiProperty({ nullable: true, type: String, example: '2026-07' })
  runStart!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'plas-newydd.EDU.2026-07.s3' })
  openEntryId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2026-10' })
  lastMissedPeriod!: string | null;

  @ApiProperty({
    example: true,
    description: 'Stage 3 with no review yet, or the further review period has ended.',
  })
  reviewDue!: boolean;

  @ApiProperty({ nullable: true, type: String, example: null })
  lastReviewOn!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  nextReviewDue!: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CountersDto {
  @ApiProperty({ type: [CounterDto], description: 'Highest stage first.' })
  counters!: CounterDto[];

  @ApiProperty({
    nullable: true,
    type: Number,
    example: null,
    description: 'Pass as offset for the next page; null on the last.',
  })
  nextOffset!: number | null;
}

export class ManagerHomeDto {
  @ApiProperty({ example: 'plas-newydd' })
  serviceId!: string;

  @ApiProperty({ example: 'Plas Newydd' })
  name!: string;
}

export class ManagerStageDto {
  @ApiProperty({
    example: 'mgr-siwan',
    description:
      'Who: the id of their appointments (kpi-ledger records no names of people; the homes say where they are).',
  })
  managerId!: string;

  @ApiProperty({ example: 3, description: "The manager's highest open stage in the region." })
  stage!: number;

  @ApiProperty({ example: true })
  reviewDue!: boolean;

  @ApiProperty({
    type: [ManagerHomeDto],
    description: 'The homes where their stages are open, by name.',
  })
  homes!: ManagerHomeDto[];

  @ApiProperty({
    description: 'Their open counters: listed when the request names the region (regionId).',
    type: 'array',
    items: { type: 'object' },
    example: [
      {
        serviceId: 'plas-newydd',
        indicatorCode: 'EDU',
        stage: 3,
        consecutiveMisses: 4,
        openEntryId: 'plas-newydd.EDU.2026-07.s3',
      },
    ],
  })
  counters!: {
    serviceId: string;
    indicatorCode: string;
    stage: number;
    consecutiveMisses: number;
    openEntryId: string | null;
  }[];
}

export class RegionStagesDto {
  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'North Wales' })
  name!: string;

  @ApiProperty({
    example: { stage1: 2, stage2: 0, stage3: 1 },
    description: 'Managers by their highest open stage.',
  })
  managersAtStage!: { stage1: number; stage2: number; stage3: number };

  @ApiProperty({ example: 1 })
  reviewsDue!: number;

  @ApiProperty({
    type: [ManagerStageDto],
    description: 'Every manager at Stage 1 or above, highest stage first.',
  })
  managers!: ManagerStageDto[];
}

export class StagesByRegionDto {
  @ApiProperty({ type: [RegionStagesDto] })
  regions!: RegionStagesDto[];
}
