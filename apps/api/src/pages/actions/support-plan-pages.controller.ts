import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { ACTION_PLANNERS, InvalidCommandError, londonDateOf } from '@kpi/domain';
import { ListActions, PlanAction } from '@kpi/features/actions';
import {
  Body,
  Controller,
  Get,
  Inject,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { EntryIdInPath } from '../../capability/capability-path-params';
import { Commands, Queries, type Clock } from '../../http/buses';
import { IdInPath } from '../../http/path-params';
import { CLOCK } from '../../infrastructure/injection-tokens';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import type { FormBody } from '../sign-in/form-text';
import {
  formErrorsOf,
  readSupportActionForm,
  SUPPORT_KIND_CHOICES,
  supportActionInput,
  type SupportActionForm,
} from './action-form';
import { actionRow, keyOf, supportPlanPath } from './action-rows';

const Manager = () => IdInPath('managerId', 'mgr-siwan');

/**
 * A capability stage entry's support plan in the web pages (docs/decisions/0039): its actions
 * (training, mentoring, developmental tasks), and the form where HR adds one — the decider's
 * field problems beside the fields.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app')
export class SupportPlanPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('capability/managers/:managerId/timeline/:entryId/support-plan')
  @Roles(...ACTION_PLANNERS)
  async supportPlan(
    @CurrentPrincipal() principal: Principal,
    @Manager() managerId: EntityId,
    @EntryIdInPath() entryId: string,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const today = londonDateOf(this.clock());
    const form = { ...readSupportActionForm({}, managerId), startOn: today };
    await this.showSupportPlan(principal, request, reply, managerId, entryId, form, {});
  }

  @Post('capability/managers/:managerId/timeline/:entryId/support-plan')
  @Roles(...ACTION_PLANNERS)
  @UseGuards(CsrfGuard)
  async addToSupportPlan(
    @CurrentPrincipal() principal: Principal,
    @Manager() managerId: EntityId,
    @EntryIdInPath() entryId: string,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = readSupportActionForm(body, managerId);
    try {
      await this.commands.execute(
        principal,
        keyOf(body),
        PlanAction,
        supportActionInput(form, managerId, entryId),
      );
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      const errorOf = formErrorsOf(error);
      return this.showSupportPlan(
        principal,
        request,
        reply,
        managerId,
        entryId,
        form,
        errorOf,
        400,
      );
    }
    await reply.redirect(supportPlanPath(managerId, entryId), 303);
  }

  private async showSupportPlan(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    managerId: string,
    entryId: string,
    form: SupportActionForm,
    errorOf: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const plan = await this.queries.ask(principal, ListActions, { managerId, entryId });
    const errors = Object.entries(errorOf).map(([field, text]) => ({ text, href: `#${field}` }));
    await this.pages.render(
      request,
      reply,
      'support-plan.njk',
      {
        managerId,
        entryId,
        path: supportPlanPath(managerId, entryId),
        timelinePath: `/app/capability/managers/${encodeURIComponent(managerId)}/timeline`,
        actions: plan.actions.map(actionRow),
        form,
        supportItems: SUPPORT_KIND_CHOICES.map(({ value, text }) => ({
          value,
          text,
          checked: form.supportKind === value,
        })),
        errors,
        errorOf,
        formKey: randomUUID(),
      },
      status,
    );
  }
}
