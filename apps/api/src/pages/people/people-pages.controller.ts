import type { Principal } from '@kpi/auth';
import { isEntityId, type EntityId } from '@kpi/command-handling';
import { ACCOUNT_ADMINS, ConflictError, NotFoundError } from '@kpi/domain';
import { InvitePerson, LinkManager, ListAccounts, RemoveAccess } from '@kpi/features/accounts';
import { ClearBounce, ListBounces } from '@kpi/features/notifications';
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
import { IdInPath } from '../../http/path-params';
import { CsrfGuard } from '../csrf.guard';
import { PageErrorsFilter } from '../page-errors.filter';
import { PageRenderer } from '../page-renderer';
import { shownText } from '../personal-text';
import { formText, type FormBody } from '../sign-in/form-text';
import { readInviteForm, ROLE_CHOICES, type InviteForm } from './invite-form';

const STATUS_TEXT = { invited: 'Invited', active: 'Active', removed: 'Access removed' } as const;

/**
 * The organisation's people, for its account admins: the list (an erased person's email as
 * "erased on …"), inviting a person (the invitation link shown once), removing a person's
 * access after a confirmation page, linking a person to the manager id they are in capability
 * records (for one invited without it, or who joined through the identity provider). No one removes their own access (the accounts decider
 * refuses it): their page says so instead.
 */
@ApiExcludeController()
@UseFilters(PageErrorsFilter)
@Roles(...ACCOUNT_ADMINS)
@Controller('app/people')
export class PeoplePagesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('removed') removed: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const accounts = await this.queries.ask(principal, ListAccounts, {});
    // Addresses mail to which bounced (docs/decisions/0036): their notifications are held.
    const bounced = new Set(
      (await this.queries.ask(principal, ListBounces, {})).map(({ accountId }) => accountId),
    );
    const people = accounts.map((account) => ({
      ...account,
      bounced: bounced.has(account.accountId),
      email: shownText(account.email),
      statusText: STATUS_TEXT[account.status],
      isYou: account.accountId === principal.userId,
    }));
    const removedEmail = people.find(({ accountId }) => accountId === removed)?.email.text ?? null;
    await this.pages.render(request, reply, 'people-list.njk', { people, removedEmail });
  }

  /** Clears a bounce: the person's notifications are emailed again. */
  @Post(':accountId/bounce-clearance')
  @UseGuards(CsrfGuard)
  async clearBounce(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
    @Body() _form: FormBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.commands.execute(principal, undefined, ClearBounce, { accountId });
    await reply.redirect('/app/people', 303);
  }

  @Get('invite')
  inviteForm(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.showInviteForm(request, reply, readInviteForm({}), {}, randomUUID());
  }

  @Post('invite')
  @UseGuards(CsrfGuard)
  async invite(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const formKey = formText(body, '_formKey') || randomUUID();
    const invite = readInviteForm(body);
    if (!invite.input) {
      return this.showInviteForm(request, reply, invite, invite.errorOf, formKey, 400);
    }
    try {
      const invitation = await this.commands.execute(
        principal,
        formKey,
        InvitePerson,
        invite.input,
      );
      const path = `/app/invitations/${invitation.invitationToken}`;
      await this.pages.render(request, reply, 'people-invited.njk', {
        invitation,
        link: `${request.protocol}://${request.host}${path}`,
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const errorOf = { email: `${invite.input.email} already has an account` };
      return this.showInviteForm(request, reply, invite, errorOf, randomUUID(), 409);
    }
  }

  @Get(':accountId/remove')
  async removeConfirmation(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const person = await this.person(principal, accountId);
    const isYou = accountId === principal.userId;
    await this.pages.render(
      request,
      reply,
      'people-remove.njk',
      { person, isYou },
      isYou ? 409 : 200,
    );
  }

  @Post(':accountId/remove')
  @UseGuards(CsrfGuard)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
    // The form's fields (its CSRF token) are read by the guard; declared so they are allowed.
    @Body() _form: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const person = await this.person(principal, accountId);
    try {
      await this.commands.execute(principal, `remove-${accountId}`, RemoveAccess, { accountId });
    } catch (error) {
      if (!(error instanceof ConflictError) || accountId !== principal.userId) throw error;
      return this.pages.render(request, reply, 'people-remove.njk', { person, isYou: true }, 409);
    }
    await reply.redirect(`/app/people?removed=${accountId}`, 303);
  }

  @Get(':accountId/manager')
  async managerForm(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const person = await this.person(principal, accountId);
    await this.pages.render(request, reply, 'people-manager.njk', {
      person: { ...person, email: shownText(person.email) },
      managerId: person.managerId ?? '',
      error: null,
    });
  }

  @Post(':accountId/manager')
  @UseGuards(CsrfGuard)
  async linkManager(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
    @Body() body: FormBody,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const person = await this.person(principal, accountId);
    const typed = formText(body, 'managerId').trim();
    if (typed !== '' && !isEntityId(typed)) {
      const error = 'Enter a manager id of lowercase letters, digits and -, like mgr-home-02';
      return this.pages.render(
        request,
        reply,
        'people-manager.njk',
        { person: { ...person, email: shownText(person.email) }, managerId: typed, error },
        400,
      );
    }
    const managerId = typed === '' ? null : typed;
    await this.commands.execute(principal, randomUUID(), LinkManager, { accountId, managerId });
    await reply.redirect('/app/people', 303);
  }

  /** The account with access to remove; 404 when there is none, or it is already removed. */
  private async person(principal: Principal, accountId: string) {
    const accounts = await this.queries.ask(principal, ListAccounts, {});
    const person = accounts.find((account) => account.accountId === accountId);
    if (!person || person.status === 'removed') {
      throw new NotFoundError(`There is no one with access whose account is ${accountId}`);
    }
    return person;
  }

  private showInviteForm(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    { form }: InviteForm,
    errorOf: Record<string, string>,
    formKey: string,
    status = 200,
  ): Promise<void> {
    const errors = Object.entries(errorOf).map(([field, text]) => ({ text, href: `#${field}` }));
    const roleItems = ROLE_CHOICES.map(({ value, text, hint }) => ({
      value,
      text,
      hint: { text: hint },
      checked: form.roles.includes(value),
    }));
    return this.pages.render(
      request,
      reply,
      'people-invite.njk',
      { form, roleItems, formKey, errors, errorOf },
      status,
    );
  }
}
