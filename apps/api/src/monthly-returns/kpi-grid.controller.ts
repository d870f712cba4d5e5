import type { Principal } from '@kpi/auth';
import { KPI_READERS } from '@kpi/domain';
import { ReadKpiGrid } from '@kpi/features/monthly-returns';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { CLOCK } from '../infrastructure/injection-tokens';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Queries } from '../http/buses';
import { attachment } from '../http/csv';
import { kpiGridCsv } from './kpi-grid.csv';
import { KpiGridCellDto, KpiGridDto } from './kpi-grid.dto';
import { gridFileName } from './kpi-grid.format';
import { kpiGridWorkbook } from './kpi-grid.xlsx';
import { KpiGridQuery } from './period-range.query';

export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const CSV_EXAMPLE = [
  'service_id,service_name,region_id,period,indicator,value,outcome,rag,target,floor,tolerance,expected_lower,expected_upper,framework_version,late,amended',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-09,EDU,85,missed,amber,90,75,,,,1,false,false',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-09,RTI,n/a (No missing episodes),not-applicable,grey,100,90,,,,1,false,false',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-10,,,not-submitted,grey,,,,,,,,',
].join('\r\n');

const GRID_DESCRIPTION =
  "Every service (of the region, or the one service, if given) × month of the span × indicator: the value, how it was judged (outcome, RAG) and the thresholds and framework version it was judged by — a later framework version never recolours an earlier month. A month without a return is listed with `submitted: false` and no cells, so gaps show; months before a service opened are not listed. `frameworks` names, for each framework version that judged a month, what each indicator measures (name, unit, direction); each month names the manager in post on its last day. Read from the read models, which follow the event log within moments. 404 when a `serviceId` or `regionId` names none of the tenant's (another tenant's ids alike); a known one with nothing to show is an empty answer.";

/** The KPI status grid as JSON, CSV and an Excel workbook. */
@ApiTags('kpi reports')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(KpiGridCellDto)
@Roles(...KPI_READERS)
@Controller()
export class KpiGridController {
  constructor(
    private readonly queries: Queries,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Get('kpi-grid')
  @ApiOperation({
    summary: 'The KPI status grid of a span of months',
    description: GRID_DESCRIPTION,
  })
  @ApiOkResponse({ type: KpiGridDto })
  @ApiProblemResponses(400, 401, 403, 404)
  read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: KpiGridQuery,
  ): Promise<KpiGridDto> {
    return this.queries.ask(principal, ReadKpiGrid, query);
  }

  @Get('kpi-grid.csv')
  @ApiOperation({
    summary: 'The KPI status grid as CSV',
    description:
      "One row per service, month and indicator (UTF-8 with a byte-order mark, CRLF, RFC 4180). Not applicable reads `n/a (reason)`; a month without a return is one row with no indicator and the outcome `not-submitted`. Text that a spreadsheet would run as a formula is prefixed with `'`. 404 when a `serviceId` or `regionId` names none of the tenant's (another tenant's ids alike); a known one with nothing to show is an empty answer.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'An attachment: kpi-grid-<tenant>-<from>-to-<to>.csv',
    content: { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async csv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: KpiGridQuery,
  ): Promise<StreamableFile> {
    const grid = await this.queries.ask(principal, ReadKpiGrid, query);
    return new StreamableFile(Buffer.from(kpiGridCsv(grid), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: attachment(gridFileName(principal.tenantId, query.from, query.to, 'csv')),
    });
  }

  @Get('kpi-grid.xlsx')
  @ApiOperation({
    summary: 'The KPI status grid as an Excel workbook',
    description:
      'Sheet "KPI grid": a row per service-month, a column per indicator code, each indicator cell filled green, amber, red or grey by its RAG; the header row is frozen. Sheet "Notes": which framework versions judged which months, with their thresholds, and what the colours mean.',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'An attachment: kpi-grid-<tenant>-<from>-to-<to>.xlsx',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblemResponses(400, 401, 403, 404)
  async xlsx(
    @CurrentPrincipal() principal: Principal,
    @Query() query: KpiGridQuery,
  ): Promise<StreamableFile> {
    const grid = await this.queries.ask(principal, ReadKpiGrid, query);
    const workbook = await kpiGridWorkbook(grid, {
      tenantId: principal.tenantId,
      exportedAt: this.clock(),
    });
    return new StreamableFile(workbook, {
      type: XLSX_CONTENT_TYPE,
      disposition: attachment(gridFileName(principal.tenantId, query.from, query.to, 'xlsx')),
    });
  }
}
