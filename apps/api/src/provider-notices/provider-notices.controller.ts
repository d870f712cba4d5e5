import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import {
  parseFinancialQuarter,
  PROVIDER_NOTIFICATION_ACKNOWLEDGERS,
  PROVIDER_NOTIFICATION_READERS,
  PROVIDER_NOTIFIERS,
} from '@kpi/domain';
import {
  AcknowledgeProviderNotification,
  GiveHandBackNotice,
  ListHandBackNotices,
  ListProviderNotifications,
  LogProviderNotification,
  ReadProviderNotification,
  ReadProviderNotificationCounts,
  type HandBackNotices,
  type ProviderNotificationDetails,
  type ProviderNotificationCounts,
  type ProviderNotificationList,
} from '@kpi/features/provider-notices';
import { Body, Controller, Get, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { AccessLog } from '../access-log/access-log.service';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { QuarterQuery } from '../complaints/complaints-queries.dto';
import { Commands, Queries } from '../http/buses';
import { attachment } from '../http/csv';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  GiveHandBackNoticeBody,
  HandBackNoticeDto,
  HandBackNoticesQuery,
  LogProviderNotificationBody,
  ProviderNotificationAcknowledgedDto,
  ProviderNotificationLoggedDto,
} from './provider-notices.dto';
import { providerNotificationCountsCsv } from './provider-notices.csv';

const CouncilInPath = () => IdInPath('councilId', 'southwark');
const PackageInPath = () => IdInPath('packageId', 'pkg-2026-0117');

/**
 * What care-at-home providers tell the council (seed 004 §72–73: refused entry, hospital
 * admission, safeguarding concern, missed call, death), the council's acknowledgement, counts per
 * provider per quarter, and §51 hand-back notices (docs/decisions/0041). Written to the council's
 * streams, naming the provider; a provider sees only its own.
 */
