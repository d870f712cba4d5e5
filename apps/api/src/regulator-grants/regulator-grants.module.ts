import { Module } from '@nestjs/common';
import { RegulatorGrantsController } from './regulator-grants.controller';
import { regulatorGrantsHandlers } from './regulator-grants.handlers';

/**
 * Regulator grants: made, listed and revoked by the grantor, listed by the regulator. The
 * reads under a grant are the audit module's (GrantedAuditController), through these handlers.
 */
@Module({
  controllers: [RegulatorGrantsController],
  providers: [...regulatorGrantsHandlers],
})
export class RegulatorGrantsModule {}
