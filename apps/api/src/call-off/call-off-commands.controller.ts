import {
  AcceptCarePackage,
  AddProviderToCareFramework,
  DeclineCarePackage,
  EstablishCareFramework,
  RecordCareStarted,
  RecordFamilyContact,
  RegisterCarePackage,
  type CarePackageOutcome,
} from '@kpi/features/call-off';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { CALL_OFF_COMMISSIONERS, PACKAGE_RESPONDERS } from '@kpi/domain';
import { Body, Controller, ForbiddenException, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { CommandAcceptedDto, commandAccepted } from '../http/command-accepted';
import { Commands } from '../http/buses';
import { IdInPath } from '../http/path-params';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  AddFrameworkProviderBody,
  CarePackageCommandDto,
  CareStartedBody,
  DeclineCarePackageBody,
  EstablishCareFrameworkBody,
  FamilyContactBody,
  RegisterCarePackageBody,
} from './call-off-commands.dto';

/** The council named in the path: `@Council() councilId: EntityId`. */
const Council = () => IdInPath('councilId', 'southwark');
const Framework = () => IdInPath('frameworkId', 'care-at-home-2026');
const Package = () => IdInPath('packageId', 'pkg-2026-0117');

/**
 * The care-at-home call-off (docs/rules/care-at-home-call-off.md). Paths name the council, whose
 * records these are: the council's commissioners set up the framework and refer packages; the
 * providers on it answer with their own tokens. Anyone else — another council, a provider not
 * on the framework — gets 404, as for something that does not exist.
 */
@ApiTags('call-off')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Controller('councils/:councilId')
export class CallOffCommandsController {
  constructor(private readonly commands: Commands) {}

