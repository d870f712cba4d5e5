import { Module } from '@nestjs/common';
import { OrganisationController } from './organisation.controller';
import { organisationHandlers } from './organisation.handlers';

/** The organisation: its regions, services and managers' appointments. */
@Module({ controllers: [OrganisationController], providers: [...organisationHandlers] })
export class OrganisationModule {}
