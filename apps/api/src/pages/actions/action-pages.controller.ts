import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  accountIdOf,
  ACTION_DOERS,
  ACTION_PLANNERS,
  ACTION_READERS,
  InvalidCommandError,
} from '@kpi/domain';
import {
  CancelAction,
  CompleteAction,
  ListActions,
  MarkActionMilestoneDone,
  NoteActionProgress,
  ReadAction,
  ReassignAction,
  RedateAction,
  StartAction,
} from '@kpi/features/actions';
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mayManageActions, onlyOwnActionsOf } from '../../actions/action-access';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Commands, Queries } from '../../http/buses';
import { IdInPath } from '../../http/path-params';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { pageText } from '../personal-text';
import { formText, type FormBody } from '../sign-in/form-text';
import { actionRow, keyOf } from './action-rows';

const Action = () => IdInPath('actionId', 'act-siwan-mentoring');

/**
 * Actions in the web pages (docs/decisions/0039): "My actions"; an action with its milestones,
 * moved on by its owner (start, milestone done, progress note, complete) with forms that work
 * without JavaScript; re-dated, handed over or cancelled by those who plan actions. A stage
 * entry's support plan: support-plan-pages.controller.ts.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app')
export class ActionPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get('actions')
  @Roles(...ACTION_READERS)
  async mine(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const list = await this.queries.ask(principal, ListActions, {
      owner: accountIdOf(principal.userId),
      openOnly: true,
    });
    // Those who plan actions see every action still to do too, the overdue first.
    const everyone = mayManageActions(principal)
      ? (await this.queries.ask(principal, ListActions, { openOnly: true })).actions
          .map(actionRow)
          .sort((a, b) => Number(b.overdue) - Number(a.overdue))
      : null;
    await this.pages.render(request, reply, 'actions-mine.njk', {
      actions: list.actions.map(actionRow),
      everyone,
    });
  }

  @Get('actions/:actionId')
  @Roles(...ACTION_READERS)
  action(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.showAction(principal, request, reply, actionId, {}, {});
  }

  @Post('actions/:actionId/start')
  @Roles(...ACTION_DOERS)
  @UseGuards(CsrfGuard)
  async start(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, keyOf(body), StartAction, {
      actionId,
      mayManage: mayManageActions(principal),
    });
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  @Post('actions/:actionId/milestones/:milestoneId/done')
  @Roles(...ACTION_DOERS)
  @UseGuards(CsrfGuard)
  async milestoneDone(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @IdInPath('milestoneId', 'm1') milestoneId: EntityId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, keyOf(body), MarkActionMilestoneDone, {
      actionId,
      milestoneId,
      mayManage: mayManageActions(principal),
    });
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  @Post('actions/:actionId/progress-notes')
  @Roles(...ACTION_DOERS)
  @UseGuards(CsrfGuard)
  async note(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, keyOf(body), NoteActionProgress, {
      actionId,
      note: formText(body, 'note'),
      mayManage: mayManageActions(principal),
    });
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  @Post('actions/:actionId/completion')
  @Roles(...ACTION_DOERS)
  @UseGuards(CsrfGuard)
  async complete(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, keyOf(body), CompleteAction, {
      actionId,
      mayManage: mayManageActions(principal),
    });
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  @Post('actions/:actionId/due-date')
  @Roles(...ACTION_PLANNERS)
  @UseGuards(CsrfGuard)
  async redate(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = { dueOn: formText(body, 'dueOn'), reason: formText(body, 'reason') };
    try {
      await this.commands.execute(principal, keyOf(body), RedateAction, {
        actionId,
        dueOn: form.dueOn,
        reason: form.reason === '' ? null : form.reason,
      });
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      const errorOf = Object.fromEntries(
        error.problems.map(({ field, reason }) => [
          field === 'reason' ? 'redateReason' : 'newDueOn',
          `${field === 'reason' ? 'Reason' : 'New due date'} ${reason}`,
        ]),
      );
      return this.showAction(principal, request, reply, actionId, errorOf, form, 400);
    }
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  @Post('actions/:actionId/cancellation')
  @Roles(...ACTION_PLANNERS)
  @UseGuards(CsrfGuard)
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const reason = formText(body, 'cancelReason');
    await this.commands.execute(principal, keyOf(body), CancelAction, {
      actionId,
      reason: reason === '' ? null : reason,
    });
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  @Post('actions/:actionId/owner')
  @Roles(...ACTION_PLANNERS)
  @UseGuards(CsrfGuard)
  async reassign(
    @CurrentPrincipal() principal: Principal,
    @Action() actionId: EntityId,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.commands.execute(principal, keyOf(body), ReassignAction, {
        actionId,
        owner: formText(body, 'owner'),
      });
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      const errorOf = Object.fromEntries(
        error.problems.map(({ reason }) => ['newOwner', `New owner ${reason}`]),
      );
      return this.showAction(principal, request, reply, actionId, errorOf, {}, 400);
    }
    await reply.redirect(`/app/actions/${actionId}`, 303);
  }

  /** An action's page; with the re-dating form's problems beside its fields when it was refused. */
  private async showAction(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    actionId: string,
    errorOf: Record<string, string>,
    redateForm: { dueOn?: string; reason?: string },
    status = 200,
  ): Promise<void> {
    const action = await this.queries.ask(principal, ReadAction, {
      actionId,
      onlyOwnedBy: onlyOwnActionsOf(principal),
    });
    const open = action.status === 'planned' || action.status === 'in-progress';
    const mayAct =
      open &&
      principal.roles.some((role) => ACTION_DOERS.includes(role)) &&
      (mayManageActions(principal) || action.owner === accountIdOf(principal.userId));
    const errors = Object.entries(errorOf).map(([field, text]) => ({ text, href: `#${field}` }));
    await this.pages.render(
      request,
      reply,
      'action.njk',
      {
        action: {
          ...actionRow(action),
          description: pageText(action.description),
          notes: action.notes.map((n) => ({ ...n, note: pageText(n.note) })),
        },
        mayAct,
        mayStart: mayAct && action.status === 'planned',
        mayComplete: mayAct && action.milestones.every((m) => m.doneOn !== null),
        mayManage: open && mayManageActions(principal),
        redateForm,
        errors,
        errorOf,
        formKey: randomUUID(),
      },
      status,
    );
  }
}
