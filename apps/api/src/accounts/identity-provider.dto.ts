import { ROLES, type Role } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { NestedList } from '../http/nested-members';

export class RoleMappingBody {
  @ApiProperty({
    example: 'kpi-regional-managers',
    description: 'A value of the role claim (a group name, an app role).',
  })
  @IsString()
  @Length(1, 200)
  claimValue!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['regional-manager'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'name at least one role' })
  @IsIn(ROLES, { each: true, message: `each must be one of ${ROLES.join(', ')}` })
  roles!: Role[];
}

export class SetIdentityProviderBody {
  @ApiProperty({
    example: 'https://login.microsoftonline.com/6f1c2a3b-0d4e-4f5a-9b8c-7d6e5f4a3b2c/v2.0',
    description:
      'The issuer URL of your identity provider (its `/.well-known/openid-configuration` must answer, naming it). https:// only.',
  })
  @IsString()
  @Length(1, 500)
  issuer!: string;

  @ApiProperty({ example: 'kpi-ledger', description: 'The client id it gave KPI ledger.' })
  @IsString()
  @Length(1, 200)
  clientId!: string;

  @ApiProperty({
    example: 'a client secret from your identity provider',
    description: 'Kept in a table of its own, never in the event log, and never shown again.',
  })
  @IsString()
  @Length(1, 500)
  clientSecret!: string;

  @ApiProperty({
    example: 'groups',
    description:
      'The claim (in the ID token or from the userinfo endpoint) saying what a person may do.',
  })
  @IsString()
  @Length(1, 100)
  roleClaim!: string;

  @ApiProperty({
    type: [RoleMappingBody],
    example: [
      { claimValue: 'kpi-regional-managers', roles: ['regional-manager'] },
      { claimValue: 'kpi-hr', roles: ['hr'] },
    ],
    description:
      'Which values of the role claim give which roles. A person whose values give none is refused.',
  })
  @ArrayNotEmpty({ message: 'name at least one claim value and the roles it gives' })
  @ArrayMaxSize(100)
  @NestedList(() => RoleMappingBody, 'must be an object with claimValue and roles')
  roleMappings!: RoleMappingBody[];

  @ApiPropertyOptional({
    example: ['groups'],
    description: 'Scopes to ask for besides `openid email profile`, when the role claim needs one.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  additionalScopes?: string[];
}

export class RoleMappingDto {
  @ApiProperty({ example: 'kpi-regional-managers' })
  claimValue!: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['regional-manager'] })
  roles!: Role[];
}

export class IdentityProviderDto {
  @ApiProperty({
    example: 'https://login.microsoftonline.com/6f1c2a3b-0d4e-4f5a-9b8c-7d6e5f4a3b2c/v2.0',
  })
  issuer!: string;
  @ApiProperty({ example: 'kpi-ledger' })
  clientId!: string;
  @ApiProperty({ example: 'groups' })
  roleClaim!: string;
  @ApiProperty({
    type: [RoleMappingDto],
    example: [{ claimValue: 'kpi-regional-managers', roles: ['regional-manager'] }],
  })
  roleMappings!: RoleMappingDto[];
  @ApiProperty({ type: [String], example: ['groups'] })
  additionalScopes!: string[];
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  configuredBy!: string;
  @ApiProperty({ example: '2026-03-02T10:00:00.000Z' })
  configuredAt!: string;
  @ApiProperty({
    example: 'https://kpi.example.org/app/sign-in/organisation/callback',
    description: 'Register this redirect URI for the client at your identity provider.',
  })
  redirectUri!: string;
  @ApiProperty({
    example: 'https://kpi.example.org/app/sign-in/organisation?organisation=demo-care',
    description: "A link that starts sign-in through your organisation's identity provider.",
  })
  signInLink!: string;
}
