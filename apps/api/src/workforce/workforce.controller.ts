import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { londonDateOf, parseFinancialQuarter, STAFF_READERS } from '@kpi/domain';
import { ReadSupervisionCompliance, ReadTurnover } from '@kpi/features/workforce';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Queries, type Clock } from '../http/buses';
import { IdInPath } from '../http/path-params';
import { CLOCK } from '../infrastructure/injection-tokens';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import {
  SupervisionComplianceDto,
  SupervisionComplianceQuery,
  TurnoverDto,
  TurnoverQuery,
} from './workforce.dto';

const AS_KPI =
  'The `value` with its `numerator` and `denominator` can be typed into the monthly return as the KPI value (a ratio is entered as `{ numerator, denominator }`).';

/** Workforce KPIs of a service, from the staff register and supervision records. */
@ApiTags('workforce')
@ApiBearerAuth(BEARER_SCHEME)
@Roles(...STAFF_READERS)
@Controller('services/:serviceId/workforce')
export class WorkforceController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('supervision-compliance')
  @ApiOperation({
    summary: 'Supervision compliance on a date (KPI, target 100 %)',
    description: `Of the staff in post on the date who started at least three calendar months before it, the share who had a one-to-one supervision in the three months up to it (date − 3 months < session ≤ date). Staff in their first three months are not yet due and count in neither the numerator nor the denominator (\`notYetDue\`). Sessions recorded before a staff member was registered count. ${AS_KPI} 404 when the service is not the organisation's.`,
  })
  @ApiOkResponse({ type: SupervisionComplianceDto })
  @ApiProblemResponses(400, 401, 403, 404)
  supervisionCompliance(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'plas-newydd') serviceId: EntityId,
    @Query() { on }: SupervisionComplianceQuery,
  ): Promise<SupervisionComplianceDto> {
    return this.queries.ask(principal, ReadSupervisionCompliance, {
      serviceId,
      on,
      today: londonDateOf(this.clock()),
    });
  }

  @Get('turnover')
  @ApiOperation({
    summary: 'Staff turnover in a UK financial-year quarter (KPI, target under 5 %)',
    description: `Leavers in the quarter (last day in post from its first day to its last) ÷ the average headcount, (headcount on the first day + headcount at the close of the last day) ÷ 2, as a percentage. ${AS_KPI} \`provisional\` while the quarter has not ended. 404 when the service is not the organisation's.`,
  })
  @ApiOkResponse({ type: TurnoverDto })
  @ApiProblemResponses(400, 401, 403, 404)
  turnover(
    @CurrentPrincipal() principal: Principal,
    @IdInPath('serviceId', 'plas-newydd') serviceId: EntityId,
    @Query() { quarter }: TurnoverQuery,
  ): Promise<TurnoverDto> {
    return this.queries.ask(principal, ReadTurnover, {
      serviceId,
      // Validated by the query DTO: parsing it cannot fail here.
      quarter: parseFinancialQuarter(quarter),
      today: londonDateOf(this.clock()),
    });
  }
}
