import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  InvalidCommandError,
  MAX_REASON_LENGTH,
  RETURN_SUBMITTERS,
  type FieldProblem,
  type Period,
} from '@kpi/domain';
import { ReadKpiFrameworkVersion } from '@kpi/features/kpi-frameworks';
import {
  AmendMonthlyReturn,
  ReadReturnForm,
  ReadReturnHistory,
  SubmitMonthlyReturn,
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
import {
  changedValues,
  errorSummary,
  formFromValues,
  returnFormFields,
  valuesFromForm,
  type FormBody,
  type ReturnFormField,
} from './return-form-fields';

/** What the return form template shows, beside the layout. */
interface ReturnFormPage {
  mode: 'submit' | 'amend';
  serviceId: string;
  serviceName: string;
  period: Period;
  dueDate: string;
  frameworkName: string;
  frameworkVersion: number;
  fields: ReturnFormField[];
  /** The inputs' text: what was typed, or (amending) what is stored. */
  form: Record<string, string>;
  reason: string;
  /** The same for every post of this form, so a double click writes one return. */
  formKey: string;
  errors: { text: string; href: string }[];
  /** Input id → its message, beside the input. */
  errorOf: Record<string, string>;
}

const REASON_REQUIRED = `Enter why the values change (1 to ${MAX_REASON_LENGTH} characters)`;

const formText = (form: FormBody, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/**
 * Submitting and amending a monthly return through a form: the same commands the API's
 * POST /services/:serviceId/returns dispatches. A bad value comes back as the GOV.UK error
 * summary naming each indicator; a return written sends the browser to the grid.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...RETURN_SUBMITTERS)
@Controller('app/services/:serviceId/returns/:period')
export class ReturnFormsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get('submit')
  async submitForm(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.submitPage(principal, serviceId, period);
    await this.show(request, reply, { ...page, formKey: randomUUID() });
  }

  @Post('submit')
  @UseGuards(CsrfGuard)
  async submit(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.submitPage(principal, serviceId, period);
    const formKey = formText(body, '_formKey') || randomUUID();
    const values = valuesFromForm(page.fields, body);
    try {
      await this.commands.execute(principal, formKey, SubmitMonthlyReturn, {
        serviceId,
        period,
        values,
      });
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      return this.showErrors(
        request,
        reply,
        { ...page, form: texts(body), formKey },
        error.problems,
      );
    }
    await reply.redirect(gridAfter('submitted', serviceId, period), 303);
  }

  @Get('amend')
  async amendForm(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { page, stored } = await this.amendPage(principal, serviceId, period);
    await this.show(request, reply, {
      ...page,
      form: formFromValues(page.fields, stored),
      formKey: randomUUID(),
    });
  }

  @Post('amend')
  @UseGuards(CsrfGuard)
  async amend(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'ty-gwyn') serviceId: EntityId,
    @MonthInPath() period: Period,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { page, stored } = await this.amendPage(principal, serviceId, period);
    const reason = formText(body, 'reason').trim();
    const formKey = formText(body, '_formKey') || randomUUID();
    const typed = { ...page, form: texts(body), reason, formKey };
    // The API checks the reason at its edge (the DTO); a form is an edge too.
    if (reason === '' || reason.length > MAX_REASON_LENGTH) {
      return this.showErrors(request, reply, typed, [{ field: 'reason', reason: REASON_REQUIRED }]);
    }
    const values = changedValues(valuesFromForm(page.fields, body), stored);
    try {
      await this.commands.execute(principal, formKey, AmendMonthlyReturn, {
        serviceId,
        period,
        values,
        reason,
      });
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      return this.showErrors(request, reply, typed, error.problems);
    }
    await reply.redirect(gridAfter('amended', serviceId, period), 303);
  }

  private async submitPage(principal: Principal, serviceId: string, period: Period) {
    const asked = await this.queries.ask(principal, ReadReturnForm, { serviceId, period });
    return blankPage('submit', {
      ...asked,
      fields: returnFormFields(asked.indicators, period),
    });
  }

  private async amendPage(principal: Principal, serviceId: string, period: Period) {
    const stored = await this.queries.ask(principal, ReadReturnHistory, { serviceId, period });
    const version = await this.queries.ask(principal, ReadKpiFrameworkVersion, {
      frameworkId: stored.frameworkId as EntityId,
      version: stored.frameworkVersion,
    });
    const form = await this.queries.ask(principal, ReadReturnForm, { serviceId, period });
    const page = blankPage('amend', {
      serviceId,
      serviceName: form.serviceName,
      period,
      dueDate: stored.dueDate,
      frameworkName: version.name,
      frameworkVersion: version.version,
      fields: returnFormFields(version.indicators, period),
    });
    return { page, stored: stored.values };
  }

  private show(request: AuthenticatedRequest, reply: FastifyReply, page: ReturnFormPage) {
    return this.pages.render(request, reply, 'return-form.njk', { ...page });
  }

  private showErrors(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    page: ReturnFormPage,
    problems: readonly FieldProblem[],
  ): Promise<void> {
    const errors = errorSummary(problems, page.fields);
    const errorOf = Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text]));
    return this.pages.render(request, reply, 'return-form.njk', { ...page, errors, errorOf }, 400);
  }
}

function blankPage(
  mode: ReturnFormPage['mode'],
  parts: Pick<
    ReturnFormPage,
    | 'serviceId'
    | 'serviceName'
    | 'period'
    | 'dueDate'
    | 'frameworkName'
    | 'frameworkVersion'
    | 'fields'
  >,
): ReturnFormPage {
  return { mode, ...parts, form: {}, reason: '', formKey: '', errors: [], errorOf: {} };
}

/** The inputs as typed, to show them again beside what was wrong. */
function texts(body: FormBody): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).map(([name, value]) => [
      name,
      (Array.isArray(value) ? value[0] : value) ?? '',
    ]),
  );
}

/** The grid showing the month just written, with a banner saying so. */
function gridAfter(notice: 'submitted' | 'amended', serviceId: string, period: Period): string {
  const query = new URLSearchParams({ to: period, notice, serviceId, period });
  return `/app/kpi-grid?${query.toString()}`;
}
