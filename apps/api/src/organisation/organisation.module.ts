import { Module } from '@nestjs/common';
import { OrganisationController } from './organisation.controller';
import { organisationHandlers } from './organisation.handlers';
import { RegionsController } from './regions.controller';

/** The organisation: its regions, services and managers' appointments. */
@Module({
  controllers: [OrganisationController, RegionsController],
  providers: [...organisationHandlers],
})
export class OrganisationModule {}
