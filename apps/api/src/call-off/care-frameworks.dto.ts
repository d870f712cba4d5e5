import { ApiProperty } from '@nestjs/swagger';

/** A framework as its reader may see it: the council sees the rotation, a provider only itself. */
export class CareFrameworkViewDto {
  @ApiProperty({ example: 'care-at-home' })
  frameworkId!: string;

  @ApiProperty({ example: 'Care at Home 2025–2029' })
  name!: string;

  @ApiProperty({ example: '2025-07-01' })
  contractStartDate!: string;

  @ApiProperty({
    example: 2,
    nullable: true,
    type: Number,
    description: 'The contract year in force today (London); null before the contract starts.',
  })
  contractYear!: number | null;

  @ApiProperty({
    example: ['bright-care', 'kindly-homecare', 'willow-care'],
    description: 'The providers in rotation order (a provider sees only itself).',
  })
  providers!: string[];

  @ApiProperty({
    example: 117,
    description: 'Packages referred so far (the council only; 0 for a provider).',
  })
  packagesReferred!: number;

  @ApiProperty({
    example: 'willow-care',
    nullable: true,
    type: String,
    description: 'Whose first refusal the next package will be (the council only).',
  })
  nextFirstRefusal!: string | null;
}
