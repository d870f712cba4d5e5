import { entityId, type EntityId } from '@kpi/command-handling';
import {
  ACTION_STATUSES,
  ACTION_TARGET_KINDS,
  SUPPORT_KINDS,
  type ActionTargetKind,
} from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { NestedList, NestedObject } from '../http/nested-members';
import { IsEntityId, ParsedBy } from '../http/query-params';

/*
 * Bodies, queries and answers of the actions API (docs/decisions/0039). Types are checked and
 * ids parsed here; dates, texts, the target's shape and the transitions by the action decider,
 * which names the field.
 */

/**
 * What an action acts on: `kind`, and the fields of that kind — capability-stage: managerId,
 * entryId, supportKind; indicator: serviceId, indicatorCode, period; objective: reference;
 * complaint: complaintId; audit-finding: findingId.
 */
export class ActionTargetBody {
  @ApiProperty({ enum: ACTION_TARGET_KINDS, example: 'capability-stage' })
  @IsIn(ACTION_TARGET_KINDS, { message: `must be one of ${ACTION_TARGET_KINDS.join(', ')}` })
  kind!: ActionTargetKind;

  @ApiPropertyOptional({ example: 'mgr-home-02', description: 'capability-stage: the manager.' })
  @IsOptional()
  @IsString()
  managerId?: string;

  @ApiPropertyOptional({
    example: 'home-02.EDU.2026-07.s2',
    description: 'capability-stage: the timeline entry (`<home>.<KPI>.<YYYY-MM>.s<stage>`).',
  })
  @IsOptional()
  @IsString()
  entryId?: string;

  @ApiPropertyOptional({
    enum: SUPPORT_KINDS,
    example: 'mentoring',
    description: 'capability-stage: the support this action gives (seed 000).',
  })
  @IsOptional()
  @IsString()
  supportKind?: string;

  @ApiPropertyOptional({ example: 'home-02', description: 'indicator: the service.' })
  @IsOptional()
  @IsString()
  serviceId?: string;

  @ApiPropertyOptional({ example: 'EDU', description: 'indicator: the KPI missed.' })
  @IsOptional()
  @IsString()
  indicatorCode?: string;

  @ApiPropertyOptional({ example: '2026-10', description: 'indicator: the month missed.' })
  @IsOptional()
  @IsString()
  period?: string;

  @ApiPropertyOptional({
    example: 'Business plan 2026/27, objective 3: reviews within timescale',
    description: 'objective: a reference to the business-plan objective (1 to 200 characters).',
  })
  @IsOptional()
  @IsString()
  reference?: string;

  @ApiPropertyOptional({ example: 'cmp-2026-0042', description: 'complaint: its id.' })
  @IsOptional()
  @IsString()
  complaintId?: string;

  @ApiPropertyOptional({ example: 'finding-7f3a', description: 'audit-finding: its id.' })
  @IsOptional()
  @IsString()
  findingId?: string;
}

export class MilestoneBody {
  @ApiProperty({ example: 'First mentoring session held' })
  @IsString()
  title!: string;

  @ApiProperty({
    example: '2026-11-20',
    description: 'YYYY-MM-DD, within the action (not before its start, not after its due date).',
  })
  @IsString()
  dueOn!: string;
}

export class PlanActionBody {
  @ApiPropertyOptional({
    example: 'act-siwan-mentoring',
    description:
      "The action's id (1 to 63 lowercase letters, digits or -). Left out, one is made from the request (the same on a retry with the same Idempotency-Key).",
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'actionId'))
  actionId?: EntityId;

  @ApiProperty({
    example: 'Mentoring with an experienced home manager',
    description: '1 to 200 characters; name no one here (the description is the place for that).',
  })
  @IsString()
  title!: string;

  @ApiProperty({
    example: 'mgr-home-02',
    description:
      'The account id of the person who must do it (the user id they sign in as): the one reminded 2 working days before it is due and told when it is overdue.',
  })
  @IsString()
  owner!: string;

  @ApiProperty({ example: '2026-11-10', description: 'YYYY-MM-DD.' })
  @IsString()
  startOn!: string;

  @ApiProperty({
    example: '2026-12-18',
    description: 'YYYY-MM-DD, not before startOn: its deadline.',
  })
  @IsString()
  dueOn!: string;

  @ApiProperty({ type: ActionTargetBody })
  @NestedObject(() => ActionTargetBody)
  target!: ActionTargetBody;

  @ApiPropertyOptional({
    example: 'Fortnightly sessions with the manager of Tŷ Gwyn on planning education.',
    nullable: true,
    type: String,
    description:
      'Up to 4000 characters. It can name people: kept apart from the event log, encrypted under the action’s data subject (the manager, for a support plan), erasable.',
  })
  @IsOptional()
  @IsString()
  description?: string | null;

  @ApiPropertyOptional({ type: [MilestoneBody], description: 'Up to 20.' })
  @IsOptional()
  @NestedList(() => MilestoneBody, 'must be { title, dueOn }')
  milestones?: MilestoneBody[];
}

export class OnDateBody {
  @ApiPropertyOptional({
    example: '2026-11-12',
    description: 'YYYY-MM-DD, not in the future; today when left out.',
  })
  @IsOptional()
  @IsString()
  on?: string;
}

export class RedateActionBody {
  @ApiProperty({
    example: '2027-01-15',
    description: 'The new due date (YYYY-MM-DD): its deadline replaces the old one.',
  })
  @IsString()
  dueOn!: string;

  @ApiPropertyOptional({
    example: 'Mentor on leave until January',
    nullable: true,
    type: String,
    description: 'Up to 4000 characters (encrypted, erasable).',
  })
  @IsOptional()
  @IsString()
  reason?: string | null;
}

