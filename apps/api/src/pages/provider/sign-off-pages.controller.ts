import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  COMMENTARY_WRITERS,
  financialQuarterOf,
  MAX_REASON_LENGTH,
  RETURN_HISTORY_READERS,
  RETURN_PUBLISHERS,
  RETURN_SUBMITTERS,
  RETURN_VERIFIERS,
  type Period,
  type Role,
} from '@kpi/domain';
import {
  PublishMonthlyReturn,
  ReadIndicatorCommentaries,
  ReadReturnForm,
  ReadReturnHistory,
  ReadReturnsToVerify,
  SendBackMonthlyReturn,
  VerifyMonthlyReturn,
  type ReturnWithHistory,
} from '@kpi/features/monthly-returns';
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Commands, Queries } from '../../http/buses';
import { IdInPath, MonthInPath } from '../../http/path-params';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { pageText } from '../personal-text';
import type { FormBody } from './return-form-fields';

const STAGE_TAGS: Record<string, { text: string; colour: string }> = {
  submitted: { text: 'Waiting to be verified', colour: 'blue' },
  verified: { text: 'Verified, waiting to be published', colour: 'turquoise' },
  'sent-back': { text: 'Sent back to be amended', colour: 'orange' },
  published: { text: 'Published', colour: 'green' },
};

const REASON_REQUIRED = `Enter why it is sent back (1 to ${MAX_REASON_LENGTH} characters)`;

const may = (principal: Principal, roles: readonly Role[]) =>
  principal.roles.some((role) => roles.includes(role));

/**
 * A return's page (its figures, history and sign-off), the sign-off buttons for those entitled
 * (docs/decisions/0037), and the list of returns waiting in sign-off: the API's own commands and
 * queries, forms without JavaScript, CSRF on every post.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app')
export class SignOffPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get('services/:serviceId/returns/:period')
  @Roles(...RETURN_HISTORY_READERS)
  async returnPage(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.show(principal, request, reply, serviceId, period, { reason: '', error: null });
  }

  @Post('services/:serviceId/returns/:period/verification')
  @Roles(...RETURN_VERIFIERS)
  @UseGuards(CsrfGuard)
  async verify(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, formKey(body), VerifyMonthlyReturn, {
      serviceId,
      period,
    });
    await reply.redirect(returnPath(serviceId, period), 303);
  }

  @Post('services/:serviceId/returns/:period/sending-back')
  @Roles(...RETURN_VERIFIERS)
  @UseGuards(CsrfGuard)
  async sendBack(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const reason = text(body, 'reason').trim();
    if (reason === '' || reason.length > MAX_REASON_LENGTH) {
      return this.show(principal, request, reply, serviceId, period, {
        reason,
        error: REASON_REQUIRED,
      });
    }
    await this.commands.execute(principal, formKey(body), SendBackMonthlyReturn, {
      serviceId,
      period,
      reason,
    });
    await reply.redirect(returnPath(serviceId, period), 303);
  }

  @Post('services/:serviceId/returns/:period/publication')
  @Roles(...RETURN_PUBLISHERS)
  @UseGuards(CsrfGuard)
  async publish(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() body: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, formKey(body), PublishMonthlyReturn, {
      serviceId,
      period,
    });
    await reply.redirect(returnPath(serviceId, period), 303);
  }

  @Get('returns-to-verify')
  // Those who publish see it in their menu; verifiers find returns from the grid and the API.
  @Roles(...RETURN_PUBLISHERS)
  async toVerify(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [submitted, verified, sentBack] = await Promise.all(
      (['submitted', 'verified', 'sent-back'] as const).map((stage) =>
        this.queries.ask(principal, ReadReturnsToVerify, { stage }),
      ),
    );
    await this.pages.render(request, reply, 'returns-to-verify.njk', {
      groups: [
        { title: 'Waiting to be verified', returns: submitted!.returns },
        { title: 'Verified, waiting to be published', returns: verified!.returns },
        { title: 'Sent back to be amended', returns: sentBack!.returns },
      ],
    });
  }

  private async show(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    serviceId: EntityId,
    period: Period,
    form: { reason: string; error: string | null },
  ): Promise<void> {
    const [stored, about, { commentaries }] = await Promise.all([
      this.queries.ask(principal, ReadReturnHistory, { serviceId, period }),
      this.queries.ask(principal, ReadReturnForm, { serviceId, period }),
      this.queries.ask(principal, ReadIndicatorCommentaries, {
        serviceId,
        periods: [period, financialQuarterOf(period)],
      }),
    ]);
    // The month's commentary beside each figure, else the quarter's (docs/decisions/0038).
    const commentaryOf = (code: string) => {
      const found =
        commentaries.find((c) => c.indicatorCode === code && c.period === period) ??
        commentaries.find((c) => c.indicatorCode === code);
      return (
        found && {
          period: found.period,
          whatHappened: pageText(found.whatHappened),
          whatIsBeingDone: pageText(found.whatIsBeingDone),
        }
      );
    };
    const stage = stored.signOff?.stage ?? null;
    await this.pages.render(
      request,
      reply,
      'return.njk',
      {
        serviceId,
        serviceName: about.serviceName,
        period,
        stored,
        values: valueRows(stored).map((row) => ({ ...row, commentary: commentaryOf(row.code) })),
        canComment: may(principal, COMMENTARY_WRITERS),
        history: stored.history.map((entry) => ({ ...entry, reason: pageText(entry.reason) })),
        signOff: stored.signOff && {
          ...stored.signOff,
          tag: STAGE_TAGS[stored.signOff.stage],
          steps: stored.signOff.steps.map((step) => ({ ...step, reason: pageText(step.reason) })),
        },
        canAmend: may(principal, RETURN_SUBMITTERS),
        canVerify: may(principal, RETURN_VERIFIERS) && stage === 'submitted',
        canSendBack:
          may(principal, RETURN_VERIFIERS) && (stage === 'submitted' || stage === 'verified'),
        canPublish: may(principal, RETURN_PUBLISHERS) && stage === 'verified',
        formKey: randomUUID(),
        form,
        errors: form.error ? [{ text: form.error, href: '#reason' }] : [],
      },
      form.error ? 400 : 200,
    );
  }
}

/** Each indicator's value and judgement, as the return stands now. */
function valueRows(stored: ReturnWithHistory) {
  return Object.entries(stored.values).map(([code, value]) => {
    const judgement = stored.results[code];
    return {
      code,
      value: shownValue(value),
      outcome: judgement?.outcome ?? null,
      rag: judgement?.rag ?? null,
    };
  });
}

function shownValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  const v = value as {
    notApplicable?: true;
    reason?: string;
    numerator?: number;
    denominator?: number;
    total?: number;
  };
  if (v.notApplicable) return `n/a (${v.reason ?? ''})`;
  if (v.total !== undefined) return String(v.total);
  return `${v.numerator}/${v.denominator}`;
}

const text = (form: FormBody, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};
const formKey = (body: FormBody) => text(body, '_formKey') || undefined;
const returnPath = (serviceId: string, period: Period) =>
  `/app/services/${serviceId}/returns/${period}`;
