import { ROLES, type Role } from '@kpi/domain';
import { ApiProperty } from '@nestjs/swagger';

export class PrincipalDto {
  @ApiProperty({ description: "The token's subject.", example: 'user-42' })
  userId!: string;

  @ApiProperty({
    description: 'The tenant every request of this caller is scoped to.',
    example: 'provider-acme',
  })
  tenantId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['provider-admin'] })
  roles!: Role[];
}
