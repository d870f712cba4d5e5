import { ApiProperty } from '@nestjs/swagger';

export class RegionDto {
  @ApiProperty({ example: 'north-wales' })
  regionId!: string;

  @ApiProperty({ example: 'North Wales' })
  name!: string;

  @ApiProperty({ example: 'rm-gwen', description: "The region's regional manager now." })
  regionalManagerId!: string;
}
