import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditTrail } from './audit-trail.service';
import { GrantedAuditController } from './granted-audit.controller';

/** The audit trail: a tenant's own, and a grantor's read by a regulator under a grant. */
@Module({ controllers: [AuditController, GrantedAuditController], providers: [AuditTrail] })
export class AuditModule {}
