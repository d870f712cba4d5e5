import {
  PublishChildrensHomesPreset,
  PublishFrameworkVersion,
  PublishPreset,
} from '@kpi/features/kpi-frameworks';
import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { FRAMEWORK_PRESET_NAMES, ORGANISATION_ADMINS } from '@kpi/domain';
import { Body, Controller, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { CommandAcceptedDto, commandAccepted } from '../http/command-accepted';
import { Commands } from '../http/buses';
import { IdInPath } from '../http/path-params';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { PublishFrameworkVersionBody, PublishPresetBody } from './kpi-frameworks.dto';
import { PublishNamedPresetBody } from './presets.dto';

/** Versioned KPI frameworks: a new version judges months from its effective month on. */
@ApiTags('kpi frameworks')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...ORGANISATION_ADMINS)
@Controller('frameworks')
export class KpiFrameworksController {
  constructor(private readonly commands: Commands) {}

  @Post('presets/childrens-homes')
  @ApiOperation({
    summary: "Publish the children's-homes preset (9 KPIs, bonus 8 of 9)",
    description:
      'A configurable starting point (docs/kpi-frameworks.md); publish your own version to change it.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403)
  async publishPreset(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Body() { effectiveFrom }: PublishPresetBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, PublishChildrensHomesPreset, { effectiveFrom }),
    );
  }

  /** Declared after `presets/childrens-homes`, which keeps its own route and body. */
  @Post('presets/:preset')
  @ApiOperation({
    summary: 'Publish a preset: the direct-services datasets or the business-plan template',
    description:
      "direct-services and direct-services-respite (seed 001 Appendix 1: data-only, grouped, with breakdowns and beds unoccupied computed), business-plan (seed 003 Section F: one indicator of each table). Published as the preset's own framework, or as `frameworkId`. docs/kpi-frameworks.md#council-presets.",
  })
  @ApiParam({ name: 'preset', enum: FRAMEWORK_PRESET_NAMES })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async publishNamedPreset(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Param('preset') preset: string,
    @Body() { effectiveFrom, frameworkId }: PublishNamedPresetBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, PublishPreset, {
        preset,
        effectiveFrom,
        ...(frameworkId !== undefined ? { frameworkId } : {}),
      }),
    );
  }

  @Post(':frameworkId/versions')
  @ApiOperation({
    summary: 'Publish a new version of a framework',
    description:
      '`effectiveFrom` may be an ended month if no return of the months from it on is judged yet; otherwise 409 naming the judged months (they keep the version they were judged by, so history never changes colour). Months before `effectiveFrom` keep being judged by the version then in force.',
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async publishVersion(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('frameworkId', 'childrens-homes') frameworkId: EntityId,
    @Body() { name, effectiveFrom, indicators, bonusRule }: PublishFrameworkVersionBody,
  ): Promise<CommandAcceptedDto> {
    return commandAccepted(
      await this.commands.execute(principal, key, PublishFrameworkVersion, {
        frameworkId,
        name,
        effectiveFrom,
        indicators,
        bonusRule,
      }),
    );
  }
}
