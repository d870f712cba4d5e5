import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditTrail } from './audit-trail.service';

@Module({ controllers: [AuditController], providers: [AuditTrail] })
export class AuditModule {}
