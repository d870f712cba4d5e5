import { ORGANISATION_KINDS, SERVICE_TYPES } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';

/** Bodies of the organisation commands. Ids are slugs (checked by the use case, naming the field). */
export class RegisterOrganisationBody {
  @ApiProperty({ example: 'Bryn Melyn Care' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, example: 'provider' })
  @IsIn(ORGANISATION_KINDS, { message: `must be one of ${ORGANISATION_KINDS.join(', ')}` })
  kind!: string;
}

export class RegisterRegionBody {
  @ApiProperty({ example: 'north-wales', description: 'Lowercase letters, digits and -.' })
  @IsString()
  regionId!: string;

  @ApiProperty({ example: 'North Wales' })
  @IsString()
  name!: string;

  @ApiProperty({ example: 'rm-gwen', description: 'The person id of the regional manager.' })
  @IsString()
  regionalManagerId!: string;
}

export class AssignRegionalManagerBody {
  @ApiProperty({ example: 'rm-dafydd' })
  @IsString()
  regionalManagerId!: string;
}

export class RegisterServiceBody {
  @ApiProperty({ example: 'ty-gwyn' })
  @IsString()
  serviceId!: string;

  @ApiProperty({ example: 'Tŷ Gwyn' })
  @IsString()
  name!: string;

  @ApiProperty({ example: 'north-wales' })
  @IsString()
  regionId!: string;

  @ApiProperty({ enum: SERVICE_TYPES, example: 'childrens-home' })
  @IsIn(SERVICE_TYPES, { message: `must be one of ${SERVICE_TYPES.join(', ')}` })
  serviceType!: string;

  @ApiProperty({
    example: 'childrens-homes',
    description: 'The KPI framework its returns are judged by.',
  })
  @IsString()
  frameworkId!: string;

  @ApiProperty({ example: '2024-04-01', description: 'Returns are due from the month it opened.' })
  @IsString()
  openedOn!: string;
}

export class AppointManagerBody {
  @ApiProperty({ example: 'mgr-siwan', description: 'The person id of the home manager.' })
  @IsString()
  managerId!: string;

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