  @Post('care-frameworks')
  @Roles(...CALL_OFF_COMMISSIONERS)
  @ApiOperation({
    summary: "Set up the council's care-at-home framework agreement",
    description:
      'Its providers in rotation order and the contract start date its contract years (and so its KPI targets: 95 / 96 / 97 / 99 %) count from. Only the council itself, with its own token (403 otherwise). 400 names a provider that is not a registered provider organisation; 409 when the framework exists.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async establish(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Body() { frameworkId, name, contractStartDate, providers }: EstablishCareFrameworkBody,
  ): Promise<CommandAcceptedDto> {
    ownCouncil(principal, councilId);
    return commandAccepted(
      await this.commands.execute(principal, key, EstablishCareFramework, {
        frameworkId,
        name,
        contractStartDate,
        providers,
      }),
    );
  }

  @Post('care-frameworks/:frameworkId/providers')
  @Roles(...CALL_OFF_COMMISSIONERS)
  @ApiOperation({
    summary: 'Add a provider to the framework (at the end of the rotation)',
    description:
      'Packages referred from now on include it; earlier ones keep the rotation they were given.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async addProvider(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Body() { providerId }: AddFrameworkProviderBody,
  ): Promise<CommandAcceptedDto> {
    ownCouncil(principal, councilId);
    return commandAccepted(
      await this.commands.execute(principal, key, AddProviderToCareFramework, {
        frameworkId,
        providerId,
      }),
    );
  }

  @Post('care-frameworks/:frameworkId/packages')
  @Roles(...CALL_OFF_COMMISSIONERS)
  @ApiOperation({
    summary: 'Refer a new package: it is offered to the first-refusal provider at once',
    description:
      'The package (hours a week, outcomes, start date, urgency, communication needs — no names) takes the next turn of the rotation: offered to that provider for 2 hours, then to the next provider in rotation for 2 hours, then to all the others, first to accept wins. Referred on a Friday after 12:00 (or over the weekend), the first-refusal provider has it until 09:00 on the next working day (Monday, or Tuesday after a bank-holiday Monday) before it is offered on. The windows move on by themselves (the worker’s timers).',
  })
  @ApiCreatedResponse({ type: CarePackageCommandDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async register(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Framework() frameworkId: EntityId,
    @Body() { packageId, ...details }: RegisterCarePackageBody,
  ): Promise<CarePackageCommandDto> {
    ownCouncil(principal, councilId);
    return packageAnswer(
      await this.commands.execute(principal, key, RegisterCarePackage, {
        ...details,
        ...(packageId ? { packageId } : {}),
        frameworkId,
      }),
    );
  }

  @Post('care-packages/:packageId/accept')
  @HttpCode(200)
  @Roles(...PACKAGE_RESPONDERS)
  @ApiOperation({
    summary: "Accept a package offered to the caller's provider",
    description:
      'With the provider’s own token. Accepted while the offer to it is open: its own 2-hour window, or the offer to all (first to accept wins). 409 says why not otherwise — `window-closed` (with when it closed), `not-your-turn`, `declined-by-you`, `placed-with-another-provider`, `unplaced`. Two providers accepting at once: exactly one wins; the other gets 409.',
  })
  @ApiOkResponse({ type: CarePackageCommandDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async accept(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Package() packageId: EntityId,
  ): Promise<CarePackageCommandDto> {
    return packageAnswer(
      await this.commands.execute(principal, key, AcceptCarePackage, { councilId, packageId }),
    );
  }

  @Post('care-packages/:packageId/decline')
  @HttpCode(200)
  @Roles(...PACKAGE_RESPONDERS)
  @ApiOperation({
    summary: 'Decline a package offered to the caller’s provider',
    description:
      'The offer moves on at once to the next in turn (during a Friday hold, when the hold ends). Same 409 reasons as accepting.',
  })
  @ApiOkResponse({ type: CarePackageCommandDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async decline(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Package() packageId: EntityId,
    @Body() { reason }: DeclineCarePackageBody,
  ): Promise<CarePackageCommandDto> {
    return packageAnswer(
      await this.commands.execute(principal, key, DeclineCarePackage, {
        councilId,
        packageId,
        reason,
      }),
    );
  }

  @Post('care-packages/:packageId/family-contact')
  @Roles(...PACKAGE_RESPONDERS)
  @ApiOperation({
    summary: 'Record when the provider holding the package contacted the family',
    description:
      'KPI 2.2: within 24 hours of accepting the package, 12 hours if urgent. Once per package; only by the provider it was placed with (409 otherwise).',
  })
  @ApiCreatedResponse({ type: CarePackageCommandDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async familyContact(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Package() packageId: EntityId,
    @Body() { contactedAt }: FamilyContactBody,
  ): Promise<CarePackageCommandDto> {
    return packageAnswer(
      await this.commands.execute(principal, key, RecordFamilyContact, {
        councilId,
        packageId,
        contactedAt,
      }),
    );
  }

  @Post('care-packages/:packageId/care-started')
  @Roles(...PACKAGE_RESPONDERS)
  @ApiOperation({
    summary: 'Record the day care under the package started',
    description:
      'Care starts within a week of the first contact with the family, unless a later start was agreed.',
  })
  @ApiCreatedResponse({ type: CarePackageCommandDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async careStarted(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Council() councilId: EntityId,
    @Package() packageId: EntityId,
    @Body() { startedOn }: CareStartedBody,
  ): Promise<CarePackageCommandDto> {
    return packageAnswer(
      await this.commands.execute(principal, key, RecordCareStarted, {
        councilId,
        packageId,
        startedOn,
      }),
    );
  }
}

/** What a package command answers: the command's stream and events, the package as it stands. */
function packageAnswer(outcome: CarePackageOutcome): CarePackageCommandDto {
  const pkg = outcome.state.package!;
  const open =
    !pkg.accepted && !pkg.unplacedAt ? (pkg.offers[pkg.offers.length - 1] ?? null) : null;
  return {
    ...commandAccepted(outcome),
    packageId: pkg.packageId,
    currentOffer: open,
    status: pkg.accepted ? 'accepted' : pkg.unplacedAt ? 'unplaced' : 'offered',
  };
}

/** Council commands are the council's own: another tenant's token may not make them. */
function ownCouncil(principal: Principal, councilId: string): void {
  if (principal.tenantId !== councilId)
    throw new ForbiddenException(
      `Only ${councilId} itself sets up its framework and refers its packages; this token is for ${principal.tenantId}`,
    );
}