export class ReassignActionBody {
  @ApiProperty({ example: 'rm-gwen', description: 'The account id of the new owner.' })
  @IsString()
  owner!: string;
}

export class NoteProgressBody {
  @ApiProperty({
    example: 'Second session held; plan for the spring term agreed.',
    description: '1 to 4000 characters (encrypted, erasable).',
  })
  @IsString()
  note!: string;
}

export class CancelActionBody {
  @ApiPropertyOptional({
    example: '2026-11-12',
    description: 'YYYY-MM-DD, not in the future; today when left out.',
  })
  @IsOptional()
  @IsString()
  on?: string;

  @ApiPropertyOptional({
    example: 'The stage was withdrawn after the amendment.',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  reason?: string | null;
}

export class ListActionsQuery {
  @ApiPropertyOptional({
    example: 'mgr-home-02',
    description: 'Only the support plans of this manager.',
  })
  @IsOptional()
  @IsEntityId()
  managerId?: EntityId;

  @ApiPropertyOptional({
    example: 'home-02.EDU.2026-07.s2',
    description: 'Only the support plan of this stage entry.',
  })
  @IsOptional()
  @IsString()
  entryId?: string;

  @ApiPropertyOptional({
    example: 'mgr-home-02',
    description: 'Only the actions this person owns.',
  })
  @IsOptional()
  @IsString()
  owner?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    example: 'true',
    description: 'true: only the actions still to do (planned or in progress).',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  open?: 'true' | 'false';
}

export class ActionOutcomeDto {
  @ApiProperty({ example: 'acme:action:act-siwan-mentoring' })
  streamId!: string;

  @ApiProperty({ example: 'act-siwan-mentoring' })
  actionId!: string;

  @ApiProperty({ enum: ACTION_STATUSES, example: 'planned' })
  status!: string;

  @ApiProperty({ example: 'mgr-home-02' })
  owner!: string;

  @ApiProperty({ example: '2026-12-18' })
  dueOn!: string;

  @ApiProperty({
    example: 'action:act-siwan-mentoring:2026-12-18',
    nullable: true,
    type: String,
    description:
      'The deadline watching it (GET /deadlines lists it); null once completed or cancelled.',
  })
  deadlineKey!: string | null;

  @ApiProperty({
    description: 'True when this request had been carried out before (same Idempotency-Key).',
  })
  replayed!: boolean;
}

export class PlannedActionDto extends ActionOutcomeDto {
  @ApiProperty({
    example: 'mgr-home-02',
    description:
      'The data subject its texts are kept under: the manager, for a support plan; else the action’s own (a UUID).',
  })
  dataSubjectId!: string;
}

export class MilestoneDto {
  @ApiProperty({ example: 'm1' })
  milestoneId!: string;

  @ApiProperty({ example: 'First mentoring session held' })
  title!: string;

  @ApiProperty({ example: '2026-11-20' })
  dueOn!: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  doneOn!: string | null;
}

export class ActionListedDto {
  @ApiProperty({ example: 'act-siwan-mentoring' })
  actionId!: string;

  @ApiProperty({ example: 'Mentoring with an experienced home manager' })
  title!: string;

  @ApiProperty({ example: 'mgr-home-02' })
  owner!: string;

  @ApiProperty({ enum: ACTION_STATUSES, example: 'in-progress' })
  status!: string;

  @ApiProperty({ example: '2026-11-10' })
  startOn!: string;

  @ApiProperty({ example: '2026-12-18' })
  dueOn!: string;

  @ApiProperty({ example: false, description: 'Still to do and past its due date.' })
  overdue!: boolean;

  @ApiProperty({ type: ActionTargetBody })
  target!: ActionTargetBody;

  @ApiProperty({ example: 'home-02', nullable: true, type: String })
  serviceId!: string | null;

  @ApiProperty({ enum: SUPPORT_KINDS, example: 'mentoring', nullable: true })
  supportKind!: string | null;

  @ApiProperty({ type: [MilestoneDto] })
  milestones!: MilestoneDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  completedOn!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  cancelledOn!: string | null;
}

export class ActionListDto {
  @ApiProperty({ example: '2026-11-12' })
  today!: string;

  @ApiProperty({ type: [ActionListedDto] })
  actions!: ActionListedDto[];
}

export class ActionNoteDto {
  @ApiProperty({ example: 'n1' })
  noteId!: string;

  @ApiProperty({
    example: 'Second session held; plan for the spring term agreed.',
    description: 'The text, or { erasedOn } once its data subject was erased.',
  })
  note!: string | { erasedOn: string };

  @ApiProperty({ example: 'user:mgr-home-02' })
  notedBy!: string;

  @ApiProperty({ example: '2026-11-26T15:04:00.000Z' })
  notedAt!: string;
}

export class ActionDetailsDto extends ActionListedDto {
  @ApiProperty({ example: 'mgr-home-02' })
  dataSubjectId!: string;

  @ApiProperty({
    example: 'Fortnightly sessions with the manager of Tŷ Gwyn on planning education.',
    nullable: true,
    description: 'The text, { erasedOn } once erased, or null when none was given.',
  })
  description!: string | { erasedOn: string } | null;

  @ApiProperty({ type: [ActionNoteDto] })
  notes!: ActionNoteDto[];

  @ApiProperty({ example: '2026-11-12', nullable: true, type: String })
  startedOn!: string | null;

  @ApiProperty({ example: 'user:hr-1' })
  plannedBy!: string;

  @ApiProperty({ example: '2026-11-10T10:00:00.000Z' })
  plannedAt!: string;
}
