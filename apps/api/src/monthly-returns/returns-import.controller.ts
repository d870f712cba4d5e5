import type { Principal } from '@kpi/auth';
import { RETURN_SUBMITTERS } from '@kpi/domain';
import {
  ImportReturns,
  readReturnsCsv,
  readReturnsWorkbook,
  type ReturnsFile,
  type ReturnsImportReport,
} from '@kpi/features/monthly-returns';
import { Body, Controller, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Commands } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem-details';
import { currentCorrelationId } from '../request-context';
import {
  CSV_CONTENT_TYPE,
  IMPORT_BODY_LIMIT_BYTES,
  XLSX_CONTENT_TYPE,
} from './returns-import.body';
import { ReturnsImportQuery, ReturnsImportReportDto } from './returns-import.dto';

/** The problem type of a file with bad rows (docs/api.md). */
export const IMPORT_REFUSED = 'urn:kpi-ledger:problem:import-refused';

const CSV_EXAMPLE = [
  'service_id,service_name,region_id,period,indicator,value,outcome,rag,target',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-04,ADM,4,,,',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-04,REV,9/10,,,',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-04,SAFE,yes,,,',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-04,NEED,"MH: 3; LD: 2",,,',
  'ty-gwyn,Tŷ Gwyn,north-wales,2026-04,BEDS,n/a (Closed for refurbishment),,,',
].join('\r\n');

const REFUSED_EXAMPLE = {
  type: IMPORT_REFUSED,
  title: 'The file has bad rows: nothing was stored',
  status: 422,
  detail: '2 problems in 2 rows; fix them and import the file again',
  instance: '/returns/import',
  problems: [
    { row: 14, column: 'value', reason: 'ADM must be a whole number (a count)' },
    {
      row: 31,
      column: 'service_id',
      reason: 'no service "plas-newyd" is registered in your organisation',
    },
  ],
  report: { rows: 2400, returns: 240, toStore: 239, unchanged: 0, stored: 0, events: 0 },
  requestId: '6c1f0c1e-6f4e-4b8a-9a59-2f4f3f0b8a11',
};

/** Monthly returns imported from a file in the KPI grid's layout (docs/decisions/0024). */
@ApiTags('monthly returns')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...RETURN_SUBMITTERS)
@Controller('returns')
export class ReturnsImportController {
  constructor(private readonly commands: Commands) {}

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import monthly returns from CSV or Excel',
    description: `The body is a file in the layout of the KPI grid export (\`GET /kpi-grid.csv\` or \`/kpi-grid.xlsx\`): export, fill in, import. Values read as the export writes them: a number, \`yes\`/\`no\`, \`9/10\` for a ratio, \`MH: 3; LD: 2\` for a breakdown's parts, \`n/a (reason)\` (in Excel, a blank value with the reason in \`<code> n/a reason\`); outcome, RAG and threshold columns are ignored, and derived indicators are left blank (they are computed). Every row is checked as a typed submission is (the framework version in force for the month, the service the caller's and open, the month ended and collected). Any bad row: 422, every problem listed by row (header = 1), column and reason, and nothing stored. A month already stored with the same values is skipped, so importing a file again stores nothing new; one stored with other values is a bad row (amend that return). \`dryRun=true\` checks and reports without storing. Up to ${IMPORT_BODY_LIMIT_BYTES / 1024 / 1024} MB; larger files through the CLI (\`import-returns\`).`,
  })
  @ApiConsumes(CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE)
  @ApiBody({
    description: `The file: CSV (UTF-8, a byte-order mark allowed) or an Excel workbook. A CSV, e.g.:\n\n\`\`\`\n${CSV_EXAMPLE}\n\`\`\``,
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({
    type: ReturnsImportReportDto,
    description: 'Every row is good: what was stored (or, on a dry run, would be) and skipped.',
  })
  @ApiResponse({
    status: 422,
    description:
      'The file has bad rows: nothing was stored. `problems` lists every one; `report` counts the rest.',
    content: { [PROBLEM_CONTENT_TYPE]: { example: REFUSED_EXAMPLE } },
  })
  @ApiProblemResponses(400, 401, 403, 409)
  async import(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Query() { dryRun }: ReturnsImportQuery,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReturnsImportReportDto | object> {
    const file = await readFile(contentType, body);
    const report = await this.commands.execute(principal, key, ImportReturns, {
      file,
      dryRun: dryRun === 'true',
    });
    if (report.problems.length === 0) return report;
    void reply.code(422).type(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    return refused(report, request.url.split('?')[0]!);
  }
}

async function readFile(contentType: string | undefined, body: unknown): Promise<ReturnsFile> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!Buffer.isBuffer(body) || (type !== CSV_CONTENT_TYPE && type !== XLSX_CONTENT_TYPE)) {
    throw new InvalidRequestException([
      {
        field: 'Content-Type',
        reason: `must be ${CSV_CONTENT_TYPE} or ${XLSX_CONTENT_TYPE}, with the file as the body`,
      },
    ]);
  }
  return type === CSV_CONTENT_TYPE
    ? readReturnsCsv(body.toString('utf8'))
    : readReturnsWorkbook(body);
}

/** The 422 problem: every bad row and cell, and what the rest of the file held. */
function refused(
  { problems, importId: _importId, ...report }: ReturnsImportReport,
  instance: string,
): object {
  const rows = new Set(problems.map((p) => p.row)).size;
  return {
    type: IMPORT_REFUSED,
    title: 'The file has bad rows: nothing was stored',
    status: 422,
    detail: `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${rows} row${rows === 1 ? '' : 's'}; fix them and import the file again`,
    instance,
    problems,
    report,
    requestId: currentCorrelationId(),
  };
}
