import { ROLES, type Role } from '@kpi/domain';
import { entityId, type EntityId } from '@kpi/command-handling';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ParsedBy } from '../http/query-params';

const lowerCased = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class InvitePersonBody {
  @ApiProperty({ example: 'gwen.jones@example.org' })
  @Transform(lowerCased)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(200)
  email!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['regional-manager'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'name at least one role' })
  @IsIn(ROLES, { each: true, message: `each must be one of ${ROLES.join(', ')}` })
  roles!: Role[];

  @ApiPropertyOptional({
    example: 'mgr-home-02',
    description: "A home manager's manager id in capability records, linking them to it.",
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'managerId'))
  managerId?: EntityId;
}

export class InvitationDto {
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  accountId!: string;
  @ApiProperty({ example: 'gwen.jones@example.org' })
  email!: string;
  @ApiProperty({
    example: 'q8Qf1R3d…',
    description: 'Single-use; give it to the person (a link). Only its SHA-256 is stored.',
  })
  invitationToken!: string;
  @ApiProperty({ example: '2026-03-09T10:00:00.000Z' })
  expiresAt!: string;
}

export class ErasedEmailDto {
  @ApiProperty({
    example: '2026-05-11',
    description: 'The day (London) the person was erased: their email is gone for good.',
  })
  erasedOn!: string;
}

export class AccountDto {
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  accountId!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ErasedEmailDto) }],
    example: 'gwen.jones@example.org',
    description: 'Their email, or { erasedOn } once the person was erased.',
  })
  email!: string | ErasedEmailDto;
  @ApiProperty({
    example: 'acc-3f9a1c0e7b2d4a61',
    description:
      'The person as a data subject (their account id), which a data-protection officer erases (POST /data-subjects/{subjectId}/erasure): their email goes, and their access.',
  })
  dataSubjectId!: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['regional-manager'] })
  roles!: Role[];
  @ApiProperty({ nullable: true, type: String, example: null })
  managerId!: string | null;
  @ApiProperty({ enum: ['invited', 'active', 'removed'], example: 'active' })
  status!: 'invited' | 'active' | 'removed';
  @ApiProperty({ example: '2026-03-02T10:00:00.000Z' })
  invitedAt!: string;
}

export class AccessRemovedDto {
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  accountId!: string;
  @ApiProperty({ enum: ['removed'], example: 'removed' })
  status!: 'removed';
}

export class LinkManagerBody {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'mgr-home-02',
    description:
      "The manager id this person is in capability records and regions (a home or regional manager), or null to unlink. Required: send null to unlink, so that a missing field is never read as 'unlink'.",
  })
  @ValidateIf((body: { managerId?: unknown }) => body.managerId !== null)
  @ParsedBy('isEntityId', (value) => entityId(value, 'managerId'))
  managerId!: EntityId | null;
}

export class ManagerLinkDto {
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  accountId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'mgr-home-02' })
  managerId!: string | null;
}

export class AcceptInvitationBody {
  @ApiProperty({
    example: 'a long passphrase of your own',
    description: 'At least 12 characters, and not your email address.',
  })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class SignInBody {
  @ApiProperty({ example: 'gwen.jones@example.org' })
  @IsString()
  @MaxLength(200)
  email!: string;

  @ApiProperty({ example: 'a long passphrase of your own' })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class SessionDto {
  @ApiProperty({ example: 'acc-3f9a1c0e7b2d4a61' })
  userId!: string;
  @ApiProperty({ example: 'demo-care' })
  tenantId!: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['regional-manager'] })
  roles!: Role[];
  @ApiProperty({ example: '2026-03-02T22:00:00.000Z', description: 'At the latest (12 hours).' })
  expiresAt!: string;
}
