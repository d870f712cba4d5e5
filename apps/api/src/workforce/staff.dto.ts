import { entityId, type EntityId } from '@kpi/command-handling';
import { STAFF_ROLES, TRAINING_COURSES, type StaffRole, type TrainingCourse } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ParsedBy } from '../http/query-params';

/**
 * Bodies of the staff-register commands. Types are checked and ids parsed here; the rules
 * (dates not in the future, within the staff member's time in post) by the staff decider,
 * which names the field.
 */
export class RegisterStaffMemberBody {
  @ApiProperty({
    example: 'cw-alys',
    description:
      'The person id: the same id supervision sessions name as superviseeId (1 to 63 lowercase letters, digits or -).',
  })
  @ParsedBy('isEntityId', (value) => entityId(value, 'staffId'))
  staffId!: EntityId;

  @ApiProperty({ example: 'plas-newydd', description: 'The service (home) they work at.' })
  @ParsedBy('isEntityId', (value) => entityId(value, 'serviceId'))
  serviceId!: EntityId;

  @ApiProperty({ enum: STAFF_ROLES, example: 'care-worker' })
  @IsIn(STAFF_ROLES, { message: `must be one of ${STAFF_ROLES.join(', ')}` })
  role!: StaffRole;

  @ApiProperty({
    example: '2026-01-05',
    description: 'First day in post (YYYY-MM-DD; not in the future).',
  })
  @IsString()
  startedOn!: string;

  @ApiPropertyOptional({
    example: '2025-12-10',
    description: 'The pre-employment DBS check (YYYY-MM-DD), when known; may be before startedOn.',
  })
  @IsOptional()
  @IsString()
  dbsCheckedOn?: string;
}

export class RecordStaffMemberLeftBody {
  @ApiProperty({
    example: '2026-05-29',
    description:
      'Last day in post (YYYY-MM-DD): they count as in post that day. Not before they started, nor in the future.',
  })
  @IsString()
  leftOn!: string;

  @ApiProperty({
    example: 'Resigned to take up a nursing course',
    description:
      "1 to 500 characters. Kept apart from the event log, encrypted under the staff member's data subject (their staff id): erasing them erases it.",
  })
  @IsString()
  reason!: string;
}

export class RecordAppraisalBody {
  @ApiProperty({ example: '2026-04-20', description: 'When it was held (YYYY-MM-DD).' })
  @IsString()
  heldOn!: string;

  @ApiProperty({ example: 'mgr-siwan', description: 'Who held it (person id).' })
  @ParsedBy('isEntityId', (value) => entityId(value, 'appraiserId'))
  appraiserId!: EntityId;
}

export class RecordTrainingBody {
  @ApiProperty({ enum: TRAINING_COURSES, example: 'care-certificate' })
  @IsIn(TRAINING_COURSES, { message: `must be one of ${TRAINING_COURSES.join(', ')}` })
  course!: TrainingCourse;

  @ApiProperty({ example: '2026-03-20', description: 'When it was completed (YYYY-MM-DD).' })
  @IsString()
  completedOn!: string;
}

export class RecordDbsCheckBody {
  @ApiProperty({ example: '2026-03-03', description: 'When the check was made (YYYY-MM-DD).' })
  @IsString()
  checkedOn!: string;
}
