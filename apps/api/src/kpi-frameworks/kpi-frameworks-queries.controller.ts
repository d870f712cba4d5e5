import type { Principal } from '@kpi/auth';
import type { EntityId } from '@kpi/command-handling';
import { InvalidCommandError, KPI_READERS } from '@kpi/domain';
import {
  ReadKpiFramework,
  ReadKpiFrameworkChanges,
  ReadKpiFrameworkVersion,
} from '@kpi/features/kpi-frameworks';
import { Controller, Get, Param, type PipeTransform, type ArgumentMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { IdInPath } from '../http/path-params';
import {
  FrameworkVersionChangesDto,
  FrameworkVersionViewDto,
  FrameworkViewDto,
} from './kpi-framework-reads.dto';

const VERSION = /^[1-9][0-9]{0,8}$/;

/** A version number in the path: a whole number from 1, else 400 naming the parameter. */
class VersionParam implements PipeTransform<unknown, number> {
  transform(value: unknown, { data }: ArgumentMetadata): number {
    // The global validation pipe may have converted it to a number already.
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !VERSION.test(text))
      throw InvalidCommandError.of(data ?? 'version', 'must be a whole number from 1');
    return Number(text);
  }
}

const VersionInPath =
  (name: string, example: string): ParameterDecorator =>
  (target, method, index) => {
    Param(name, new VersionParam())(target, method, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, method!)!;
    ApiParam({ name, type: String, example, description: 'A version number, from 1.' })(
      target,
      method!,
      descriptor,
    );
  };

const Framework = () => IdInPath('frameworkId', 'childrens-homes');

/**
 * A framework read back from its own stream (always current): its versions with the months
 * each judges, one version, and what changed between two. Anyone who reads the KPIs may read
 * what they are judged by; another tenant's framework is "not found" (404), as an unknown one.
 */
@ApiTags('kpi frameworks')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...KPI_READERS)
@Controller('frameworks')
export class KpiFrameworksQueriesController {
  constructor(private readonly queries: Queries) {}

  @Get(':frameworkId')
  @ApiOperation({
    summary: 'A framework: its versions, the months each judges, and their indicators',
  })
  @ApiOkResponse({ type: FrameworkViewDto })
  @ApiProblemResponses(400, 401, 403, 404)
  framework(
    @CurrentPrincipal() principal: Principal,
    @Framework() frameworkId: EntityId,
  ): Promise<FrameworkViewDto> {
    return this.queries.ask(principal, ReadKpiFramework, { frameworkId });
  }

  @Get(':frameworkId/versions/:version')
  @ApiOperation({ summary: 'One version of a framework' })
  @ApiOkResponse({ type: FrameworkVersionViewDto })
  @ApiProblemResponses(400, 401, 403, 404)
  version(
    @CurrentPrincipal() principal: Principal,
    @Framework() frameworkId: EntityId,
    @VersionInPath('version', '2') version: number,
  ): Promise<FrameworkVersionViewDto> {
    return this.queries.ask(principal, ReadKpiFrameworkVersion, { frameworkId, version });
  }

  @Get(':frameworkId/versions/:from/changes/:to')
  @ApiOperation({
    summary: 'What changed from one version to another',
    description:
      'Indicators added, removed (by code) and changed field by field; a field one version lacks reads as null.',
  })
  @ApiOkResponse({ type: FrameworkVersionChangesDto })
  @ApiProblemResponses(400, 401, 403, 404)
  changes(
    @CurrentPrincipal() principal: Principal,
    @Framework() frameworkId: EntityId,
    @VersionInPath('from', '1') from: number,
    @VersionInPath('to', '2') to: number,
  ): Promise<FrameworkVersionChangesDto> {
    return this.queries.ask(principal, ReadKpiFrameworkChanges, { frameworkId, from, to });
  }
}
