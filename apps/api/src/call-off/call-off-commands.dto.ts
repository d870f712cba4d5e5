import { entityId, type EntityId } from '@kpi/command-handling';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsNumber, IsOptional, IsString } from 'class-validator';
import { ParsedBy } from '../http/query-params';

/**
 * Bodies of the call-off commands (the ids in their paths are parsed by `@IdInPath`). Types
 * are checked here and ids parsed into `EntityId`s; the rules (rotation, windows, dates, the
 * providers' list) by the framework and package deciders, which name the field.
 */

/** A body field holding an id, parsed into an {@link EntityId} (400 naming the field). */
const IsEntityIdField = (field: string) =>
  ParsedBy('isEntityId', (value) => entityId(value, field));

export class EstablishCareFrameworkBody {
  @ApiProperty({
    example: 'care-at-home-2026',
    description: '1 to 63 lowercase letters, digits or -.',
  })
  @IsEntityIdField('frameworkId')
  frameworkId!: EntityId;

  @ApiProperty({ example: 'Care at Home for Children and Young People 2026–2030' })
  @IsString()
  name!: string;

  @ApiProperty({
    example: '2026-04-01',
    description: 'Contract year 1 starts this day, year 2 on its first anniversary, and so on.',
  })
  @IsString()
  contractStartDate!: string;

  @ApiProperty({
    example: ['bright-care', 'kindly-homecare', 'hearth-and-home', 'willow-care'],
    description:
      'The providers (their tenant ids, each a registered provider organisation) in rotation order: the first package goes first to the first of them, the next package to the second, and so on round.',
  })
  @IsArray()
  providers!: unknown[];
}

export class AddFrameworkProviderBody {
  @ApiProperty({ example: 'oak-tree-care', description: 'A registered provider organisation.' })
  @IsEntityIdField('providerId')
  providerId!: EntityId;
}

export class RegisterCarePackageBody {
  @ApiPropertyOptional({
    example: 'pkg-2026-0117',
    description:
      "The package's id. Left out, one is made from the request (the same on a retry with the same Idempotency-Key).",
  })
  @IsOptional()
  @IsEntityIdField('packageId')
  packageId?: EntityId | null;

  @ApiProperty({
    example: 12.5,
    description: 'Planned care and support hours a week (over 0, at most 168).',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  hoursPerWeek!: number;

  @ApiProperty({
    example: 'Support with personal care before school; short breaks for the family at weekends.',
    description: 'The outcomes the package is for (1 to 4000 characters; no names).',
  })
  @IsString()
  outcomes!: string;

  @ApiProperty({
    example: '2026-10-19',
    description: 'When the service should start (YYYY-MM-DD).',
  })
  @IsString()
  startDate!: string;

  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  @IsOptional()
  @IsString()
  endDate?: string | null;

  @ApiProperty({
    example: false,
    description: 'Urgent: the family is to be contacted within 12 hours, not 24.',
  })
  @IsBoolean()
  urgent!: boolean;

  @ApiPropertyOptional({
    example: 'Uses Makaton; parents prefer contact by text message in Portuguese.',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  communicationNeeds?: string | null;

  @ApiPropertyOptional({
    example: 'Two carers needed for hoist transfers.',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  specialRequirements?: string | null;
}

export class DeclineCarePackageBody {
  @ApiPropertyOptional({
    example: 'No capacity in that area until November.',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  reason?: string | null;
}

export class FamilyContactBody {
  @ApiProperty({
    example: '2026-10-13T16:40:00+01:00',
    description:
      'When the family was contacted: date and time with its offset (not in the future).',
  })
  @IsString()
  contactedAt!: string;
}

export class CareStartedBody {
  @ApiProperty({
    example: '2026-10-19',
    description: 'The day care started (YYYY-MM-DD, not in the future).',
  })
  @IsString()
  startedOn!: string;
}

export class CarePackageOfferDto {
  @ApiProperty({ enum: ['first-refusal', 'second', 'all'], example: 'first-refusal' })
  round!: string;

  @ApiProperty({ example: ['bright-care'] })
  providers!: string[];

  @ApiProperty({ example: '2026-10-12T10:15:00.000Z' })
  offeredAt!: string;

  @ApiProperty({
    example: '2026-10-12T12:15:00.000Z',
    nullable: true,
    type: String,
    description: 'When the window closes; null for the offer to all (open until taken).',
  })
  closesAt!: string | null;
}

export class CarePackageCommandDto {
  @ApiProperty({ example: 'southwark:care-package:pkg-2026-0117' })
  streamId!: string;

  @ApiProperty({ example: 'pkg-2026-0117' })
  packageId!: string;

  @ApiProperty({ example: ['CarePackageRegistered', 'CarePackageOffered'] })
  events!: string[];

  @ApiProperty({ example: 2 })
  streamVersion!: number;

  @ApiProperty({
    type: CarePackageOfferDto,
    nullable: true,
    description: 'The offer as it stands after the command (null once placed or unplaced).',
  })
  currentOffer!: CarePackageOfferDto | null;

  @ApiProperty({ enum: ['offered', 'accepted', 'unplaced'], example: 'offered' })
  status!: string;

  @ApiProperty({ example: false })
  replayed!: boolean;
}