@ApiTags('provider notifications')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('councils/:councilId')
export class ProviderNotificationsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: Queries,
    private readonly accessLog: AccessLog,
  ) {}

  @Post('care-packages/:packageId/notifications')
  @Roles(...PROVIDER_NOTIFIERS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Tell the council of something that happened under a package (provider)',
    description:
      'By the provider the package is placed with. The answer says by when the council had to be told — §72, entry refused: one day after; §73 (hospital admission, safeguarding concern, missed call, death): immediately, or by the end of the next working day — and whether this was late. Who it concerns and what happened are kept encrypted apart from the trail. 404 unless the caller is a provider on the package’s framework; 409 when the package is not placed with it.',
  })
  @ApiCreatedResponse({ type: ProviderNotificationLoggedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  log(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @CouncilInPath() councilId: EntityId,
    @PackageInPath() packageId: EntityId,
    @Body() body: LogProviderNotificationBody,
  ): Promise<ProviderNotificationLoggedDto> {
    return this.commands.execute(principal, key, LogProviderNotification, {
      ...body,
      kind: body.kind as LogProviderNotification['input']['kind'],
      councilId,
      packageId,
    });
  }

  @Post('provider-notifications/:notificationId/acknowledgement')
  @Roles(...PROVIDER_NOTIFICATION_ACKNOWLEDGERS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Acknowledge a provider’s notification (council)',
    description: 'Once (409 after). Another council’s notification, like none, is 404.',
  })
  @ApiCreatedResponse({ type: ProviderNotificationAcknowledgedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  acknowledge(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @CouncilInPath() councilId: EntityId,
    @IdInPath('notificationId', '1c9e2f3a-4b5c-8d6e-9f70-8a1b2c3d4e5f') notificationId: EntityId,
  ): Promise<ProviderNotificationAcknowledgedDto> {
    return this.commands.execute(principal, key, AcknowledgeProviderNotification, {
      councilId,
      notificationId,
    });
  }

  @Get('provider-notifications')
  @Roles(...PROVIDER_NOTIFICATION_READERS)
  @ApiOperation({
    summary: 'The notifications of a quarter (by when they happened)',
    description:
      'Kind, times, by when due, late or not, acknowledged when. The council sees every provider’s, a provider its own. Who it concerned and what happened are not listed.',
  })
  @ApiOkResponse({ description: '{ councilId, quarter, notifications: [...] }' })
  @ApiProblemResponses(400, 401, 403)
  list(
    @CurrentPrincipal() principal: Principal,
    @CouncilInPath() councilId: EntityId,
    @Query() { quarter }: QuarterQuery,
  ): Promise<ProviderNotificationList> {
    return this.queries.ask(principal, ListProviderNotifications, {
      councilId,
      quarter: parseFinancialQuarter(quarter),
    });
  }

  @Get('provider-notifications/counts')
  @Roles(...PROVIDER_NOTIFICATION_READERS)
  @ApiOperation({
    summary: 'Notifications per provider in a quarter: by kind, late, unacknowledged',
  })
  @ApiOkResponse({
    description:
      '{ councilId, quarter, providers: [{ providerId, total, byKind, late, unacknowledged }] }',
  })
  @ApiProblemResponses(400, 401, 403)
  counts(
    @CurrentPrincipal() principal: Principal,
    @CouncilInPath() councilId: EntityId,
    @Query() { quarter }: QuarterQuery,
  ): Promise<ProviderNotificationCounts> {
    return this.queries.ask(principal, ReadProviderNotificationCounts, {
      councilId,
      quarter: parseFinancialQuarter(quarter),
    });
  }

  @Get('provider-notifications/counts.csv')
  @Roles(...PROVIDER_NOTIFICATION_READERS)
  @ApiOperation({ summary: 'The same counts as CSV: one row per provider, a column per kind' })
  @ApiProduces('text/csv')
  @ApiProblemResponses(400, 401, 403)
  async countsCsv(
    @CurrentPrincipal() principal: Principal,
    @CouncilInPath() councilId: EntityId,
    @Query() { quarter }: QuarterQuery,
  ): Promise<StreamableFile> {
    const counts = await this.counts(principal, councilId, { quarter });
    return new StreamableFile(Buffer.from(providerNotificationCountsCsv(counts), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(
        `provider-notifications-${councilId}-${quarter.replace(' ', '-')}.csv`,
      ),
    });
  }

  @Get('provider-notifications/:notificationId')
  @Roles(...PROVIDER_NOTIFICATION_READERS)
  @ApiOperation({
    summary: 'One notification, with who it concerns and what happened',
    description:
      'The texts opened from the personal-data vault, or `{ erasedOn }` once the service user was erased; `dataSubjectId` is what a data-protection officer erases. For the council, or the provider that gave it; anyone else 404. Every read is in the access log.',
  })
  @ApiOkResponse({ description: 'The notification with its texts.' })
  @ApiProblemResponses(400, 401, 403, 404)
  one(
    @CurrentPrincipal() principal: Principal,
    @CouncilInPath() councilId: EntityId,
    @IdInPath('notificationId', '1c9e2f3a-4b5c-8d6e-9f70-8a1b2c3d4e5f') notificationId: EntityId,
  ): Promise<ProviderNotificationDetails> {
    return this.accessLog.recorded(
      principal,
      {
        kind: 'provider-notification',
        subjectId: notificationId,
        ownerTenantId: councilId,
      },
      () => this.queries.ask(principal, ReadProviderNotification, { councilId, notificationId }),
    );
  }

  @Post('care-packages/:packageId/hand-back-notice')
  @Roles(...PROVIDER_NOTIFIERS)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Give notice to hand a package back (provider, §51)',
    description:
      'The package stays the provider’s for seven calendar days from the notice, then returns to the council (`handBackAt`). The reason is kept encrypted apart from the trail. 404 unless the caller is a provider on the framework; 409 when the package is not placed with it or notice was given already.',
  })
  @ApiCreatedResponse({ type: HandBackNoticeDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  handBack(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @CouncilInPath() councilId: EntityId,
    @PackageInPath() packageId: EntityId,
    @Body() body: GiveHandBackNoticeBody,
  ): Promise<HandBackNoticeDto> {
    return this.commands.execute(principal, key, GiveHandBackNotice, {
      councilId,
      packageId,
      reason: body.reason,
    });
  }

  @Get('hand-back-notices')
  @Roles(...PROVIDER_NOTIFICATION_READERS)
  @ApiOperation({
    summary: 'Packages given notice on (§51)',
    description:
      'Soonest first: pending ones are still the provider’s; `pending=false` lists those handed back too. The council sees every provider’s, a provider its own.',
  })
  @ApiOkResponse({
    description:
      '{ councilId, notices: [{ packageId, providerId, noticeGivenAt, handBackAt, status }] }',
  })
  @ApiProblemResponses(400, 401, 403)
  handBackNotices(
    @CurrentPrincipal() principal: Principal,
    @CouncilInPath() councilId: EntityId,
    @Query() { pending }: HandBackNoticesQuery,
  ): Promise<HandBackNotices> {
    return this.queries.ask(principal, ListHandBackNotices, {
      councilId,
      pendingOnly: pending !== 'false',
    });
  }
}
