import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { CAPABILITY_READERS, OWN_CAPABILITY_RECORD_READERS } from '@kpi/domain';
import {
  ReadCapabilityCounters,
  ReadCapabilityTimeline,
  ReadCapabilityWhy,
  ReadStagesByRegion,
} from '@kpi/features/capability';
import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccessLog } from '../access-log/access-log.service';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { capabilityRecordRead, refuseUnlessMayReadRecordOf } from './capability-record-access';
import { Queries } from '../http/buses';
import { IdInPath } from '../http/path-params';
import { CountersDto, StagesByRegionDto } from './capability-counters.dto';
import { EntryIdInPath } from './capability-path-params';
import { ErasedReasonsDto, TimelineDto } from './capability-timeline.dto';
import { WhyDto } from './capability-why.dto';
import {
  AsOfQuery,
  asOfInstant,
  CountersPage,
  StagesByRegionQuery,
  WhyQuery,
} from './capability.query';

/** Counters, timelines and "why" of the capability procedure: employment records, read-only. */
@ApiTags('capability')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(ErasedReasonsDto)
@Roles(...CAPABILITY_READERS)
@Controller('capability')
export class CapabilityQueriesController {
  constructor(
    private readonly queries: Queries,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('counters')
  @ApiOperation({
    summary: 'Consecutive-miss counters',
    description:
      "One per (manager, home, KPI) that has ever been missed: how many months in a row, the stage that makes, the open timeline entry, whether a Stage 3 review is due. By default only counters at Stage 1 or above, highest stage first, 200 at a time (`limit`, `offset`; `nextOffset` is null on the last page). 404 when `managerId`, `serviceId` or `regionId` names none of the tenant's (a manager is known once appointed to one of its homes).",
  })
  @ApiOkResponse({ type: CountersDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async counters(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CountersPage,
  ): Promise<CountersDto> {
    return this.queries.ask(principal, ReadCapabilityCounters, query);
  }

  @Get('stages-by-region')
  @ApiOperation({
    summary: 'Who is at which stage, per region (dashboard)',
    description:
      "Each region with how many managers are at Stage 1, 2 and 3 (a manager counts once, at their highest open stage in the region), how many Stage 3 reviews are due, and the managers themselves, highest stage first: each with the homes where their stages are open. kpi-ledger records no names of people, so a manager is their id (the id used in their appointments). With `regionId`, that region only, with each manager's open counters too (404 when it names none of the tenant's regions).",
  })
  @ApiOkResponse({ type: StagesByRegionDto })
  @ApiProblemResponses(400, 401, 403, 404)
  stagesByRegion(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StagesByRegionQuery,
  ): Promise<StagesByRegionDto> {
    return this.queries.ask(principal, ReadStagesByRegion, { regionId: query.regionId });
  }

  @Get('managers/:managerId/timeline')
  @Roles(...CAPABILITY_READERS, ...OWN_CAPABILITY_RECORD_READERS)
  @ApiOperation({
    summary: "A manager's capability-stage timeline",
    description:
      "Every stage entered, escalated, resolved or withdrawn, for every home and KPI, oldest first; for each, the months that count, whether and when it was addressed in supervision, reviews and appeals (their reasons kept under the manager's key as a data subject: the text, or `{ erasedOn }` once the manager was erased), and its history (each event with id and global position, and the event that caused it). With `asOf`, the timeline as it was known then — a stage withdrawn later shows as it stood. A manager the tenant has appointed who has never reached a stage has an empty timeline; an id the tenant has never appointed (nor kept a counter for) is 404. A home manager reads only their own timeline (the manager id their account or token is linked to); anyone else's is 403.",
  })
  @ApiOkResponse({ type: TimelineDto })
  @ApiProblemResponses(400, 401, 403, 404)
  timeline(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('managerId', 'mgr-siwan') managerId: EntityId,
    @Query() query: AsOfQuery,
  ): Promise<TimelineDto> {
    return this.accessLog.recorded(
      principal,
      capabilityRecordRead(principal, managerId, 'timeline'),
      async () => {
        refuseUnlessMayReadRecordOf(principal, managerId);
        return this.queries.ask(principal, ReadCapabilityTimeline, {
          managerId,
          asOf: asOfInstant(query.asOf),
        });
      },
    );
  }

  @Get('managers/:managerId/timeline/:entryId/why')
  @Roles(...CAPABILITY_READERS, ...OWN_CAPABILITY_RECORD_READERS)
  @ApiOperation({
    summary: 'Why a manager reached a stage',
    description:
      'For one timeline entry: the months missed with their values, the benchmark and framework version in force for each, the return each came from with its submission and every amendment (who, when, why, hash), every stage change of the run, the supervisions that addressed it, reviews and appeals (their reasons, or `{ erasedOn }` once the manager was erased) — each with the id and global position of the stored event it rests on. `verify=true` also recomputes the hash chains of every stream cited. `asOf` answers as it was known then. 404 when the manager has no such entry (then). A home manager reads only their own (403 otherwise).',
  })
  @ApiOkResponse({ type: WhyDto })
  @ApiProblemResponses(400, 401, 403, 404)
  why(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('managerId', 'mgr-siwan') managerId: EntityId,
    @EntryIdInPath() entryId: string,
    @Query() query: WhyQuery,
  ): Promise<WhyDto> {
    return this.accessLog.recorded(
      principal,
      capabilityRecordRead(principal, managerId, `why ${entryId}`),
      async () => {
        refuseUnlessMayReadRecordOf(principal, managerId);
        return this.queries.ask(principal, ReadCapabilityWhy, {
          managerId,
          entryId,
          asOf: asOfInstant(query.asOf),
          verify: query.verify === 'true',
        });
      },
    );
  }
}
