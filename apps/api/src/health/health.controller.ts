import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HealthReportDto } from './health-report.dto';
import { HealthService } from './health.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  /** Public by design: it shows no tenant data (docs/decisions/0004-health-is-public.md). */
  @Public()
  @Get()
  @ApiOperation({
    summary: 'Whether the API can serve requests',
    description:
      'Checks PostgreSQL and Redis and reports how far each projection is behind the event log. ' +
      '200 when the database and Redis are up, 503 otherwise (same body). Needs no token.',
  })
  @ApiResponse({ status: 200, description: 'Database and Redis are up.', type: HealthReportDto })
  @ApiResponse({
    status: 503,
    description: 'The database or Redis is down.',
    type: HealthReportDto,
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReportDto> {
    const report = await this.health.check();
    if (report.status !== 'ok') void reply.code(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
