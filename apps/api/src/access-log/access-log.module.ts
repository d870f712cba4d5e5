import { ReadAccessLog, readAccessLog } from '@kpi/features/access-log';
import { Global, Module } from '@nestjs/common';
import { queryHandler } from '../http/buses';
import { AccessLogController } from './access-log.controller';
import { AccessLog } from './access-log.service';

/**
 * The access log: the service every controller that answers reads of people's records or
 * audit data writes it through (global, so feature modules need not import it), and its
 * reading endpoints.
 */
@Global()
@Module({
  controllers: [AccessLogController],
  providers: [AccessLog, queryHandler(ReadAccessLog, readAccessLog)],
  exports: [AccessLog],
})
export class AccessLogModule {}
