import { entityId, type EntityId } from '@kpi/command-handling';
import {
  ORGANISATION_KINDS,
  SERVICE_TYPES,
  type OrganisationKind,
  type ServiceType,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ParsedBy } from '../http/query-params';

/** An id in a body, parsed into an {@link EntityId} (a refusal names the field). */
const IsId = () => ParsedBy('isEntityId', (value) => entityId(value, 'id'));

/**
 * Bodies of the organisation commands, each parsed into its command's input: ids are
 * EntityIds, kinds and service types one of theirs. Names and dates are the deciders' to check.
 */
export class RegisterOrganisationBody {
  @ApiProperty({ example: 'Bryn Melyn Care' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, example: 'provider' })
  @IsIn(ORGANISATION_KINDS, { message: `must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind!: OrganisationKind;
}

export class RegisterRegionBody {
  @ApiProperty({ example: 'north-wales', description: 'Lowercase letters, digits and -.' })
  @IsId()
  regionId!: EntityId;

  @ApiProperty({ example: 'North Wales' })
  @IsString()
  name!: string;

  @ApiProperty({ example: 'rm-gwen', description: 'The person id of the regional manager.' })
  @IsId()
  regionalManagerId!: EntityId;
}

export class AssignRegionalManagerBody {
  @ApiProperty({ example: 'rm-dafydd' })
  @IsId()
  regionalManagerId!: EntityId;
}

export class RegisterServiceBody {
  @ApiProperty({ example: 'ty-gwyn' })
  @IsId()
  serviceId!: EntityId;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  @IsString()
  name!: string;

  @ApiProperty({ example: 'north-wales' })
  @IsId()
  regionId!: EntityId;

  @ApiProperty({ enum: SERVICE_TYPES, example: 'childrens-home' })
  @IsIn(SERVICE_TYPES, { message: `must be one of ${SERVICE_TYPES.join(', ')}` })
  serviceType!: ServiceType;

  @ApiProperty({
    example: 'childrens-homes',
    description: 'The KPI framework its returns are judged by.',
  })
  @IsId()
  frameworkId!: EntityId;

  @ApiProperty({ example: '2024-04-01', description: 'Returns are due from the month it opened.' })
  @IsString()
  openedOn!: string;
}

export class AppointManagerBody {
  @ApiProperty({ example: 'mgr-siwan', description: 'The person id of the home manager.' })
  @IsId()
  managerId!: EntityId;

  @ApiProperty({
    example: '2026-03-01',
    description: 'First day in charge (an open appointment ends the day before).',
  })
  @IsString()
  from!: string;

  @ApiPropertyOptional({
    example: null,
    description: 'Last day in charge; omit for open-ended.',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  to?: string | null;
}

export class EndAppointmentBody {
  @ApiProperty({ example: '2026-08-31', description: 'Last day in charge.' })
  @IsString()
  to!: string;
}
