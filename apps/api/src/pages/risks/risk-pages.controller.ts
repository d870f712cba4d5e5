import type { Principal } from '@kpi/auth';
import { InvalidCommandError, RISK_CATEGORIES, RISK_KEEPERS, RISK_READERS } from '@kpi/domain';
import { ListRisks, RaiseRisk } from '@kpi/features/risks';
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Commands, Queries } from '../../http/buses';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { formText, type FormBody } from '../sign-in/form-text';
import { raiseRiskInput, readRiskForm, riskFormErrorsOf, type RiskForm } from './risk-form';

const RAG_TAG = {
  green: { text: 'Green', classes: 'govuk-tag--green' },
  amber: { text: 'Amber', classes: 'govuk-tag--orange' },
  red: { text: 'Red', classes: 'govuk-tag--red' },
} as const;

/**
 * The risk register in the web pages (docs/decisions/0039): open risks by residual score with
 * their RAG; those who keep the register raise a risk with a form (each mistake named beside
 * its field).
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Controller('app/risks')
export class RiskPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Roles(...RISK_READERS)
  risks(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.show(principal, request, reply, readRiskForm({}), {});
  }

  @Post()
  @Roles(...RISK_KEEPERS)
  @UseGuards(CsrfGuard)
  async raise(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = readRiskForm(body);
    try {
      await this.commands.execute(
        principal,
        formText(body, '_formKey') || randomUUID(),
        RaiseRisk,
        raiseRiskInput(form),
      );
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      return this.show(principal, request, reply, form, riskFormErrorsOf(error), 400);
    }
    await reply.redirect('/app/risks', 303);
  }

  private async show(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    form: RiskForm,
    errorOf: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const register = await this.queries.ask(principal, ListRisks, {});
    await this.pages.render(
      request,
      reply,
      'risks.njk',
      {
        risks: register.risks.map((risk) => ({ ...risk, ragTag: RAG_TAG[risk.rag] })),
        mayRaise: principal.roles.some((role) => RISK_KEEPERS.includes(role)),
        form,
        categoryItems: [
          { value: '', text: 'Choose a category' },
          ...RISK_CATEGORIES.map((value) => ({
            value,
            text: value.replaceAll('-', ' '),
            selected: form.category === value,
          })),
        ],
        errors: Object.entries(errorOf).map(([field, text]) => ({ text, href: `#${field}` })),
        errorOf,
        formKey: randomUUID(),
      },
      status,
    );
  }
}
