import { ApiProperty } from '@nestjs/swagger';
import { CarePackageOfferDto } from './call-off-commands.dto';

export class CarePackageDeclineDto {
  @ApiProperty({ example: 'kindly-homecare' })
  providerId!: string;

  @ApiProperty({ example: '2026-10-12T11:02:00.000Z' })
  declinedAt!: string;
}

/** A package as its reader may see it: all of it for the council, its own part for a provider. */
export class CarePackageViewDto {
  @ApiProperty({ example: 'pkg-2026-0117' })
  packageId!: string;

  @ApiProperty({ example: 'care-at-home-2026' })
  frameworkId!: string;

  @ApiProperty({ example: false })
  urgent!: boolean;

  @ApiProperty({ example: '2026-10-19' })
  startDate!: string;

  @ApiProperty({
    example: '2026-10-12T10:15:00.000Z',
    description: 'When it was referred (became available).',
  })
  registeredAt!: string;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'The end of a Friday-after-midday hold, if any.',
  })
  heldUntil!: string | null;

  @ApiProperty({ enum: ['offered', 'accepted', 'unplaced'], example: 'offered' })
  status!: string;

  @ApiProperty({
    type: CarePackageOfferDto,
    nullable: true,
    description: 'The offer now (windows that have closed have moved on).',
  })
  currentOffer!: CarePackageOfferDto | null;

  @ApiProperty({
    type: [CarePackageOfferDto],
    description: 'Every offer made (a provider sees only those made to it).',
  })
  offers!: CarePackageOfferDto[];

  @ApiProperty({ type: [CarePackageDeclineDto] })
  declined!: CarePackageDeclineDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  acceptedBy!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  acceptedAt!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  familyContactedAt!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  careStartedOn!: string | null;
}
