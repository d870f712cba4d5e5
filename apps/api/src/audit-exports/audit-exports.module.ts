import { Module } from '@nestjs/common';
import { AuditExportQueue } from './audit-export-queue';
import { AuditExportsController } from './audit-exports.controller';
import { auditExportsHandlers } from './audit-exports.handlers';
import { GrantedExportsController } from './granted-exports.controller';

/**
 * Evidence-bundle exports: asked for by an organisation (its own trail) or by a regulator under
 * a grant, queued here, written by the worker's export job; their status and downloads.
 */
@Module({
  controllers: [AuditExportsController, GrantedExportsController],
  providers: [AuditExportQueue, ...auditExportsHandlers],
})
export class AuditExportsModule {}
