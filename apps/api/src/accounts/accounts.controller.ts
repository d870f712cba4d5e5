import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { ACCOUNT_ADMINS, ACCOUNT_READERS } from '@kpi/domain';
import { InvitePerson, LinkManager, ListAccounts, RemoveAccess } from '@kpi/features/accounts';
import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
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
  AccessRemovedDto,
  AccountDto,
  ErasedEmailDto,
  InvitationDto,
  InvitePersonBody,
  LinkManagerBody,
  ManagerLinkDto,
} from './accounts.dto';

/**
 * An organisation's accounts, kept by its admins: invite people, list them (the data-protection
 * officer too), remove access.
 */
@ApiTags('accounts')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(ErasedEmailDto)
@Roles(...ACCOUNT_ADMINS)
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
  ) {}

  @Post('invitations')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Invite a person by email, with their roles',
    description:
      "Answers a single-use invitation token (valid for 7 days) to pass to the person; they accept it with POST /invitations/{token}/acceptance, setting their password. The email signs them in; the trail keeps it only sealed under the person's key (their account id as data subject), so an erasure removes it.",
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiProblemResponses(400, 401, 403, 409)
  invite(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() { email, roles, managerId }: InvitePersonBody,
  ): Promise<InvitationDto> {
    return this.commands.execute(principal, key, InvitePerson, {
      email,
      roles,
      managerId: managerId ?? null,
    });
  }

  @Get()
  @Roles(...ACCOUNT_READERS)
  @ApiOperation({
    summary: "The organisation's accounts, by email",
    description:
      "For the organisation's admins and its data-protection officer. Each with its data subject id (the account id); an erased person's last, their email `{ erasedOn }` and their access removed.",
  })
  @ApiOkResponse({ type: AccountDto, isArray: true })
  @ApiProblemResponses(401, 403)
  list(@CurrentPrincipal() principal: Principal): Promise<AccountDto[]> {
    return this.queries.ask(principal, ListAccounts, {});
  }

  @Put(':accountId/manager')
  @ApiOperation({
    summary: 'Link a person to the manager id they are in capability records (or unlink)',
    description:
      "For a person invited without a manager id, or who joined through the organisation's identity provider (which knows nothing of manager ids). A home manager linked to their id reads their own capability record; a regional manager linked to their region's id is the one told about its returns. Takes effect at their next request. Linking to the id already linked changes nothing.",
  })
  @ApiOkResponse({ type: ManagerLinkDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  linkManager(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
    @Body() { managerId }: LinkManagerBody,
  ): Promise<ManagerLinkDto> {
    return this.commands.execute(principal, key, LinkManager, { accountId, managerId });
  }

  @Post(':accountId/access-removal')
  @HttpCode(200)
  @ApiOperation({
    summary: "Remove a person's access at once",
    description:
      'Every session of theirs ends: their next request is refused (401). No one may remove their own access (409): another admin must, so that the organisation always has one.',
  })
  @ApiOkResponse({ type: AccessRemovedDto })
  @ApiProblemResponses(401, 403, 404, 409)
  removeAccess(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('accountId', 'acc-3f9a1c0e7b2d4a61') accountId: EntityId,
  ): Promise<AccessRemovedDto> {
    return this.commands.execute(principal, key, RemoveAccess, { accountId });
  }
}
