import { Module } from '@nestjs/common';
import { OrganisationController } from './organisation.controller';

/** The organisation: its regions, services and managers' appointments. */
@Module({ controllers: [OrganisationController] })
export class OrganisationModule {}
