import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { accountIdOf, ACTION_DOERS, ACTION_PLANNERS, ACTION_READERS } from '@kpi/domain';
import {
  AddActionMilestone,
  CancelAction,
  CompleteAction,
  ListActions,
  MarkActionMilestoneDone,
  NoteActionProgress,
  PlanAction,
  ReadAction,
  ReassignAction,
  RedateAction,
  StartAction,
} from '@kpi/features/actions';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands, Queries } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  ActionDetailsDto,
  ActionListDto,
  ActionOutcomeDto,
  CancelActionBody,
  ListActionsQuery,
  MilestoneBody,
  NoteProgressBody,
  OnDateBody,
  PlanActionBody,
  PlannedActionDto,
  ReassignActionBody,
  RedateActionBody,
} from './actions.dto';
import { mayManageActions, onlyOwnActionsOf } from './action-access';

const ActionIdInPath = () => IdInPath('actionId', 'act-siwan-mentoring');

/**
 * Actions (docs/decisions/0039): planned by HR, regional managers or the provider on what they
 * act on — a capability stage's support plan (training, mentoring, developmental tasks), a
 * missed KPI, a business-plan objective, a complaint's learning, an audit finding — each with
 * an owner, dates, milestones and a status; an action is a deadline: its owner is reminded 2
 * working days before and told when it is overdue. Home managers see and act on the actions they
 * own. Another tenant's action, like one that does not exist, is 404.
 */
@ApiTags('actions')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Controller('actions')
export class ActionsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Post()
  @Roles(...ACTION_PLANNERS)
  @ApiOperation({
    summary: 'Plan an action',
    description:
      'Title, owner (an account id), start and due dates, what it acts on (`target`), a description (encrypted, erasable) and milestones. A `capability-stage` target makes it part of that stage entry’s support plan, with its support kind; the entry must be on the manager’s timeline (404 otherwise), as must an indicator’s service and a complaint. Its deadline (`deadlineKey`) is watched from now on. 409 when an action with that id exists.',
  })
  @ApiCreatedResponse({ type: PlannedActionDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  plan(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() body: PlanActionBody,
  ): Promise<PlannedActionDto> {
    return this.commands.execute(principal, key, PlanAction, {
      ...body,
      target: { ...body.target },
      milestones: body.milestones?.map(({ title, dueOn }) => ({ title, dueOn })),
    });
  }

  @Get()
  @Roles(...ACTION_READERS)
  @ApiOperation({
    summary: 'List actions',
    description:
      'Soonest due first; filtered by owner, by a stage entry’s support plan (managerId, entryId) or to those still to do (open=true). A home manager sees only the actions they own.',
  })
  @ApiOkResponse({ type: ActionListDto })
  @ApiProblemResponses(400, 401, 403)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListActionsQuery,
  ): Promise<ActionListDto> {
    const own = onlyOwnActionsOf(principal);
    return this.queries.ask(principal, ListActions, {
      owner: own ?? (query.owner === undefined ? undefined : accountIdOf(query.owner)),
      managerId: query.managerId,
      entryId: query.entryId,
      openOnly: query.open === 'true',
    });
  }

  @Get('mine')
  @Roles(...ACTION_READERS)
  @ApiOperation({
    summary: 'My actions',
    description: 'The actions the caller owns, still to do, soonest due first.',
  })
  @ApiOkResponse({ type: ActionListDto })
  @ApiProblemResponses(401, 403)
  mine(@CurrentPrincipal() principal: Principal): Promise<ActionListDto> {
    return this.queries.ask(principal, ListActions, {
      owner: accountIdOf(principal.userId),
      openOnly: true,
    });
  }

  @Get(':actionId')
  @Roles(...ACTION_READERS)
  @ApiOperation({
    summary: 'An action, with its milestones, description and progress notes',
    description: 'Texts are shown as { erasedOn } once their data subject was erased.',
  })
  @ApiOkResponse({ type: ActionDetailsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @ActionIdInPath() actionId: EntityId,
  ): Promise<ActionDetailsDto> {
    return this.queries.ask(principal, ReadAction, {
      actionId,
      onlyOwnedBy: onlyOwnActionsOf(principal),
    });
  }

  @Post(':actionId/start')
  @Roles(...ACTION_DOERS)
  @ApiOperation({
    summary: 'Start an action (planned → in progress)',
    description: 'By its owner, or someone who manages actions. 409 when it is not planned.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  start(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: OnDateBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, StartAction, {
      actionId,
      startedOn: body.on,
      mayManage: mayManageActions(principal),
    });
  }

  @Post(':actionId/progress-notes')
  @Roles(...ACTION_DOERS)
  @ApiOperation({
    summary: 'Note progress on an action',
    description:
      'By its owner, or someone who manages actions; the note is encrypted and erasable.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  note(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: NoteProgressBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, NoteActionProgress, {
      actionId,
      note: body.note,
      mayManage: mayManageActions(principal),
    });
  }

  @Post(':actionId/milestones')
  @Roles(...ACTION_PLANNERS)
  @ApiOperation({
    summary: 'Add a milestone to an action',
    description: 'Due within the action. 409 once the action is completed or cancelled.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  addMilestone(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: MilestoneBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, AddActionMilestone, {
      actionId,
      title: body.title,
      dueOn: body.dueOn,
    });
  }

  @Post(':actionId/milestones/:milestoneId/done')
  @Roles(...ACTION_DOERS)
  @ApiOperation({
    summary: 'Mark a milestone done',
    description: 'By the owner, or someone who manages actions. 409 when it was done already.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  milestoneDone(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @IdInPath('milestoneId', 'm1') milestoneId: EntityId,
    @Body() body: OnDateBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, MarkActionMilestoneDone, {
      actionId,
      milestoneId,
      doneOn: body.on,
      mayManage: mayManageActions(principal),
    });
  }

  @Post(':actionId/completion')
  @Roles(...ACTION_DOERS)
  @ApiOperation({
    summary: 'Complete an action',
    description:
      'Meets its deadline when done on or before the due date. Its milestones must be done first (409 naming them); 409 when it is completed or cancelled already.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  complete(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: OnDateBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, CompleteAction, {
      actionId,
      completedOn: body.on,
      mayManage: mayManageActions(principal),
    });
  }

  @Post(':actionId/due-date')
  @Roles(...ACTION_PLANNERS)
  @ApiOperation({
    summary: 'Re-date an action',
    description:
      'A new due date: its deadline replaces the old one, which is then cancelled, never missed (unless it had passed already). Not before the start, nor before a milestone still open.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  redate(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: RedateActionBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, RedateAction, { actionId, ...body });
  }

  @Post(':actionId/owner')
  @Roles(...ACTION_PLANNERS)
  @ApiOperation({
    summary: 'Hand an action to someone else',
    description: 'The new owner is the one reminded and told when it is overdue.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  reassign(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: ReassignActionBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, ReassignAction, { actionId, owner: body.owner });
  }

  @Post(':actionId/cancellation')
  @Roles(...ACTION_PLANNERS)
  @ApiOperation({
    summary: 'Cancel an action',
    description: 'Its deadline is cancelled, never missed. The reason is encrypted and erasable.',
  })
  @ApiCreatedResponse({ type: ActionOutcomeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @ActionIdInPath() actionId: EntityId,
    @Body() body: CancelActionBody,
  ): Promise<ActionOutcomeDto> {
    return this.commands.execute(principal, key, CancelAction, {
      actionId,
      cancelledOn: body.on,
      reason: body.reason,
    });
  }
}
