import type { Principal } from '@kpi/auth';
import { isEntityId, type EntityId } from '@kpi/command-handling';
import {
  DATA_QUALITY_AUDITORS,
  DATA_QUALITY_FINDINGS,
  InvalidCommandError,
  isPeriod,
  type DataQualityFinding,
  type Period,
} from '@kpi/domain';
import {
  DrawAuditSample,
  ListDataQualityAudits,
  ReadDataQualityAudit,
  RecordAuditFinding,
  type DataQualityAudit,
} from '@kpi/features/monthly-returns';
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import { Commands, Queries } from '../../http/buses';
import { IdInPath } from '../../http/path-params';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { pageText } from '../personal-text';
import { formText, type FormBody } from '../sign-in/form-text';

const FINDING_WORDS: Record<DataQualityFinding, string> = {
  confirmed: 'Confirmed',
  corrected: 'Corrected by amendment',
  queried: 'Queried',
};

/** A form's field problems as the GOV.UK error summary lists them, and by field. */
interface FormErrors {
  errors: { text: string; href: string }[];
  errorOf: Record<string, string>;
}

const noErrors: FormErrors = { errors: [], errorOf: {} };

function errorsOf(problems: readonly { field: string; reason: string }[], fields: string[]) {
  const errorOf: Record<string, string> = {};
  for (const { field, reason } of problems) {
    const at = fields.find((name) => field === name || field.startsWith(`${name}.`)) ?? fields[0]!;
    errorOf[at] ??= `${field}: ${reason}`;
  }
  return {
    errors: Object.entries(errorOf).map(([field, text]) => ({ text, href: `#${field}` })),
    errorOf,
  };
}

/**
 * Data-quality audits for their auditors (docs/decisions/0037): the organisation's audits, a
 * form to draw a random sample of a month's returns, and an audit's page where each sampled
 * return — linked to its page, with its figures and history — gets its finding. The API's own
 * commands and queries; forms without JavaScript, CSRF on every post.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...DATA_QUALITY_AUDITORS)
@Controller('app/data-quality')
export class DataQualityPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  list(
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.showList(principal, request, reply, { period: '', size: '' }, noErrors);
  }

  @Post()
  @UseGuards(CsrfGuard)
  async draw(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = { period: formText(body, 'period').trim(), size: formText(body, 'size').trim() };
    const problems = [
      ...(isPeriod(form.period)
        ? []
        : [{ field: 'period', reason: 'Enter the month as YYYY-MM, for example 2026-09' }]),
      ...(/^[1-9]\d{0,3}$/.test(form.size)
        ? []
        : [{ field: 'size', reason: 'Enter how many returns to sample, a whole number from 1' }]),
    ];
    if (problems.length > 0) {
      return this.showList(
        principal,
        request,
        reply,
        form,
        errorsOf(problems, ['period', 'size']),
        400,
      );
    }
    try {
      const drawn = await this.commands.execute(
        principal,
        formText(body, '_formKey') || randomUUID(),
        DrawAuditSample,
        { period: form.period as Period, random: { size: Number(form.size) } },
      );
      await reply.redirect(`/app/data-quality/${drawn.auditId}`, 303);
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      const errors = errorsOf(error.problems, ['period', 'size']);
      return this.showList(principal, request, reply, form, errors, 400);
    }
  }

  @Get(':auditId')
  async audit(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('auditId', 'audit-2026-09') auditId: EntityId,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const audit = await this.queries.ask(principal, ReadDataQualityAudit, { auditId });
    await this.showAudit(request, reply, audit, null, noErrors);
  }

  @Post(':auditId/findings')
  @UseGuards(CsrfGuard)
  async find(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('auditId', 'audit-2026-09') auditId: EntityId,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const serviceId = formText(body, 'serviceId');
    const finding = formText(body, 'finding') as DataQualityFinding;
    const form = {
      serviceId,
      finding,
      checked: formText(body, 'checked').trim(),
      amendmentEventId: formText(body, 'amendmentEventId').trim(),
      query: formText(body, 'query').trim(),
    };
    const fields = ['finding', 'checked', 'amendmentEventId', 'query'];
    const problems = [
      ...(DATA_QUALITY_FINDINGS.includes(finding)
        ? []
        : [{ field: 'finding', reason: 'Choose what checking the return found' }]),
      ...(form.checked === ''
        ? [{ field: 'checked', reason: 'Enter what you checked the return against' }]
        : []),
    ];
    const show = async (errors: FormErrors) =>
      this.showAudit(
        request,
        reply,
        await this.queries.ask(principal, ReadDataQualityAudit, { auditId }),
        form,
        errors,
        400,
      );
    if (!isEntityId(serviceId))
      return show(errorsOf([{ field: 'finding', reason: 'Choose a sampled return' }], fields));
    if (problems.length > 0) return show(errorsOf(problems, fields));
    try {
      await this.commands.execute(
        principal,
        formText(body, '_formKey') || randomUUID(),
        RecordAuditFinding,
        {
          auditId,
          serviceId,
          finding,
          checked: form.checked,
          ...(finding === 'corrected' && { amendmentEventId: form.amendmentEventId }),
          ...(finding === 'queried' && { query: form.query }),
        },
      );
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      return show(errorsOf(error.problems, fields));
    }
    await reply.redirect(`/app/data-quality/${auditId}#${serviceId}`, 303);
  }

  private async showList(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    form: { period: string; size: string },
    { errors, errorOf }: FormErrors,
    status = 200,
  ): Promise<void> {
    const { audits } = await this.queries.ask(principal, ListDataQualityAudits, {});
    await this.pages.render(
      request,
      reply,
      'data-quality-audits.njk',
      { audits, form, errors, errorOf, formKey: randomUUID() },
      status,
    );
  }

  private showAudit(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    audit: DataQualityAudit,
    form: {
      serviceId: string;
      finding: string;
      checked: string;
      amendmentEventId: string;
      query: string;
    } | null,
    { errors, errorOf }: FormErrors,
    status = 200,
  ): Promise<void> {
    const returns = audit.returns.map((sampled) => ({
      serviceId: sampled.serviceId,
      finding: sampled.finding ? FINDING_WORDS[sampled.finding] : null,
      open: sampled.finding === null || sampled.finding === 'queried',
      checked: sampled.checked === null ? null : pageText(sampled.checked),
      query: sampled.query === null ? null : pageText(sampled.query),
      recordedAt: sampled.recordedAt?.slice(0, 10) ?? null,
      form: form?.serviceId === sampled.serviceId ? form : null,
    }));
    return this.pages.render(
      request,
      reply,
      'data-quality-audit.njk',
      { audit, returns, errors, errorOf, formKey: randomUUID() },
      status,
    );
  }
}
