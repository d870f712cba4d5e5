import type { Principal } from '@kpi/auth';
import { COMMENTARY_WRITERS, MAX_COMMENTARY_LENGTH } from '@kpi/domain';
import { ReadCommentaryHistory, WriteIndicatorCommentary } from '@kpi/features/monthly-returns';
import {
  Body,
  Controller,
  Get,
  Post,
  Query,
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
import { Commands, Queries } from '../../http/buses';
import { CommentaryQuery } from '../../monthly-returns/commentary.dto';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { pageText } from '../personal-text';
import type { FormBody } from '../provider/return-form-fields';

const FIELDS = {
  whatHappened: 'Enter what happened',
  whatIsBeingDone: 'Enter what is being done',
} as const;

/**
 * Writing the commentary on an indicator's month or quarter (docs/decisions/0038) from the
 * pages: the versions so far, and a form for the next. Its address names the service (none for
 * the organisation), the indicator and the period, as GET /commentary does.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...COMMENTARY_WRITERS)
@Controller('app/commentary')
export class CommentaryPagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async form(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CommentaryQuery,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.show(
      principal,
      request,
      reply,
      query,
      { whatHappened: '', whatIsBeingDone: '' },
      [],
    );
  }

  @Post()
  @UseGuards(CsrfGuard)
  async write(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CommentaryQuery,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const typed = {
      whatHappened: text(body, 'whatHappened').trim(),
      whatIsBeingDone: text(body, 'whatIsBeingDone').trim(),
    };
    const problems = (Object.keys(FIELDS) as (keyof typeof FIELDS)[])
      .filter((field) => typed[field] === '' || typed[field].length > MAX_COMMENTARY_LENGTH)
      .map((field) => ({
        field,
        text: `${FIELDS[field]} (1 to ${MAX_COMMENTARY_LENGTH} characters)`,
      }));
    if (problems.length > 0) return this.show(principal, request, reply, query, typed, problems);
    await this.commands.execute(
      principal,
      text(body, '_formKey') || undefined,
      WriteIndicatorCommentary,
      {
        serviceId: query.serviceId ?? null,
        indicatorCode: query.indicatorCode,
        period: query.period,
        ...typed,
      },
    );
    await reply.redirect(whereItShows(query), 303);
  }

  private async show(
    principal: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    query: CommentaryQuery,
    form: { whatHappened: string; whatIsBeingDone: string },
    problems: { field: string; text: string }[],
  ): Promise<void> {
    const { versions } = await this.queries.ask(principal, ReadCommentaryHistory, {
      serviceId: query.serviceId ?? null,
      indicatorCode: query.indicatorCode,
      period: query.period,
    });
    await this.pages.render(
      request,
      reply,
      'commentary.njk',
      {
        subject: query.serviceId ?? 'the organisation as a whole',
        indicatorCode: query.indicatorCode,
        period: query.period,
        versions: [...versions].reverse().map((v) => ({
          ...v,
          whatHappened: pageText(v.whatHappened),
          whatIsBeingDone: pageText(v.whatIsBeingDone),
        })),
        form,
        formKey: randomUUID(),
        errors: problems.map((p) => ({ text: p.text, href: `#${p.field}` })),
        errorOf: Object.fromEntries(problems.map((p) => [p.field, p.text])),
        back: whereItShows(query),
      },
      problems.length > 0 ? 400 : 200,
    );
  }
}

/** The page the commentary shows on: the quarterly report, or the return of the month. */
function whereItShows({ serviceId, period }: CommentaryQuery): string {
  if (/ Q[1-4]$/.test(period)) {
    return `/app/reports/quarterly?${new URLSearchParams({ quarter: period }).toString()}`;
  }
  return serviceId ? `/app/services/${serviceId}/returns/${period}` : '/app/kpi-grid';
}

const text = (form: FormBody, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};
