import { ApiProperty } from '@nestjs/swagger';

export class DueReturnDto {
  @ApiProperty({ example: '2026-09' })
  period!: string;

  @ApiProperty({ example: '2026-10-20', description: 'The 20th of the following month.' })
  dueDate!: string;

  @ApiProperty({ example: true, description: '`asOf` is after the due date.' })
  overdue!: boolean;
}

export class DueServiceDto {
  @ApiProperty({ example: 'ty-gwyn' })
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  name!: string;

  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'North Wales' })
  regionName!: string;

  @ApiProperty({ example: '2024-04-01' })
  openedOn!: string;

  @ApiProperty({
    type: [DueReturnDto],
    description: 'Every ended month since the service opened that has no return, oldest first.',
  })
  returns!: DueReturnDto[];
}

export class DueRegionalManagerDto {
  @ApiProperty({ example: 'rm-gwen', description: "The region's regional manager now." })
  regionalManagerId!: string;

  @ApiProperty({ example: 2, description: 'Returns not submitted.' })
  outstanding!: number;

  @ApiProperty({ example: 1, description: 'Of those, past their due date.' })
  overdue!: number;

  @ApiProperty({ type: [DueServiceDto] })
  services!: DueServiceDto[];
}

export class ReturnsDueDto {
  @ApiProperty({ example: '2026-11-22' })
  asOf!: string;

  @ApiProperty({
    example: '2026-10',
    description: 'The last month that had ended by `asOf`: no later month is due yet.',
  })
  lastEndedMonth!: string;

  @ApiProperty({
    type: [DueRegionalManagerDto],
    description:
      'Only regional managers with a service owing a return; sorted by regional manager, service, month.',
  })
  regionalManagers!: DueRegionalManagerDto[];
}
